from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("project/<int:pk>/", views.project, name="project"),
    path("project/<int:pk>/packages/new/", views.package_create, name="package_create"),
    path("project/<int:pk>/records/new/", views.record_create, name="record_create"),
    path("packages/<int:pk>/edit/", views.package_edit, name="package_edit"),
    path("packages/<int:pk>/award/", views.award, name="award"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
]
