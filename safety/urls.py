from django.urls import path

from . import views

app_name = "safety"
urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("major/", views.major, name="major"),
    path("units/", views.units, name="units"),
    path("units/export.xlsx", views.units_export, name="units_export"),
    path("project/<int:pk>/", views.project, name="project"),
    path("project/<int:pk>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("project/<int:pk>/hazards/new/", views.hazard_create, name="hazard_create"),
    path("project/<int:pk>/accidents/new/", views.accident_create, name="accident_create"),
    path("hazards/<int:pk>/", views.hazard, name="hazard"),
    path("hazards/<int:pk>/rectify/", views.hazard_rectify, name="rectify"),
    path("hazards/<int:pk>/verify/", views.hazard_verify, name="verify"),
    path("hazards/<int:pk>/photo/<str:which>/", views.hazard_photo, name="photo"),
    path("accidents/<int:pk>/edit/", views.accident_edit, name="accident_edit"),
]
