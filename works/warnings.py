"""The three bidding warnings (预警) beside the schedule light, from two reports.warnings providers (the
first and the last kind from one read of the year plans, no_contract_or_late), each running one query
whatever the number of projects:

- `tender_no_contract`: construction has started (reports.figures.started_by, the figures core's own
  rule) but no construction package is awarded with a contract price;
- `tender_above_budget`: a package's contract price is above its ceiling price (negative 下浮率);
- `tender_late`: the year plan's planned start month (the month the figures core counts a start due)
  is at most KEYPROJ_TENDER_LEAD_DAYS days away, or past, and no construction package is announced
  yet — while the project has not started (once started, `tender_no_contract` speaks instead).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.money import fmt
from lib.today import today
from projects.models import YearPlan
from reports import warnings
from reports.figures import started_by
from reports.ledger import detail_link
from reports.warnings import ProjectWarning

from .models import Kind, TenderPackage
from .rates import discount_rate

NO_CONTRACT, ABOVE_BUDGET, LATE = "tender_no_contract", "tender_above_budget", "tender_late"
DECEMBER = 12  # the ProjectMonth row of December holds every counted report of the year so far


def lead_days() -> int:
    return settings.KEYPROJ_TENDER_LEAD_DAYS


def _url() -> Callable[[int], str]:
    """project id → its bidding page (reversed once a call, not once a warning)."""
    return detail_link("works:project")


def year_plans(projects: QuerySet, year: int) -> QuerySet:
    """The year's plans of `projects`, with the December summary of reports joined as `pm`, so that
    reports.figures.started_by reads as the figures do."""
    return YearPlan.objects.filter(project__in=projects.values("pk"), year=year).annotate(
        pm=FilteredRelation(
            "project__report_months",
            condition=Q(project__report_months__year=year, project__report_months__month=DECEMBER),
        )
    )


def started_ids(projects: QuerySet, year: int) -> set[int]:
    """The ids of `projects` started by the end of the year so far, as the figures count it. One query."""
    rows = year_plans(projects, year).filter(started_by(year, DECEMBER))
    return set(rows.values_list("project_id", flat=True))


def _construction(**condition) -> Exists:
    return Exists(
        TenderPackage.objects.filter(project=OuterRef("project_id"), kind=Kind.CONSTRUCTION, **condition)
    )


def _year_rows(projects: QuerySet, year: int) -> list[tuple]:
    """Each year plan of `projects`: (project id, planned start month, started by the end of the year so
    far, a construction package awarded with a contract price, one announced). One query, in the year
    plans' order."""

    def build(projects: QuerySet) -> QuerySet:
        return (
            year_plans(projects, year)
            .annotate(
                started=ExpressionWrapper(started_by(year, DECEMBER), output_field=BooleanField()),
                let=_construction(awarded_on__isnull=False, contract_price__isnull=False),
                announced=_construction(announced_on__isnull=False),
            )
            .values_list("project_id", "planned_start_month", "started", "let", "announced")
        )

    return warnings.read(projects, (NO_CONTRACT, LATE, year), build)


def no_contract_or_late(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """`tender_no_contract` and `tender_late` from one read of the year plans (_year_rows): started and no
    construction package awarded with a contract price; or not started, the planned start at most N
    days away (or past), and no construction package announced. One query. A province carries some
    20,000 of them: each reason is worded once a call (once a planned start month for `tender_late`),
    not once a warning."""
    on, days, url = today(), lead_days(), _url()
    started_reason: str | None = None
    late_reasons: dict[int, str | None] = {}
    for project_id, month, started, let, announced in _year_rows(projects, year):
        if started:
            if not let:
                if started_reason is None:
                    started_reason = no_contract_reason()
                yield ProjectWarning(NO_CONTRACT, project_id, started_reason, url=url(project_id))
        elif month is not None and not announced:
            if month not in late_reasons:
                late_reasons[month] = late_reason(planned_start(year, month), on, days)
            if late_reasons[month] is not None:
                yield ProjectWarning(LATE, project_id, late_reasons[month], url=url(project_id))


def no_contract_reason() -> str:
    return _("Construction started without a construction contract awarded")


def above_budget(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """A package whose contract price is above its ceiling price (one warning per project, naming the
    first such package and how many there are). One query."""

    def build(projects: QuerySet) -> QuerySet:
        return (
            TenderPackage.objects.filter(project__in=projects.values("pk"), contract_price__gt=F("budget"))
            .order_by("project_id", "pk")
            .values_list("project_id", "name", "budget", "contract_price")
        )

    rows, url = warnings.read(projects, (ABOVE_BUDGET,), build), _url()
    found: dict[int, list[tuple]] = {}
    for project_id, *row in rows:
        found.setdefault(project_id, []).append(row)
    for project_id, packages in found.items():
        name, budget, price = packages[0]
        reason = _(
            "%(name)s let at %(price)s above its ceiling price %(budget)s (discount rate %(rate)s%%)"
        ) % {
            "name": name,
            "price": fmt(price),
            "budget": fmt(budget),
            "rate": discount_rate(budget, price),
        }
        if len(packages) > 1:
            more = len(packages) - 1
            reason += ngettext(", and %(n)d more package", ", and %(n)d more packages", more) % {"n": more}
        yield ProjectWarning(ABOVE_BUDGET, project_id, reason, url=url(project_id))


def planned_start(year: int, month: int) -> dt.date:
    """The day a planned start month begins: the figures core counts the start due from that month."""
    return dt.date(year, month, 1)


def late_reason(start: dt.date, on: dt.date, days: int) -> str | None:
    """Why a project not started, with no construction package announced, carries `tender_late`: its
    planned start `start` is at most `days` away from `on` (or past); None when it is further."""
    left = (start - on).days
    if left > days:
        return None
    if left >= 0:
        return ngettext(
            "Planned start %(start)s is %(n)d day away and no construction tender is announced",
            "Planned start %(start)s is %(n)d days away and no construction tender is announced",
            left,
        ) % {"start": start.isoformat(), "n": left}
    return _("Planned start %(start)s has passed and no construction tender is announced") % {
        "start": start.isoformat()
    }


PROVIDERS = (no_contract_or_late, above_budget)
ORDER = {NO_CONTRACT: 0, ABOVE_BUDGET: 1, LATE: 2}


def of_projects(projects: QuerySet, year: int) -> dict[int, list[ProjectWarning]]:
    """Project id → its bidding warnings (no contract, above budget, late), for the given (scoped)
    projects: two queries."""
    found: dict[int, list[ProjectWarning]] = {}
    for provider in PROVIDERS:
        for warning in provider(projects, year):
            found.setdefault(warning.project_id, []).append(warning)
    for listed in found.values():
        listed.sort(key=lambda warning: ORDER[warning.kind])
    return found
