"""Reads of land: to-date totals, the slip rule, what a project still lacks, the township register.

One place for each figure: a plan's to-date totals are the sums of its months (`with_totals`), and
the warning, the readiness check, the register, the export and the API all read them from here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from lib.money import ZERO, q2
from lib.today import today
from regions.models import Township
from reports import warnings
from reports.ledger import detail_link
from reports.warnings import ProjectWarning

from .models import LandMonth, LandPlan

WARNING_KIND = "land_behind"
_DEC = DecimalField(max_digits=14, decimal_places=2)


def mu(value: Decimal | None) -> str:
    """An area as people write it: '120', '12.5', '0.25' (亩, no trailing zeros)."""
    text = f"{q2(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _through(year: int | None, month: int | None) -> Q:
    if year is None:
        return Q()
    if month is None:
        return Q(months__year__lte=year)
    return Q(months__year__lt=year) | Q(months__year=year, months__month__lte=month)


def with_totals(plans: QuerySet, *, year: int | None = None, month: int | None = None) -> QuerySet:
    """The plans with their to-date figures (the sums of their months, through `year` / `month` when
    given): acquired_total, handed_total, households_done, buildings_done, paid_total."""
    upto = _through(year, month)

    def total(name: str, output=_DEC, zero=ZERO):
        return Coalesce(Sum(f"months__{name}", filter=upto), Value(zero), output_field=output)

    return plans.annotate(
        acquired_total=total("acquired"),
        handed_total=total("handed_over"),
        households_done=total("households_relocated", IntegerField(), 0),
        buildings_done=total("buildings_relocated", IntegerField(), 0),
        paid_total=total("compensation_paid"),
    )


def behind(plans: QuerySet, *, on: dt.date) -> QuerySet:
    """The slip rule: the planned hand-over date has passed (it is before `on`) and less than the
    area needed has been handed over by then (the months through `on`'s). On the planned date itself
    the plan is not yet behind."""
    return with_totals(plans.filter(handover_due__lt=on), year=on.year, month=on.month).filter(
        handed_total__lt=F("area_needed")
    )


def behind_reason(plan: LandPlan) -> str:
    return _(
        "Land hand-over behind (%(township)s): %(needed)s mu needed, %(done)s mu handed over, "
        "planned by %(due)s"
    ) % {
        "township": plan.township.name,
        "needed": mu(plan.area_needed),
        "done": mu(plan.handed_total),
        "due": plan.handover_due.isoformat(),
    }


def land_warnings(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """The `land_behind` warning provider (reports.warnings): one warning per plan behind, today.
    One query whatever the number of projects (the plans, their townships joined)."""
    on = today()

    def build(projects: QuerySet) -> QuerySet:
        plans = behind(LandPlan.objects.filter(project__in=projects), on=on)
        return plans.order_by("project_id", "township__sort", "township__name").values_list(
            "project_id", "township__name", "area_needed", "handed_total", "handover_due"
        )

    url = detail_link("land:project")
    for project_id, township, needed, handed, due in warnings.read(projects, (WARNING_KIND, on), build):
        plan = LandPlan(
            project_id=project_id, township=Township(name=township), area_needed=needed, handover_due=due
        )
        plan.handed_total = handed
        yield ProjectWarning(
            kind=WARNING_KIND, project_id=project_id, reason=behind_reason(plan), url=url(project_id)
        )


@dataclass(frozen=True)
class LandGap:
    """Land a project still lacks before it may start: `what` ("交地 12 亩"), `owner` (the township)."""

    what: str
    owner: str


def gaps(holders: QuerySet | Iterable, *, of: str = "project") -> dict[int, list[LandGap]]:
    """Project id (or candidate id, `of="candidate"`) → the land it still lacks (each township whose
    land is not all handed over), for readiness (具备开工条件). Those with no land plan need no land
    and are absent. One query."""
    plans = (
        with_totals(LandPlan.objects.filter(**{f"{of}__in": holders}))
        .filter(handed_total__lt=F("area_needed"))
        .select_related("township")
        .order_by(f"{of}_id", "township__sort", "township__name")
    )
    found: dict[int, list[LandGap]] = defaultdict(list)
    for plan in plans:
        short = plan.area_needed - plan.handed_total
        found[getattr(plan, f"{of}_id")].append(
            LandGap(what=_("hand-over of %(area)s mu") % {"area": mu(short)}, owner=plan.township.name)
        )
    return dict(found)


@dataclass
class TownshipRow:
    township_id: int | None
    name: str
    plans: int = 0
    area_needed: Decimal = ZERO
    farmland: Decimal = ZERO
    acquired: Decimal = ZERO
    handed_over: Decimal = ZERO
    households: int = 0
    households_done: int = 0
    buildings: int = 0
    buildings_done: int = 0
    compensation_needed: Decimal = ZERO
    compensation_paid: Decimal = ZERO
    behind: int = 0
    projects: list = field(default_factory=list)

    @property
    def area_left(self) -> Decimal:
        return self.area_needed - self.handed_over

    @property
    def households_left(self) -> int:
        return self.households - self.households_done


_PLAN_SUMS = ("area_needed", "farmland", "households", "buildings", "compensation_needed")
_MONTH_SUMS = (
    ("acquired", "acquired"),
    ("handed_over", "handed_over"),
    ("households_done", "households_relocated"),
    ("buildings_done", "buildings_relocated"),
    ("compensation_paid", "compensation_paid"),
)


def register_plans(user, *, year: int) -> QuerySet:
    """The plans in the user's scope whose project is on `year`'s list (not yet annotated)."""
    return LandPlan.objects.for_user(user).filter(project__plans__year=year)


def by_township(plans: QuerySet, *, year: int, on: dt.date) -> tuple[list[TownshipRow], TownshipRow]:
    """The register by township (in the county's township order) and its total row, with the months
    through `year`. Three queries whatever the number of plans: the plans' sums per township, their
    months' sums per township, and the plans behind on `on` per township."""
    ids = plans.values("pk")
    needed = (
        LandPlan.objects.filter(pk__in=ids)
        .values("township_id", "township__name", "township__sort")
        .annotate(plan_count=Count("pk"), **{name: Sum(name) for name in _PLAN_SUMS})
        .order_by("township__sort", "township__name")
    )
    done = {
        row["plan__township_id"]: row
        for row in LandMonth.objects.filter(plan__in=ids, year__lte=year)
        .values("plan__township_id")
        .annotate(**{name: Sum(source) for name, source in _MONTH_SUMS})
        .order_by()
    }
    late = Counter(behind(LandPlan.objects.filter(pk__in=ids), on=on).values_list("township_id", flat=True))
    result = []
    total = TownshipRow(None, _("Total"))
    for row in needed:
        line = TownshipRow(row["township_id"], row["township__name"], plans=row["plan_count"])
        sums = {**row, **done.get(row["township_id"], {})}
        for name in (*_PLAN_SUMS, *(name for name, _source in _MONTH_SUMS)):
            if sums.get(name) is not None:
                value = sums[name]
                setattr(line, name, q2(value) if isinstance(getattr(line, name), Decimal) else value)
        line.behind = late.get(row["township_id"], 0)
        result.append(line)
        total.plans += line.plans
        total.behind += line.behind
        for name in (*_PLAN_SUMS, *(name for name, _source in _MONTH_SUMS)):
            setattr(total, name, getattr(total, name) + getattr(line, name))
    return result, total


def months_of(plan_ids: Iterable[int]) -> dict[int, list[LandMonth]]:
    """Plan id → its months, oldest first (one query)."""
    found: dict[int, list[LandMonth]] = defaultdict(list)
    for entry in LandMonth.objects.filter(plan_id__in=list(plan_ids)).order_by("year", "month"):
        found[entry.plan_id].append(entry)
    return dict(found)
