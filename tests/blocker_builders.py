"""Builders for blockers in tests: one raised through the service, one written directly with its dates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from blockers import services
from blockers.models import Blocker


def at(day: dt.date) -> dt.datetime:
    """10:00 on `day`, in the current time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def raise_blocker(project, *, kind="land", deadline=None, description="征地拆迁未完成", by=None, raised=None):
    """A blocker raised through blockers.services (history recorded); `raised` backdates it to 9:00."""
    b = services.blocker_raise(project=project, by=by, kind=kind, description=description, deadline=deadline)
    if raised:
        Blocker.objects.filter(pk=b.pk).update(
            raised_at=timezone.make_aware(dt.datetime.combine(raised, dt.time(9)))
        )
    return b


def blocker(project, *, raised: dt.date, deadline: dt.date | None = None, resolved: dt.date | None = None):
    """A land blocker written directly, open or resolved on `resolved`."""
    return Blocker.objects.create(
        project=project,
        kind=Blocker.Kind.LAND,
        description="征地未完成",
        lead_unit=project.lead_unit,
        raised_at=at(raised),
        deadline=deadline,
        resolved_at=at(resolved) if resolved else None,
        status=Blocker.Status.RESOLVED if resolved else Blocker.Status.OPEN,
    )
