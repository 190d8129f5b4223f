"""Quality and safety under /api/v1/hazards, from the app's scoped queryset."""

from ninja import Router

router = Router(tags=["safety"])
