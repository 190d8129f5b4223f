"""Template helpers shared by every app: money, percentages, sort links."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

from lib.money import fmt
from lib.today import current_year
from projects.selectors import ledger_years

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


@register.filter
def points(value: Decimal | float | str | None) -> str:
    """A gap in percentage points, signed with two places: 9.91 → '+9.91', -3.98 → '−3.98', None → '—'."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number == 0:
        return "0.00"
    sign = "+" if number > 0 else "\u2212"
    return f"{sign}{abs(number):.2f}"


@register.filter
def gap_class(value: Decimal | float | str | None) -> str:
    """CSS class for a gap in points: red when behind schedule, green when ahead, nothing otherwise."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if number < 0:
        return "text-danger"
    return "text-success" if number > 0 else ""


@register.simple_tag(takes_context=True)
def year_choices(context: template.Context, selected: int | str | None = None, ahead: int = 0) -> list[int]:
    """The years a period filter offers, newest first: the years with plans in the user's scope, the
    selected year, and `ahead` years after the current one (to configure next year). One query."""
    user = context["request"].user
    years = set(ledger_years(user)) if user.is_authenticated else set()
    years.add(current_year())
    years.update(current_year() + n for n in range(1, int(ahead) + 1))
    try:
        years.add(int(selected))
    except (TypeError, ValueError):
        pass
    return sorted(years, reverse=True)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """'?…&page=N' keeping the current filters: the link of one page of a paginated list."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def pages_around(page) -> list:  # noqa: ANN001 (a django.core.paginator.Page)
    """The page numbers a pager shows: the first, the last and two either side of the current one, with
    the paginator's ellipsis ("…") where numbers are left out — however many pages there are
    (Paginator.get_elided_page_range; a province's 400 ledger pages used to be looped over whole)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
