"""The milestones endpoints under /api/v1/, each from its app's scoped queryset."""

from ninja import Router

router = Router()
