"""Mounted at /api/v1/ beside the api app's own endpoints."""

from django.urls import path

from . import api

app_name = "battlemap_api"
urlpatterns = [
    path("dashboard", api.dashboard, name="dashboard"),
    path("wallchart", api.wallchart, name="wallchart"),
    path("map", api.map_points, name="map"),
]
