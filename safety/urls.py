from django.urls import path

from . import views

app_name = "safety"
urlpatterns = [
    path("", views.register, name="register"),
    path("project/<int:pk>/", views.project, name="project"),
]
