"""`{% load lockout %}`: how long a sign-in lockout lasts, in words (axes gives a timedelta)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """ "30 minutes", "2 hours", "1 hour 30 minutes"; empty when there is no cool-off."""
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)
