from django.urls import path

from . import baseline_views, views

app_name = "projects"
urlpatterns = [
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/plans/new/", views.plan_edit, name="plan_create"),
    path("<int:pk>/plans/<int:year>/", views.plan_edit, name="plan_edit"),
    path("baseline/requests/", baseline_views.revision_requests, name="baseline_requests"),
    path("baseline/requests/<int:pk>/approve/", baseline_views.revision_approve, name="baseline_approve"),
    path("baseline/requests/<int:pk>/reject/", baseline_views.revision_reject, name="baseline_reject"),
]
