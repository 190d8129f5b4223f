from django.urls import path

from . import views

app_name = "blockers"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("new/", views.create, name="create"),
    path("for-project/<int:pk>/", views.for_project, name="for_project"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/measures/", views.set_measures, name="measures"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]
