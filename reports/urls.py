from django.urls import path

from . import board_views, views

app_name = "reports"
urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("export.xlsx", views.monthly_export, name="monthly_export"),
    path("<int:pk>/<int:year>/<int:month>/", views.report_page, name="report"),
    path("<int:pk>/<int:year>/<int:month>/photos/", views.photo_upload, name="photo_upload"),
    path("<int:pk>/<int:year>/<int:month>/<str:action>/", views.report_action, name="action"),
    path("photos/<int:photo_id>/", views.photo_file, name="photo"),
    path("photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
    path("status/", board_views.reporting_status, name="status"),
    path("not-started/<int:pk>/commit/", board_views.commit, name="commit"),
    path("units/", board_views.unit_plans, name="units"),
    path("units.xlsx", board_views.unit_plans_export, name="units_export"),
    path("settings/", board_views.year_settings, name="settings"),
]
