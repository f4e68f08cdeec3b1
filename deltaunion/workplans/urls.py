from django.urls import path

from deltaunion.workplans import views

# The platform's home page: this year's plans.
urlpatterns = [
    path("", views.home, name="home"),
]
