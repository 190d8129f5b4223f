"""Template helpers shared by every app: money, percentages, sort links."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from lib.money import fmt

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    """614700 → '614,700.00' (万元, two places)."""
    if value is None or value == "":
        return "—"
    return fmt(value)


@register.filter
def pct(value: Decimal | float | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.{int(places)}f}%"


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, key: str, label: str) -> str:
    """A column header that toggles ascending/descending sort on `key`, keeping the filters."""
    request = context["request"]
    current = request.GET.get("sort", "code")
    query = request.GET.copy()
    query.pop("page", None)
    descending = current == key
    query["sort"] = f"-{key}" if descending else key
    arrow = ""
    if current.lstrip("-") == key:
        arrow = " ↓" if current.startswith("-") else " ↑"
    return format_html('<a class="kp-sort" href="?{}">{}{}</a>', query.urlencode(), label, arrow)
