from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("project/<int:pk>/", views.project, name="project"),
    path("project/<int:pk>/sources/new/", views.plan_create, name="plan_create"),
    path("project/<int:pk>/month/", views.month_record, name="month"),
    path("sources/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
]
