from django.urls import path

from deltaunion.core import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
