"""The blocker register's rows (/blockers/) are read as tuples of what they print
(blockers.views.register_page_rows): each row still shows what the blocker itself says — its
cooperating units in their usual order, its description cut as Truncator cuts it, its leader, its
dates in the local time zone, overdue in red — every text escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from blockers.models import Blocker

from . import factories as f
from .blocker_builders import raise_blocker
from .conftest import login

pytestmark = pytest.mark.usefixtures("pinned_today")

HOSTILE = "<b>\"洪安\" & '桥'</b>"


def rows_of(html: str) -> dict[str, str]:
    """Blocker id → its row's HTML."""
    body = html.split('<table class="table table-hover table-sm align-middle mb-0 kp-table" id="blockers">')[
        1
    ]
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'<tr class="[^"]*">.*?/blockers/(\d+)/.*?</tr>', body, re.S)
    }


def test_it_lists_each_blockers_cooperating_units_in_their_usual_order(world):
    units = [f.unit(world.county, name) for name in ("县自然资源局", "县财政局", HOSTILE)]
    b = raise_blocker(world.reservoir, deadline=dt.date(2020, 10, 1), description="征地拆迁" * 30)
    b.cooperating_units.set([*units, world.water, world.hongan])
    plain = raise_blocker(world.bridge, kind="funds", description=HOSTILE)
    rows = rows_of(login(world.office).get(reverse("blockers:register")).content.decode())
    expected = "、".join(escape(u.name) for u in b.cooperating_units.all())
    assert f'<div class="small text-secondary">{"配合："} {expected}</div>' in rows[str(b.pk)]
    assert escape(Truncator(b.description).chars(60)) in rows[str(b.pk)]
    assert rows[str(b.pk)].startswith('<tr class="table-danger">')  # due on 1 October, open on the 11th
    assert "配合：" not in rows[str(plain.pk)] and escape(HOSTILE) in rows[str(plain.pk)]
    assert HOSTILE not in rows[str(plain.pk)]


def test_it_shows_the_leader_the_unit_and_the_local_day_raised(world):
    b = raise_blocker(world.reservoir, description="库区移民安置")
    # 23:30 in Shanghai on 1 September is still 31 August in UTC: the row says the local day.
    Blocker.objects.filter(pk=b.pk).update(
        raised_at=timezone.make_aware(dt.datetime(2020, 9, 1, 23, 30)),
        leader=world.reservoir.leader,
        lead_unit=world.water,
    )
    row = rows_of(login(world.office).get(reverse("blockers:register")).content.decode())[str(b.pk)]
    assert '<td class="text-nowrap">2020-09-01</td>' in row
    assert f"<td>{escape(world.water.name)}</td>" in row
    title = world.reservoir.leader.title if world.reservoir.leader else None
    assert f"<td>{escape(title) if title else '—'}</td>" in row
    Blocker.objects.filter(pk=b.pk).update(leader=None)
    row = rows_of(login(world.office).get(reverse("blockers:register")).content.decode())[str(b.pk)]
    assert "<td>—</td>" in row


def test_a_page_holds_fifty_blockers_however_many_units_cooperate_on_each(world):
    # A page is read in one statement, a row per cooperating unit: the page is still cut at 50
    # blockers, each listed once with all its units, and the next page goes on where it stopped.
    units = [f.unit(world.county, f"配合单位{i}") for i in range(3)]
    for i in range(55):
        b = raise_blocker(
            world.bridge, deadline=dt.date(2020, 12, 1) + dt.timedelta(days=i), description=f"卡点{i}"
        )
        b.cooperating_units.set(units[: i % 4])
    client = login(world.office)
    first = rows_of(client.get(reverse("blockers:register")).content.decode())
    second = rows_of(client.get(reverse("blockers:register"), {"page": "2"}).content.decode())
    assert len(first) == 50 and len(second) == 5
    assert not set(first) & set(second)
    listed = list(first.values()) + list(second.values())
    for i, row in enumerate(listed):
        names = "、".join(escape(u.name) for u in units[: i % 4])
        assert (f'<div class="small text-secondary">配合： {names}</div>' in row) == bool(names), i
