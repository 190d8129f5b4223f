from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("summary", views.summary, name="summary"),
    path("figures", views.figures, name="figures"),
    path("lights", views.lights, name="lights"),
]
