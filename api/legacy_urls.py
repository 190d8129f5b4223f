"""The battle map endpoints' old URL names (battlemap_api:dashboard, …), kept so that code and tests
that reverse them still work; they resolve to the same views as api:dashboard, api:wallchart, api:map.
New code reverses the api: names."""

from .urls import urlpatterns as api_patterns

app_name = "battlemap_api"
urlpatterns = [entry for entry in api_patterns if entry.name in {"dashboard", "wallchart", "map"}]
