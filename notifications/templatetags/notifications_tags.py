"""The bell in the top bar: the unread count and the latest unread, rendered with the page."""

from __future__ import annotations

from django import template
from django.db.models import Count, Window

from ..models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_topbar.html", takes_context=True)
def topbar_bell(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    # One query on every page: the latest five unread, each carrying the count of all unread.
    latest = list(
        Notification.objects.filter(user=user, read_at__isnull=True)
        .annotate(unread=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:5]
    )
    return {
        "show": True,
        "unread": latest[0].unread if latest else 0,
        "latest": latest,
        "path": request.get_full_path(),
    }
