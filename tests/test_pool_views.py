"""The pool's views: sector × maturity with every sector (those without candidates stand out), by
unit, by channel (applied, approved, arrived summed), growth by quarter — and a fixed number of
queries on the list whatever the number of candidates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pool import figures
from pool.models import Candidate, FundingChannel

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world):
    water, transport = f.sector("水利"), f.sector("交通")
    f.sector("能源")  # no candidate at all
    central, bonds = pb.channel(world.county, "中央预算内投资"), pb.channel(world.county, "地方政府专项债券")
    dam = pb.candidate(
        region=world.county,
        lead_unit=world.water,
        sector=water,
        investment="86000.00",
        maturity=Candidate.Maturity.READY,
        entered_on=dt.date(2019, 2, 1),
    )
    levee = pb.candidate(
        region=world.county,
        lead_unit=world.water,
        sector=water,
        investment="24000.50",
        maturity=Candidate.Maturity.READY,
        entered_on=dt.date(2019, 8, 15),
    )
    road = pb.candidate(
        region=world.county,
        lead_unit=world.transport,
        sector=transport,
        investment="32000.00",
        entered_on=dt.date(2020, 4, 2),
    )
    far = pb.candidate(
        region=world.other_county, lead_unit=world.other_unit, sector=f.sector("能源"), investment="9.00"
    )
    dam.channels.set([central])
    levee.channels.set([central, bonds])
    pb.application(dam, central, "20000.00", "12000.00", "6000.00", batch="2020年第一批")
    pb.application(levee, central, "5000.00", "3000.50")
    pb.application(levee, bonds, "8000.00")
    pb.application(far, pb.channel(world.other_county, "中央预算内投资"), "999.00", "999.00", "999.00")
    return {"dam": dam, "levee": levee, "road": road}


def test_it_counts_every_sector_and_maturity_and_flags_sectors_without_candidates(world, pool):
    matrix = figures.sector_maturity(Candidate.objects.for_user(world.office))
    rows = {row.sector.name: row for row in matrix.rows}
    ready = list(Candidate.Maturity.values).index("ready")
    assert rows["水利"].cells[ready].count == 2 and rows["水利"].cells[ready].investment == Decimal(
        "110000.50"
    )
    assert rows["交通"].total.count == 1 and rows["能源"].empty
    assert [s.name for s in matrix.empty_sectors] == ["能源"]  # the other county's is not the office's
    assert matrix.total.count == 3 and matrix.total.investment == Decimal("142000.50")
    page = login(world.office).get("/pool/sectors/").content.decode()
    assert "kp-pool-empty" in page and "能源" in page
    assert "110,000.50" in page and "142,000.50" in page


def test_it_sums_applications_by_channel(world, pool):
    channels = FundingChannel.objects.for_user(world.office)
    rows = {r.channel.name: r for r in figures.by_channel(Candidate.objects.for_user(world.office), channels)}
    central = rows["中央预算内投资"]
    assert (central.applications, central.applied, central.approved, central.arrived) == (
        2,
        Decimal("25000.00"),
        Decimal("15000.50"),
        Decimal("6000.00"),
    )
    assert central.aligned == 2 and rows["地方政府专项债券"].applied == Decimal("8000.00")
    page = login(world.office).get("/pool/channels/").content.decode()
    assert "25,000.00" in page and "15,000.50" in page and "999.00" not in page
    unit = login(world.transport_user).get("/pool/channels/").content.decode()
    assert "25,000.00" not in unit  # the transport bureau's candidates applied for nothing


def test_it_grows_by_quarter_with_empty_quarters_and_a_running_total(world, pool):
    quarters = figures.growth_by_quarter(Candidate.objects.for_user(world.office))
    assert [q.label for q in quarters] == ["2019Q1", "2019Q2", "2019Q3", "2019Q4", "2020Q1", "2020Q2"]
    assert [q.count for q in quarters] == [1, 0, 1, 0, 0, 1]
    assert quarters[-1].cumulative_count == 3 and quarters[-1].cumulative_investment == Decimal("142000.50")
    page = login(world.office).get("/pool/growth/").content.decode()
    assert 'id="pool-growth-data"' in page and "2019Q3" in page


def test_it_totals_by_unit(world, pool):
    rows = {r["lead_unit__name"]: r for r in figures.by_unit(Candidate.objects.for_user(world.office))}
    assert rows["县水利局"]["count"] == 2 and rows["县水利局"]["ready"] == 2
    assert rows["县交通局"]["investment"] == Decimal("32000.00")


def test_it_filters_by_sector_maturity_channel_and_year(world, pool):
    client = login(world.office)
    central = pool["dam"].channels.get()
    page = client.get(f"/pool/?channel={central.pk}&maturity=ready").content.decode()
    assert f"/pool/{pool['dam'].pk}/" in page and f"/pool/{pool['road'].pk}/" not in page
    for bad in (
        "year=abc",
        "year=99999999999999999999",
        "unit=abc",
        "channel=-1",
        "maturity=x",
        "q=" + "长" * 300,
    ):
        assert client.get(f"/pool/?{bad}").status_code == 200
        assert client.get(f"/pool/sectors/?{bad}").status_code == 200
    assert f"/pool/{pool['dam'].pk}/" not in client.get("/pool/?year=2022").content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", ["/pool/", "/pool/sectors/", "/pool/units/", "/pool/channels/", "/pool/growth/"]
)
def test_it_issues_the_same_number_of_queries_for_few_and_many_candidates(world, pool, url):
    client = login(world.office)
    queries(client, url)  # the first request of a session also loads what the session caches
    few = queries(client, url)
    central = pool["dam"].channels.get()
    for i in range(30):
        c = pb.candidate(
            region=world.county,
            lead_unit=world.transport,
            sector=f.sector("交通"),
            entered_on=dt.date(2020, 1 + i % 9, 1),
        )
        c.channels.set([central])
        c.townships.set([world.hongan_town])
        pb.application(c, central, "10.00")
    assert queries(client, url) == few
