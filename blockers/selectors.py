"""Read-side queries over blockers. Scoped: everything starts from Blocker.objects.for_user(user)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from .models import Blocker, open_on

if TYPE_CHECKING:
    from accounts.models import User


def blocker_counts(user: User, *, on: dt.date) -> dict:
    """{"open": n, "overdue": n} for the user's scope as of `on`, in one query.

    Open = raised by `on` and not resolved (or closed) by then; overdue = open with a deadline before `on`.
    """
    is_open = open_on(on)
    return Blocker.objects.for_user(user).aggregate(
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(deadline__lt=on)),
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


def counts_by_kind(qs) -> list[dict]:
    """[{"kind", "label", "n", "overdue"}] for every kind, most common first."""
    rows = {
        r["kind"]: r
        for r in qs.order_by()
        .values("kind")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(overdue_now=True)))
    }
    out = [
        {
            "kind": k,
            "label": label,
            "n": rows.get(k, {}).get("n", 0),
            "overdue": rows.get(k, {}).get("overdue", 0),
        }
        for k, label in Blocker.Kind.choices
    ]
    return sorted(out, key=lambda r: -r["n"])


def counts_by_unit(qs, *, limit: int | None = None) -> list[dict]:
    """[{"lead_unit_id", "lead_unit__name", "n", "overdue"}] by lead unit, most blockers first;
    the first `limit` units only, if given."""
    rows = (
        qs.order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(overdue_now=True)))
        .order_by("-n", "lead_unit__name")
    )
    return list(rows if limit is None else rows[:limit])
