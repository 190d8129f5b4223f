from django.urls import path

from . import from_warnings, views

app_name = "blockers"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("new/", views.create, name="create"),
    path("for-project/<int:pk>/", views.for_project, name="for_project"),
    path("from-warning/<int:pk>/", from_warnings.raise_from_warning, name="from_warning"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/measures/", views.set_measures, name="measures"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/comment/", views.comment, name="comment"),
]
