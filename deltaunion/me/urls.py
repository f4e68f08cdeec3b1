from django.urls import path

from deltaunion.me import views

app_name = "me"
urlpatterns = [
    path("", views.home, name="home"),
    path("messages/", views.messages_view, name="messages"),
    path("messages/<int:message_id>/", views.message_open, name="message"),
    path("messages/read/", views.messages_read, name="messages_read"),
    path("contests/", views.contests_view, name="contests"),
    path("practice/", views.practice_view, name="practice"),
    path("campaigns/", views.campaigns_view, name="campaigns"),
    path("certificates/", views.certificates_view, name="certificates"),
]
