"""The not-yet-started board, at /reports/not-started/ beside the report pages (keyproj/urls.py)."""

from django.urls import path

from . import board

app_name = "board"
urlpatterns = [path("", board.not_started, name="not_started")]
