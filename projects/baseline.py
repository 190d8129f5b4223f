"""The original baseline (原始基线) and its revisions (概算调整/工期调整), and the variance — in one place.

- A project's baseline is recorded when it is created, whatever creates it (the create form,
  import_projects, a year list published from the pool, a test): `record_on_creation`, connected to
  Project's post_save in ProjectsConfig.ready. A receiver rather than a call in each of the three
  creating services, so that a fourth path cannot forget it. Existing projects were backfilled by
  migration 0008; `record_missing` does the same for rows written by bulk_create (the demo).
- After the baseline, a change of total investment or planned dates is a BaselineRevision: the
  office's own edit is recorded approved; a unit's edit is a request, and the project keeps its
  values until the office approves it.
- Variance: 超概算 % = (current − original) ÷ original × 100, two places; months late = whole months
  from the original planned completion to the current one (the actual completion once done),
  positive when late. Every page, export and endpoint asks `variance()`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from lib import statements
from lib.concurrency import Stale, WrongState

from .models import BASELINE_FIELDS, Baseline, BaselineRevision, Project

if TYPE_CHECKING:
    from accounts.models import User

CENT = Decimal("0.01")
DASHBOARD_SIZE = 10


# -- the variance -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Variance:
    overrun_pct: Decimal | None  # 超概算 %, None when there is no original (or it is zero)
    months_late: int | None  # None without both completion dates; negative when early

    @property
    def months_early(self) -> int | None:
        return None if self.months_late is None else -self.months_late


def overrun_pct(original: Decimal | None, current: Decimal | None) -> Decimal | None:
    """(current − original) ÷ original × 100, to two places (half up). An original of zero or none has
    no percentage: None, never a division by zero."""
    if original is None or current is None or original == 0:
        return None
    return ((Decimal(current) - Decimal(original)) * 100 / Decimal(original)).quantize(CENT, ROUND_HALF_UP)


def _add_months(day: dt.date, n: int) -> dt.date:
    """`day` moved by `n` months, the day clamped to the month's end (31 January + 1 → 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the largest n with start + n months not past `end`, or,
    when `end` is earlier, the negative n nearest zero with start + n months not before it.
    30 June → 31 December is 6, → 29 December 5; 30 June → 1 May is −1."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if n > 0 and _add_months(start, n) > end:
        n -= 1
    elif n < 0 and _add_months(start, n) < end:
        n += 1
    return n


def months_late(
    original_end: dt.date | None, current_end: dt.date | None, actual_end: dt.date | None = None
) -> int | None:
    """Whole months from the original planned completion to the actual completion when the project is
    done, else to the current planned completion; positive is late."""
    end = actual_end or current_end
    if original_end is None or end is None:
        return None
    return whole_months(original_end, end)


def variance(project: Project) -> Variance:
    """The project's variance against its baseline (read from project.baseline: select_related it
    for lists). No baseline: nothing to compare, both None."""
    base = baseline_of(project)
    if base is None:
        return Variance(None, None)
    return _variance(
        base.total_investment,
        base.planned_end,
        project.total_investment,
        project.planned_end,
        project.actual_end,
    )


def _variance(
    original_total: Decimal | None,
    original_end: dt.date | None,
    total: Decimal | None,
    planned_end: dt.date | None,
    actual_end: dt.date | None,
) -> Variance:
    """A project's variance from its baseline's values and its own."""
    return Variance(overrun_pct(original_total, total), months_late(original_end, planned_end, actual_end))


def baseline_of(project: Project) -> Baseline | None:
    """project.baseline, or None when it has none (no query when it was select_related)."""
    try:
        return project.baseline
    except Baseline.DoesNotExist:
        return None


# -- recording the baseline ------------------------------------------------------------------------
def _acting_user(project: Project) -> User | None:
    user = getattr(project, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def record(project: Project, *, how: str = Baseline.How.CREATED, user: User | None = None) -> Baseline:
    """The project's baseline: its current values, recorded now unless it has one already."""
    now = timezone.now()
    baseline, _created = Baseline.objects.get_or_create(
        project=project,
        defaults={
            "total_investment": project.total_investment,
            "planned_start": project.planned_start,
            "planned_end": project.planned_end,
            "how": how,
            "as_of": project.created or now,
            "recorded_at": now,
            "recorded_by": user,
        },
    )
    return baseline


def record_on_creation(
    sender: type, instance: Project, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """post_save of Project: a new project's values are its baseline (fixtures loaded raw are not)."""
    if created and not raw:
        record(instance, user=_acting_user(instance))


def record_missing(projects: QuerySet[Project]) -> int:
    """Baselines for those of `projects` without one (written by bulk_create), from their values now."""
    now = timezone.now()
    rows = [
        Baseline(
            project_id=p.pk,
            total_investment=p.total_investment,
            planned_start=p.planned_start,
            planned_end=p.planned_end,
            how=Baseline.How.CREATED,
            as_of=p.created or now,
            recorded_at=now,
        )
        for p in projects.filter(baseline__isnull=True).only(
            "pk", "total_investment", "planned_start", "planned_end", "created"
        )
    ]
    Baseline.objects.bulk_create(rows)
    return len(rows)


# -- revisions --------------------------------------------------------------------------------------
def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The baseline fields whose value `after` differs from `before` ({name: new value})."""
    return {
        name: after[name] for name in BASELINE_FIELDS if name in after and after[name] != before.get(name)
    }


def values_of(project: Project) -> dict[str, Any]:
    return {name: getattr(project, name) for name in BASELINE_FIELDS}


def _revision(
    project: Project, before: dict[str, Any], new: dict[str, Any], **fields: Any
) -> BaselineRevision:
    after = {**before, **new}
    return BaselineRevision(
        project=project,
        **{f"old_{name}": before[name] for name in BASELINE_FIELDS},
        **{f"new_{name}": after[name] for name in BASELINE_FIELDS},
        **fields,
    )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for changing the total investment or the planned dates."))
    return reason


def revision_record(
    *,
    user: User,
    project: Project,
    before: dict[str, Any],
    reason: str,
    approval_number: str = "",
    approving_authority: str = "",
) -> BaselineRevision | None:
    """The office's own change, already saved on `project` (inside the edit's transaction): an
    approved revision from `before` to the project's values now. None when nothing changed."""
    new = changes(before, values_of(project))
    if not new:
        return None
    now = timezone.now()
    revision = _revision(
        project,
        before,
        new,
        state=BaselineRevision.State.APPROVED,
        reason=_clean_reason(reason),
        approval_number=approval_number.strip(),
        approving_authority=approving_authority.strip(),
        requested_by=user,
        requested_at=now,
        decided_by=user,
        decided_at=now,
    )
    revision._history_user = user
    revision.save()
    return revision


def revision_request(*, user: User, project: Project, new: dict[str, Any], reason: str) -> BaselineRevision:
    """A unit's request to change the baseline fields to `new` (what it typed); the project keeps its
    values until the office approves. Refused while another request for the project waits."""
    if not Project.objects.editable_by(user).filter(pk=project.pk).exists():
        raise PermissionDenied(_("You may read this project but not change it."))
    before = values_of(project)
    if not changes(before, new):
        raise ValidationError(_("The request changes neither the total investment nor the planned dates."))
    waiting = BaselineRevision.objects.filter(project=project, state=BaselineRevision.State.REQUESTED).first()
    if waiting is not None:
        raise WrongState(
            _("A request to change this project's baseline, filed on %(day)s, is waiting for the office.")
            % {"day": timezone.localtime(waiting.requested_at).strftime("%Y-%m-%d")}
        )
    revision = _revision(
        project,
        before,
        changes(before, new),
        reason=_clean_reason(reason),
        requested_by=user,
        requested_at=timezone.now(),
    )
    revision._history_user = user
    revision.save()
    return revision


def pending(user: User) -> QuerySet[BaselineRevision]:
    """The requests waiting for a decision on projects the user may see."""
    return (
        BaselineRevision.objects.filter(
            state=BaselineRevision.State.REQUESTED, project__in=Project.objects.for_user(user)
        )
        .select_related("project", "project__lead_unit", "requested_by")
        .order_by("requested_at", "pk")
    )


def get_revision_for_decision(user: User, pk: int) -> BaselineRevision:
    """A revision the user may decide on: the office's, in its scope; others are refused."""
    if not user.is_office:
        raise PermissionDenied(_("Only the key-project office decides on baseline revisions."))
    revision = BaselineRevision.objects.filter(pk=pk, project__in=Project.objects.for_user(user)).first()
    if revision is None:
        raise BaselineRevision.DoesNotExist
    return revision


def _locked(user: User, revision: BaselineRevision, seen: int | None) -> BaselineRevision:
    current = BaselineRevision.objects.select_for_update().get(pk=revision.pk)
    if current.state != BaselineRevision.State.REQUESTED:
        who, when = current.last_change()
        message = (
            _("This request was approved already by %(who)s at %(when)s.")
            if current.state == BaselineRevision.State.APPROVED
            else _("This request was rejected already by %(who)s at %(when)s.")
        )
        raise WrongState(
            message
            % {
                "who": who or _("someone else"),
                "when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else "—",
            }
        )
    if seen is not None and seen != current.version:
        raise Stale(current)
    return current


@transaction.atomic
def revision_approve(
    *,
    user: User,
    revision: BaselineRevision,
    seen: int | None,
    approval_number: str = "",
    approving_authority: str = "",
) -> BaselineRevision:
    """Approve a unit's request: the project takes the requested values of the fields the request
    changes (the other fields stay as they are now); the revision's old values are the project's
    at this moment, so the history reads as one chain."""
    revision = _locked(user, get_revision_for_decision(user, revision.pk), seen)
    # Lock the project as the edit form does: a save in between would be overwritten otherwise.
    project = Project.objects.select_for_update().get(pk=revision.project_id)
    requested = {name: getattr(revision, f"new_{name}") for name in revision.changed()}
    before = values_of(project)
    after = {**before, **requested}
    if after["planned_start"] and after["planned_end"] and after["planned_end"] < after["planned_start"]:
        raise ValidationError(_("Approved, the planned completion would come before the planned start."))
    for name in BASELINE_FIELDS:
        setattr(revision, f"old_{name}", before[name])
        setattr(revision, f"new_{name}", after[name])
        setattr(project, name, after[name])
    project._history_user = user
    project.save()
    revision.state = BaselineRevision.State.APPROVED
    revision.approval_number = approval_number.strip()
    revision.approving_authority = approving_authority.strip()
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision._history_user = user
    revision.save()
    return revision


@transaction.atomic
def revision_reject(
    *, user: User, revision: BaselineRevision, seen: int | None, reason: str
) -> BaselineRevision:
    """Reject a unit's request with a reason; the project is not changed."""
    revision = _locked(user, get_revision_for_decision(user, revision.pk), seen)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for rejecting the request."))
    revision.state = BaselineRevision.State.REJECTED
    revision.rejection_reason = reason
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision._history_user = user
    revision.save()
    return revision


# -- reading ----------------------------------------------------------------------------------------
@dataclass
class Card:
    """The project page's "original vs current" card."""

    baseline: Baseline | None
    current: dict[str, Any]
    variance: Variance
    revisions: list[BaselineRevision]


def card(project: Project) -> Card:
    """The baseline, current values, variance and every revision (newest first), in two queries."""
    baseline = Baseline.objects.select_related("recorded_by").filter(project=project).first()
    project.baseline = baseline  # the variance reads it without another query
    revisions = list(
        project.baseline_revisions.select_related("requested_by", "decided_by").order_by(
            "-requested_at", "-pk"
        )
    )
    return Card(
        baseline, values_of(project), variance(project) if baseline else Variance(None, None), revisions
    )


# What the dashboard's lists print of a candidate, read as tuples; then whether it ran over, ran late.
LARGEST_COLUMNS = (
    "pk",
    "code",
    "name",
    "lead_unit__name",
    "total_investment",
    "planned_end",
    "actual_end",
    "baseline__total_investment",
    "baseline__planned_end",
    "is_over",
    "is_late",
)


def _project_row(row: tuple, v: Variance) -> dict:
    """A candidate's LARGEST_COLUMNS `row` and its variance as the dashboard's lists show them."""
    pk, code, name, unit, total, planned_end, actual_end, original_total, original_end, _over, _late = row
    end = actual_end or planned_end
    return {
        "id": pk,
        "code": code,
        "name": name,
        "unit": unit,
        "original_total_investment": f"{original_total:.2f}",
        "total_investment": f"{total:.2f}",
        "overrun_pct": None if v.overrun_pct is None else float(v.overrun_pct),
        "original_planned_end": original_end.isoformat() if original_end else None,
        "planned_end": end.isoformat() if end else None,
        "months_late": v.months_late,
        "url": reverse("projects:detail", args=[pk]),
    }


def largest(user: User, *, year: int, size: int = DASHBOARD_SIZE, scope: tuple | None = None) -> dict:
    """The dashboard's largest overruns and largest delays among the year's projects in scope (top
    `size` each), in one query: the database picks the projects that ran over or late (each
    flagged), `variance` ranks them (a delay counted in whole months cannot be ordered by the
    database alike on SQLite and PostgreSQL, and the candidates are the few revised projects).

    `scope`: what the user's scope condition depends on (reports.figures.scope_key), to keep the
    statement compiled once per process (lib.statements: building the scoped, annotated query cost
    more Python than it takes to run); None: compiled afresh."""

    def build() -> QuerySet:
        over = Q(baseline__total_investment__gt=0, total_investment__gt=F("baseline__total_investment"))
        late = Q(baseline__planned_end__isnull=False, end__gt=F("baseline__planned_end"))
        return (
            Project.objects.for_user(user)
            .filter(plans__year=year)
            .annotate(end=Coalesce("actual_end", "planned_end"))
            .annotate(
                is_over=ExpressionWrapper(over, BooleanField()),
                is_late=ExpressionWrapper(late, BooleanField()),
            )
            .filter(over | late)
            # Unordered (the model orders by code): ordered by code, SQLite read every project of
            # the province in the code index's order to spare the sort, not the scope's by region.
            .order_by()
            .values_list(*LARGEST_COLUMNS)
        )

    candidates = statements.rows(Project, ("largest", scope, year), build) if scope else list(build())
    overruns, delays = [], []
    for row in candidates:
        pk, code, _name, _unit, total, planned_end, actual_end, original_total, original_end, over, late = row
        # A candidate always has a baseline: both conditions read it.
        v = _variance(original_total, original_end, total, planned_end, actual_end)
        if over:
            overruns.append((-v.overrun_pct, code, pk, row, v))
        if late and v.months_late and v.months_late > 0:
            delays.append((-v.months_late, code, pk, row, v))
    # Sorted by the figure, then code, then id (two counties' projects may share a code).
    overruns.sort(key=lambda item: item[:3])
    delays.sort(key=lambda item: item[:3])
    return {
        "overruns": [_project_row(row, v) for *_key, row, v in overruns[:size]],
        "delays": [_project_row(row, v) for *_key, row, v in delays[:size]],
    }
