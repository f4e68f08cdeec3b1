"""The workers' practice pages (namespace `practice`, included by practice/urls.py)."""

from django.urls import path

from deltaunion.practice import views_worker as views

urlpatterns = [
    path("", views.home, name="home"),
    # Free practice and the wrong-answer book.
    path("practise/", views.practise, name="practise"),
    path("practise/<int:question_id>/answer/", views.practise_answer, name="practise_answer"),
    path("wrong-book/", views.wrong_book_view, name="wrong_book"),
    path("wrong-book.xlsx", views.wrong_book_export, name="wrong_book_export"),
    path("wrong-book/<int:entry_id>/remove/", views.wrong_book_remove, name="wrong_book_remove"),
    # Quizzes.
    path("quizzes/", views.quiz_list, name="quiz_list"),
    path("quizzes/<int:quiz_id>/", views.quiz_detail, name="quiz_detail"),
    path("quizzes/<int:quiz_id>/start/", views.quiz_start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", views.attempt_view, name="attempt"),
    path("attempts/<int:attempt_id>/answer/", views.attempt_answer, name="attempt_answer"),
    path("attempts/<int:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("attempts/<int:attempt_id>/result/", views.attempt_result, name="attempt_result"),
    # Leaderboards (kind = quiz | campaign).
    path("boards/<str:kind>/<int:object_id>/", views.board_page, name="board"),
    path("boards/<str:kind>/<int:object_id>/partial/", views.board_partial, name="board_partial"),
    # Points campaigns.
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/join/", views.campaign_join, name="campaign_join"),
    path("campaigns/<int:campaign_id>/log/", views.campaign_log, name="campaign_log"),
    # Posts.
    path("posts/", views.post_list, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/like/", views.post_like, name="post_like"),
    path("posts/<int:post_id>/comment/", views.post_comment, name="post_comment"),
    path("posts/<int:post_id>/report/", views.post_report, name="post_report"),
]
