"""`{% load commitments %}`: a project's committed start dates (承诺开工时间) with their notes."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("reports/_commitments.html")
def start_commitments(project) -> dict:
    """The current commitment first, then the ones it replaced; each with its note and source."""
    rows = project.start_commitments.select_related("by").order_by("-at", "-pk")
    return {"commitments": list(rows)}
