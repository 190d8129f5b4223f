"""Read-side queries over blockers. Scoped: everything starts from Blocker.objects.for_user(user)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.utils.translation import gettext as _

from lib import statements
from lib.months import month_end, previous_month
from lib.today import today
from reports.figures import scope_key

from .models import Blocker, BlockerQuerySet, open_on

OPEN = [Blocker.Status.OPEN, Blocker.Status.COORDINATING]

if TYPE_CHECKING:
    from accounts.models import User


def counts_as_of(year: int, month: int) -> dt.date:
    """The day open and overdue blockers and tasks are counted on beside month M's figures.

    Today for the latest reporting month (the month before today's — September on 11 October —
    or a later one): the default view and a document generated now show the counts as they are.
    The month's last day for an earlier month, whose counts then stay as they were. The one rule
    for home, dashboard, big screen, cadence documents and the API.
    """
    if (year, month) >= previous_month(today()):
        return today()
    return month_end(year, month)


def as_of_label(on: dt.date) -> str:
    """ "截至10月11日": the words printed beside counts taken on `on`."""
    return _("as of %(month)s/%(day)s") % {"month": on.month, "day": on.day}


def blocker_counts(user: User, *, as_of: dt.date) -> dict:
    """{"open": n, "overdue": n} for the user's scope as of `as_of`, in one query.

    Open = raised by `as_of` and not resolved (or closed) by then; overdue = open with a deadline
    before `as_of`. The day comes from `counts_as_of`.

    The statement is compiled once per process under the user's scope and the day (lib.statements):
    building the scoped aggregate cost more Python than the count takes to run.
    """

    def build():
        is_open = open_on(as_of)
        counts = {
            "open": Count("pk", filter=is_open),
            "overdue": Count("pk", filter=is_open & Q(deadline__lt=as_of)),
        }
        return Blocker.objects.for_user(user), counts

    found = statements.aggregate(
        Blocker, ("blocker counts", scope_key(user), as_of), ("open", "overdue"), build
    )
    return found or {"open": 0, "overdue": 0}  # None: a scope that cannot hold any (no statement)


def awaiting_leader(user: User) -> BlockerQuerySet:
    """Open blockers escalated to the user's leader in charge, awaiting their decision (a leader's
    home page), the nearest deadline first."""
    if not user.leader_id:
        return Blocker.objects.none()
    return (
        Blocker.objects.for_user(user)
        .filter(status__in=OPEN, level=Blocker.Level.LEADER, leader_id=user.leader_id)
        .select_related("project", "lead_unit")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def awaiting_meeting(user: User) -> BlockerQuerySet:
    """Open blockers escalated to the county executive meeting and not yet decided there (the
    office's home page, the monthly study pack), the nearest deadline first."""
    return (
        Blocker.objects.for_user(user)
        .filter(status__in=OPEN, level=Blocker.Level.MEETING)
        .exclude(decisions__isnull=False)
        .select_related("project", "lead_unit", "leader")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def with_overdue(qs, *, on: dt.date):
    """Annotate `overdue_now`: open on `on` with a deadline before it."""
    return qs.annotate(
        overdue_now=ExpressionWrapper(
            Q(status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING], deadline__lt=on),
            output_field=BooleanField(),
        )
    )


def register_queryset(user: User, *, on: dt.date):
    """The user's blockers with everything the register shows, in a fixed number of queries."""
    qs = (
        Blocker.objects.for_user(user)
        .select_related("project", "project__region", "lead_unit", "leader")
        .prefetch_related("cooperating_units")
    )
    return with_overdue(qs, on=on)


def register_rows(ids: list[int], *, on: dt.date) -> list[Blocker]:
    """The register's rows for blocker ids already chosen from the user's scoped register, in that
    order: the page is cut on the bare blockers first, then only its rows are joined."""
    qs = (
        Blocker.objects.filter(pk__in=ids)
        .select_related("project", "project__region", "lead_unit", "leader")
        .prefetch_related("cooperating_units")
    )
    rows = {b.pk: b for b in with_overdue(qs, on=on)}
    return [rows[pk] for pk in ids]


def _read(key: tuple | None, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the values_list() queryset `build()` makes, its SQL kept under `key` when
    there is one (lib.statements; None: built and read afresh)."""
    return statements.rows(Blocker, key, build) if key is not None else list(build())


def _counted(qs: QuerySet) -> QuerySet:
    return qs.order_by().annotate(n=Count("pk"), overdue=Count("pk", filter=Q(overdue_now=True)))


def kind_rows(qs: QuerySet | Callable[[], QuerySet], *, key: tuple | None = None) -> list[tuple]:
    """(kind, blockers, overdue) for each kind `qs` has (with_overdue's blockers, or a function
    making them: called only when the statement is not kept under `key`, see _read)."""
    build = qs if callable(qs) else lambda: qs
    return _read(
        key and ("blockers by kind", *key),
        lambda: _counted(build().values("kind")).values_list("kind", "n", "overdue"),
    )


def counts_by_kind(qs: QuerySet | None = None, *, rows: list[tuple] | None = None) -> list[dict]:
    """[{"kind", "label", "n", "overdue"}] for every kind, most common first (of `qs`, or of the
    kind_rows() read already)."""
    found = {kind: (n, overdue) for kind, n, overdue in (kind_rows(qs) if rows is None else rows)}
    out = [
        {"kind": k, "label": label, "n": found.get(k, (0, 0))[0], "overdue": found.get(k, (0, 0))[1]}
        for k, label in Blocker.Kind.choices
    ]
    return sorted(out, key=lambda r: -r["n"])


def counts_by_unit(
    qs: QuerySet | Callable[[], QuerySet], *, limit: int | None = None, key: tuple | None = None
) -> list[dict]:
    """[{"lead_unit_id", "lead_unit__name", "n", "overdue"}] by lead unit, most blockers first;
    the first `limit` units only, if given (`qs` and `key` as for kind_rows)."""
    build = qs if callable(qs) else lambda: qs

    def query() -> QuerySet:
        rows = (
            _counted(build().values("lead_unit_id", "lead_unit__name"))
            .order_by("-n", "lead_unit__name")
            .values_list("lead_unit_id", "lead_unit__name", "n", "overdue")
        )
        return rows if limit is None else rows[:limit]

    names = ("lead_unit_id", "lead_unit__name", "n", "overdue")
    return [
        dict(zip(names, row, strict=True)) for row in _read(key and ("blockers by unit", limit, *key), query)
    ]
