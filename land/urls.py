from django.urls import path

from . import views

app_name = "land"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("project/<int:pk>/", views.project, name="project"),
    path("project/<int:pk>/new/", views.plan_create, name="plan_create"),
    path("candidate/<int:pk>/", views.candidate, name="candidate"),
    path("candidate/<int:pk>/new/", views.candidate_plan_create, name="candidate_plan_create"),
    path("plan/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/month/", views.month_record, name="month"),
]
