"""The bell in the top bar: the unread count and the latest unread, rendered with the page."""

from __future__ import annotations

from django import template

from ..models import Notification

register = template.Library()


@register.inclusion_tag("notifications/_topbar.html", takes_context=True)
def topbar_bell(context: template.Context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return {
        "show": True,
        "unread": unread.count(),
        "latest": list(unread.order_by("-created_at", "-pk")[:5]),
        "path": request.get_full_path(),
    }
