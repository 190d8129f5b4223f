"""The figures of quality and safety — the register's order, the open-major-hazard warning, the
statistics per unit — written once; every page, export and endpoint reads them here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from projects.models import Unit
from reports import warnings
from reports.ledger import detail_link
from reports.warnings import ProjectWarning

from .models import Hazard

WARNING_KIND = "hazard_major_open"
COUNTS = (
    "found",
    "rectified",
    "verified",
    "open",
    "overdue",
    "major_open",
    "accidents",
    "deaths",
    "injuries",
)
State = Hazard.State


def register_order(hazards: QuerySet, on: dt.date) -> QuerySet:
    """Open first (overdue ones at the top), then rectified awaiting verification, then verified; by
    deadline within each."""
    return hazards.annotate(
        state_rank=Case(
            When(state=State.OPEN, deadline__lt=on, then=Value(0)),
            When(state=State.OPEN, then=Value(1)),
            When(state=State.RECTIFIED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("state_rank", "deadline", "pk")


def listed(hazards: QuerySet) -> QuerySet:
    """The hazards with what every list shows beside them, in a fixed number of queries."""
    return hazards.select_related(
        "project", "project__lead_unit", "project__sector", "inspection", "responsible_unit"
    )


def major_open(projects: QuerySet) -> QuerySet:
    """The 重大隐患 not yet verified on the given projects, by deadline."""
    return (
        Hazard.objects.filter(project__in=projects.values("pk"), level=Hazard.Level.MAJOR)
        .not_verified()
        .order_by("project_id", "deadline", "pk")
    )


def reason(hazard: Hazard) -> str:
    text = hazard.description if len(hazard.description) <= 30 else hazard.description[:30] + "…"
    return _("Major hazard not verified: %(hazard)s (rectify by %(deadline)s)") % {
        "hazard": text,
        "deadline": hazard.deadline.isoformat(),
    }


def hazard_warnings(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """reports.warnings provider: a project with a 重大隐患 open or rectified but not yet verified carries
    the warning, its reason naming the hazard and its deadline (the earliest when there are several).
    It clears when the hazard is verified. Whatever the year: a hazard stays until it is closed off.
    One query."""

    def build(projects: QuerySet) -> QuerySet:
        return major_open(projects).values_list("pk", "project_id", "description", "deadline")

    seen: set[int] = set()
    url = detail_link("safety:hazard")
    for pk, project_id, description, deadline in warnings.read(projects, (WARNING_KIND,), build):
        if project_id in seen:
            continue
        seen.add(project_id)
        found = Hazard(pk=pk, project_id=project_id, description=description, deadline=deadline)
        yield ProjectWarning(WARNING_KIND, project_id, reason(found), url=url(pk))


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole × 100 to two places; None when there is nothing to divide (shown as "—")."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class UnitRow:
    unit: Unit | None  # None on the total
    found: int = 0
    rectified: int = 0  # rectification recorded: awaiting verification or verified
    verified: int = 0
    open: int = 0
    overdue: int = 0
    major_open: int = 0
    accidents: int = 0
    deaths: int = 0
    injuries: int = 0

    @property
    def rectification_rate(self) -> Decimal | None:
        """整改率: hazards rectified (verified or awaiting verification) ÷ hazards found."""
        return rate(self.rectified, self.found)

    @property
    def verification_rate(self) -> Decimal | None:
        """销号率: hazards verified ÷ hazards found."""
        return rate(self.verified, self.found)


def by_unit(hazards: QuerySet, accidents: QuerySet, *, on: dt.date) -> tuple[list[UnitRow], UnitRow]:
    """Per responsible unit: hazards found, rectified, verified, open, overdue (on `on`) and open major;
    and the accidents on the projects the unit leads. Three queries, whatever the number of units."""
    counted = (
        hazards.order_by()
        .values("responsible_unit_id")
        .annotate(
            found=Count("pk"),
            rectified=Count("pk", filter=Q(state__in=[State.RECTIFIED, State.VERIFIED])),
            verified=Count("pk", filter=Q(state=State.VERIFIED)),
            open=Count("pk", filter=Q(state=State.OPEN)),
            overdue=Count("pk", filter=Q(state=State.OPEN, deadline__lt=on)),
            major_open=Count("pk", filter=Q(level=Hazard.Level.MAJOR) & ~Q(state=State.VERIFIED)),
        )
    )
    rows: dict[int, UnitRow] = {}
    for c in counted:
        uid = c.pop("responsible_unit_id")
        rows[uid] = UnitRow(None, **c)
    for a in (
        accidents.order_by()
        .values("project__lead_unit_id")
        .annotate(n=Count("pk"), deaths=Sum("deaths"), injuries=Sum("injuries"))
    ):
        row = rows.setdefault(a["project__lead_unit_id"], UnitRow(None))
        row.accidents, row.deaths, row.injuries = a["n"], a["deaths"] or 0, a["injuries"] or 0
    units = Unit.objects.in_bulk(list(rows))
    total = UnitRow(None)
    for uid, row in rows.items():
        row.unit = units[uid]
        for name in COUNTS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    ordered = sorted(rows.values(), key=lambda r: (-r.open, -r.overdue, r.unit.name))
    return ordered, total


def in_year(hazards: QuerySet, accidents: QuerySet, year: int | None) -> tuple[QuerySet, QuerySet]:
    """The hazards found (by their inspection's date) and the accidents of a year; all when None."""
    if year is None:
        return hazards, accidents
    return (
        hazards.filter(inspection__date__year=year),
        accidents.filter(date__year=year),
    )
