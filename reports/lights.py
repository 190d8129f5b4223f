"""Warning lights (红黄绿灯): the rules, as one database expression, and the words that explain them.

Rules for a project's light at the end of month M of its year plan:
- not started by the end of M, with a planned start month P: green before P, yellow in P, red after P;
- a preparatory project (stage 前期) not started and with no planned start month: green — it is
  not lit red for not starting, since no start is planned this year;
- otherwise (started, or any other project without a planned start month): judged by investment — green at or above the schedule target, yellow up to `threshold`
  points below it, red further below; nothing planned for the year (rate "—") is green.
The ytd behind the rate counts submitted and approved reports (see reports.models.MonthlyReport.COUNTED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, F, Q, Value, When
from django.utils.translation import gettext

from lib import schedule

GREEN, YELLOW, RED = "green", "yellow", "red"
PREPARATORY = "preparatory"  # projects.models.YearPlan.Stage.PREPARATORY
# The one order every page, chart, document and endpoint lists the lights in: red, yellow, green.
COLOURS = (RED, YELLOW, GREEN)
PCT = DecimalField(max_digits=9, decimal_places=2)


@dataclass(frozen=True)
class Rule:
    """What a region's year setting says for one month: the target and the yellow band."""

    target: Decimal
    threshold: Decimal

    @property
    def floor(self) -> Decimal:
        return self.target - self.threshold


def per_region(values: list[tuple[str, Decimal]], default: Decimal, *, field: str = "project__region__path"):
    """A constant, or a CASE on the project's region path (deepest first) when a region below the
    user's has its own setting (a city user over counties with different curves)."""
    if all(v == default for _path, v in values):
        return Value(default, output_field=PCT)
    whens = [When(**{f"{field}__startswith": path}, then=Value(v, output_field=PCT)) for path, v in values]
    return Case(*whens, default=Value(default, output_field=PCT), output_field=PCT)


def light_expression(*, month: int) -> Case:
    """The light as SQL. Needs annotations `started_flag`, `rate`, `target` and `floor` on the rows.

    Nested so that a row evaluates `started_flag` at most twice and `rate` at most twice: the
    province aggregates it for tens of thousands of rows several times a page.
    """
    by_start_month = Case(
        When(planned_start_month__gt=month, then=Value(GREEN)),
        When(planned_start_month=month, then=Value(YELLOW)),
        default=Value(RED),
        output_field=CharField(),
    )
    return Case(
        When(Q(started_flag=False, planned_start_month__isnull=False), then=by_start_month),
        When(started_flag=False, stage=PREPARATORY, then=Value(GREEN)),
        # Nothing planned for the year: no rate (see `rate` in reports.figures.month_plans).
        When(~Q(planned_investment__gt=0), then=Value(GREEN)),
        When(rate__gte=F("target"), then=Value(GREEN)),
        When(rate__gte=F("floor"), then=Value(YELLOW)),
        default=Value(RED),
        output_field=CharField(),
    )


def _points(gap: Decimal) -> str:
    """One decimal as offices publish it ("12.3"); two when one would read 0.0."""
    rounded = schedule.round_points(abs(gap))
    if rounded == 0 and gap != 0:
        rounded = schedule.q(abs(gap))
    return f"{rounded}"


def reason(
    light: str,
    *,
    month: int,
    started: bool,
    planned_start_month: int | None,
    rate: Decimal | None,
    gap: Decimal | None,
    stage: str | None = None,
    translate: Callable[[str], str] = gettext,
) -> str:
    """Why a light has its colour, in words ("落后序时进度 12.3 个百分点").

    `translate`: how a phrase is translated (gettext; `phrases()` translates each once for a page of
    rows). The phrases below stay written as _("…"), so that makemessages finds them."""
    _ = translate
    if not started and planned_start_month:
        if month < planned_start_month:
            return _("Planned to start in month %(planned)s; not due yet") % {"planned": planned_start_month}
        if month == planned_start_month:
            return _("Planned to start in month %(planned)s; not started yet") % {
                "planned": planned_start_month
            }
        return _("Planned to start in month %(planned)s, still not started in month %(month)s") % {
            "planned": planned_start_month,
            "month": month,
        }
    if not started and not planned_start_month and stage == PREPARATORY:
        return _("Preparatory work; no start planned this year")
    if rate is None or gap is None:
        return _("No investment planned for the year")
    if gap == 0:
        return _("Exactly on schedule")
    if gap > 0:
        return _("%(points)s points ahead of schedule") % {"points": _points(gap)}
    return _("%(points)s points behind schedule") % {"points": _points(gap)}


def phrases() -> Callable[[str], str]:
    """gettext, remembering each phrase's translation: for the rows of one page, in one language
    (a wall chart's 150 rows translated their phrases ~2,400 calls' worth)."""
    translated: dict[str, str] = {}

    def translate(phrase: str) -> str:
        found = translated.get(phrase)
        if found is None:
            found = translated[phrase] = gettext(phrase)
        return found

    return translate


def annotate_reasons(rows, *, month: int) -> list:
    """Attach `light_reason` to each already-fetched row (no query)."""
    rows = list(rows)
    translate = phrases()
    for row in rows:
        row.light_reason = reason(
            row.light,
            month=month,
            started=row.started_flag,
            planned_start_month=row.planned_start_month,
            rate=row.rate,
            gap=row.gap,
            stage=row.stage,
            translate=translate,
        )
    return rows
