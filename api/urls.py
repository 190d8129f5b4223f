"""/api/v1/: every endpoint of the one API (api/app.py), under the namespace "api"."""

from .app import api

urlpatterns, _app, _namespace = api.urls
app_name = "api"
