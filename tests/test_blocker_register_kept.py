"""The blocker register's reads (its counts by kind and by unit, its total, the page's ids) are compiled
once per process for each scope, day and choice of filters (lib.statements, blockers.views): a kept
statement must read what the filter's queryset reads afresh, for every role and every filter, and a
statement kept for one user or one choice must never answer another's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from blockers.filters import BlockerFilter
from blockers.models import Blocker
from blockers.selectors import counts_by_kind, counts_by_unit, register_queryset
from lib import statements
from lib.today import today

from .blocker_builders import raise_blocker
from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def blocked(world):
    raise_blocker(world.reservoir, deadline=dt.date(2020, 10, 1), description="库区移民安置")
    raise_blocker(world.road, kind="approvals", deadline=dt.date(2020, 12, 1), description="用地预审未批")
    old = raise_blocker(world.bridge, kind="funds", description="资金缺口")
    Blocker.objects.filter(pk=old.pk).update(
        raised_at=timezone.make_aware(dt.datetime(2020, 5, 1, 9)), level=Blocker.Level.MEETING
    )
    raise_blocker(
        world.road, kind="funds", deadline=dt.date(2020, 9, 1), description="配套资金"
    ).cooperating_units.set([world.water])
    raise_blocker(world.far, description="酉阳的卡点")
    return world


def choices(world) -> list[dict]:
    return [
        {},
        {"overdue": "yes"},
        {"overdue": "no", "kind": "funds"},
        {"kind": "approvals"},
        {"unit": str(world.water.pk)},
        {"unit": str(world.transport.pk), "status": "active"},
        {"leader": str(world.leader.pk)},
        {"age": "old"},
        {"level": "3"},
        {"q": "资金"},
        {"q": "  "},
        {"unit": "abc", "kind": "bogus"},  # invalid choices filter nothing, as before
        {"region": str(world.county.pk)},
    ]


def fresh(user, data: dict) -> dict:
    """What the register's filter reads when nothing is kept (the queryset compiled afresh)."""
    flt = BlockerFilter(data, queryset=register_queryset(user, on=today()), user=user)
    ordered = flt.qs.order_by("-overdue_now", "deadline", "-raised_at", "pk")
    return {
        "count": flt.qs.count(),
        "ids": list(ordered.values_list("pk", flat=True)[:50]),
        "by_kind": counts_by_kind(flt.qs),
        "by_unit": counts_by_unit(flt.qs, limit=21)[:20],
    }


def shown(client, data: dict) -> dict:
    context = client.get(reverse("blockers:register"), data).context
    page = context["page"]
    return {
        "count": page.paginator.count,
        "ids": [row.pk for row in page.object_list],
        "by_kind": context["by_kind"],
        "by_unit": context["by_unit"],
    }


@pytest.mark.parametrize(
    "who", ["office", "water_user", "transport_user", "leader_user", "viewer", "city_office"]
)
def test_kept_statements_read_what_the_filter_reads_afresh(blocked, who):
    user = getattr(blocked, who)
    client = login(user)
    for data in choices(blocked):
        statements.forget()
        expected = fresh(user, data)
        assert shown(client, data) == expected, data  # compiled, then kept
        assert shown(client, data) == expected, data  # read from the kept statements


def test_a_statement_kept_for_one_user_or_choice_does_not_answer_another(blocked):
    statements.forget()
    seen = {}
    for who in ("office", "water_user", "transport_user", "city_office", "outsider"):
        user = getattr(blocked, who)
        for data in choices(blocked):
            seen[who, tuple(sorted(data.items()))] = shown(login(user), data)
    for (who, data), said in seen.items():
        assert said == fresh(getattr(blocked, who), dict(data)), (who, data)


def test_the_register_pages_through_the_kept_ids(blocked):
    for i in range(60):
        raise_blocker(blocked.bridge, description=f"卡点{i}")
    client = login(blocked.office)
    statements.forget()
    first, second = shown(client, {}), shown(client, {"page": "2"})
    assert first["count"] == second["count"] == 64
    assert len(first["ids"]) == 50 and len(second["ids"]) == 14
    assert first["ids"] + second["ids"] == list(
        register_queryset(blocked.office, on=today())
        .order_by("-overdue_now", "deadline", "-raised_at", "pk")
        .values_list("pk", flat=True)
    )
