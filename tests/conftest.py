"""The shared world: a city with two counties; in 秀山县 an office, units, a township, a leader,
a supervisor and a viewer; and an outsider office in the neighbouring county. "Today" is frozen with
time-machine (`today_is`, `pinned_today`), never through the KEYPROJ_TODAY variable."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from accounts.models import User
from demo.build import build_demo
from projects.models import Leader, Project, Unit

from . import factories as f
from .report_builders import started_report

SHANGHAI = ZoneInfo("Asia/Shanghai")
MEETING_DAY = dt.date(2020, 10, 11)  # the demo county's executive meeting: the day `make run` shows


@dataclass
class World:
    city: object
    county: object
    other_county: object
    hongan_town: object
    water: Unit
    transport: Unit
    hongan: Unit
    other_unit: Unit
    leader: Leader
    office: User
    water_user: User
    transport_user: User
    hongan_user: User
    leader_user: User
    supervisor: User
    viewer: User
    city_office: User
    outsider: User
    reservoir: Project  # water's, built in 洪安镇, leader in charge
    road: Project  # transport's, water cooperates
    bridge: Project  # transport's alone
    far: Project  # the other county's


@pytest.fixture
def world(db) -> World:
    city = f.region("重庆市", "500000", "city")
    county = f.region("秀山县", "500241", "county", city)
    other = f.region("酉阳县", "500242", "county", city)
    hongan_town = f.township(county, "洪安镇")
    zhonghe = f.township(county, "中和街道")
    water = f.unit(county, "县水利局")
    transport = f.unit(county, "县交通局")
    hongan = f.unit(county, "洪安镇人民政府", kind=Unit.Kind.TOWNSHIP, township=hongan_town)
    other_unit = f.unit(other, "酉阳县水利局")
    lead = f.leader(county, "分管交通水利的副县长")
    water_sector, transport_sector = f.sector("水利"), f.sector("交通")
    reservoir = f.project(
        region=county,
        lead_unit=water,
        sector=water_sector,
        name="洪安水库工程",
        townships=[hongan_town],
        leader=lead,
        planned="3000.00",
        total="12000.00",
    )
    road = f.project(
        region=county,
        lead_unit=transport,
        sector=transport_sector,
        name="中和至平凯公路改造",
        townships=[zhonghe],
        cooperating=[water],
        planned="2000.00",
        total="8000.00",
    )
    bridge = f.project(
        region=county,
        lead_unit=transport,
        sector=transport_sector,
        name="梅江河大桥",
        townships=[zhonghe],
        planned="500.00",
        total="1500.00",
    )
    far = f.project(region=other, lead_unit=other_unit, sector=water_sector, name="酉阳水厂")
    return World(
        city=city,
        county=county,
        other_county=other,
        hongan_town=hongan_town,
        water=water,
        transport=transport,
        hongan=hongan,
        other_unit=other_unit,
        leader=lead,
        office=f.user("office", "office", county),
        water_user=f.user("water", "unit", county, unit=water),
        transport_user=f.user("transport", "unit", county, unit=transport),
        hongan_user=f.user("hongan", "unit", county, unit=hongan),
        leader_user=f.user("leader", "leader", county, leader=lead),
        supervisor=f.user("supervisor", "supervisor", county),
        viewer=f.user("viewer", "viewer", county),
        city_office=f.user("cityoffice", "office", city),
        outsider=f.user("outsider", "office", other),
        reservoir=reservoir,
        road=road,
        bridge=bridge,
        far=far,
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    return login


@pytest.fixture(autouse=True)
def _no_pinned_day_from_the_shell(monkeypatch):
    """lib/today prefers KEYPROJ_TODAY to the clock, so one left set in the shell (after `make run`)
    would outrank time-machine; tests about the variable itself set it again."""
    monkeypatch.delenv("KEYPROJ_TODAY", raising=False)


@pytest.fixture
def today_is(time_machine):
    """`today_is(day)` stops the clock at 9:00 on `day` in Asia/Shanghai; call again to move on."""

    def travel(day: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(day, dt.time(9, 0), tzinfo=SHANGHAI), tick=False)

    return travel


@pytest.fixture
def pinned_today(today_is) -> dt.date:
    """Today is the demo county's meeting day, 2020-10-11 (September is the latest month reported)."""
    today_is(MEETING_DAY)
    return MEETING_DAY


@pytest.fixture
def reported(world):
    """Reports to September 2020: reservoir on schedule, road lagging, bridge not started."""
    for p in (world.reservoir, world.road):
        p.actual_start = dt.date(2019, 5, 1)
        p.save()
    for m in range(1, 10):
        started_report(world.reservoir, m, "250.00", by=world.office)  # 2,250 of 3,000 = 75 % (target 75 %)
        started_report(world.road, m, "100.00", by=world.office)  # 900 of 2,000 = 45 %
    started_report(world.far, 9, "10.00", by=world.outsider)
    return world


@pytest.fixture
def demo(settings, tmp_path, pinned_today):
    """The demo county as `make run` shows it, built on its meeting day; its media in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    return build_demo(stdout=io.StringIO())


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_deletable_by_the_flush():
    """Audit rows cannot be deleted (audit.immutability), yet the flush after a transactional test
    empties every table. PostgreSQL flushes with TRUNCATE, which row triggers do not see; on SQLite
    the flush's DELETEs run with the permission only the flush and the retention prune hold."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from audit.immutability import flush_sql

    DatabaseOperations = DatabaseWrapper.ops_class
    original = DatabaseOperations.sql_flush

    def sql_flush(self, *args, **kwargs):
        statements = original(self, *args, **kwargs)
        return flush_sql(statements) if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
