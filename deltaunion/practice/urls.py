"""Practice pages: the workers' pages, then the officers' pages under manage/ (namespace `practice`)."""

from django.urls import path

from deltaunion.practice import views
from deltaunion.practice import views_officer as officer

app_name = "practice"
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
    # Leaderboards of every registered kind (quiz, campaign).
    path("boards/<str:kind>/<int:object_id>/", views.board_page, name="board"),
    path("boards/<str:kind>/<int:object_id>/partial/", views.board_partial, name="board_partial"),
    # The officers' pages.
    path("manage/", officer.manage_home, name="manage"),
    path("manage/banks/", officer.manage_banks, name="manage_banks"),
    path("manage/banks/export/", officer.manage_banks_export, name="manage_banks_export"),
    path("manage/banks/new/", officer.manage_bank_create, name="manage_bank_create"),
    path("manage/banks/<int:bank_id>/", officer.manage_bank, name="manage_bank"),
    path("manage/banks/<int:bank_id>/export/", officer.manage_bank_export, name="manage_bank_export"),
    path("manage/banks/<int:bank_id>/add/", officer.manage_question_add, name="manage_question_add"),
    path("manage/banks/<int:bank_id>/import/", officer.manage_bank_import, name="manage_bank_import"),
    path("manage/quizzes/", officer.manage_quizzes, name="manage_quizzes"),
    path("manage/quizzes/export/", officer.manage_quizzes_export, name="manage_quizzes_export"),
    path("manage/quizzes/new/", officer.manage_quiz_create, name="manage_quiz_create"),
    path("manage/quizzes/<int:quiz_id>/", officer.manage_quiz, name="manage_quiz"),
    path("manage/quizzes/<int:quiz_id>/feed/", officer.manage_quiz_feed, name="manage_quiz_feed"),
    path("manage/stats/", officer.manage_stats, name="manage_stats"),
    path("manage/stats/export/", officer.manage_stats_export, name="manage_stats_export"),
]
