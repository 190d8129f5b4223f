"""`manage.py seed_demo`: the demo county (秀山县, 2020) that `make run` loads once."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.test import Client, RequestFactory
from django.utils import translation

from accounts.models import User
from demo import build
from projects.history import project_history
from projects.models import Leader, Project, TeamMember, Unit, YearPlan
from regions.models import Region, Township

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2020, 10, 11)
NAMED_BY_THE_COUNTY = [
    "县水利局",
    "县生态环境局",
    "县交通局",
    "县文化旅游委",
    "县工业园区管委会",
    "县边城文化旅游开发中心",
]


@pytest.fixture(autouse=True)
def no_extensions(monkeypatch):
    """The other apps' demo parts are exercised by one test below, not by every test."""
    monkeypatch.setattr(build, "DEMO_EXTENSIONS", [])


def seed(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def user(username: str) -> User:
    return User.objects.get(username=username)


def names(qs) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_it_builds_108_projects_planning_exactly_614700_wan():
    output = seed()
    plans = YearPlan.objects.filter(year=2020, project__region__code="500241")
    assert plans.count() == 108
    assert plans.aggregate(s=Sum("planned_investment"))["s"] == Decimal("614700.00")
    assert "614,700.00" in output
    assert "office, supervisor, leader, viewer, water, transport, hongan" in output
    codes = sorted(Project.objects.values_list("code", flat=True))
    assert codes[0] == "XS2020-001" and codes[-1] == "XS2020-108"


def test_it_gives_transport_and_water_the_biggest_shares():
    seed()
    by_sector = (
        YearPlan.objects.values("project__sector__name").annotate(s=Sum("planned_investment")).order_by("-s")
    )
    assert [row["project__sector__name"] for row in by_sector[:2]] == ["交通", "水利"]
    assert len(by_sector) == 10


def test_it_changes_nothing_when_run_twice():
    seed()
    models = [Region, Township, Unit, Leader, User, Project, YearPlan, TeamMember, Project.history.model]
    before = {m.__name__: m.objects.count() for m in models}
    output = seed()
    assert {m.__name__: m.objects.count() for m in models} == before
    assert "0 created by this run" in output
    for username in ["office", "supervisor", "leader", "viewer", "water", "transport", "hongan"]:
        assert User.objects.filter(username=username).count() == 1


def test_it_returns_quietly_with_once_when_the_county_is_loaded():
    first = seed("--once")
    assert "108 (" in first
    output = seed("--once")
    assert output.strip().count("\n") == 0
    assert "already loaded" in output
    assert Project.objects.count() == 108


def test_it_creates_every_unit_the_county_named_and_its_townships():
    seed()
    county = Region.objects.get(code="500241")
    units = {u.name: u for u in Unit.objects.filter(region=county)}
    assert set(NAMED_BY_THE_COUNTY) <= set(units)
    assert units["洪安镇人民政府"].kind == Unit.Kind.TOWNSHIP
    assert units["洪安镇人民政府"].township.name == "洪安镇"
    assert units["秀山县城市建设投资有限公司"].kind == Unit.Kind.COMPANY
    kinds = {k: Township.objects.filter(region=county, kind=k).count() for k in Township.Kind.values}
    assert kinds == {"subdistrict": 4, "town": 17, "township": 6, "other": 0}
    assert {"中和街道", "乌杨街道", "平凯街道", "官庄街道", "洪安镇", "钟灵镇", "岑溪乡"} <= names(
        Township.objects.filter(region=county)
    )


def test_it_places_the_county_under_chongqing():
    seed()
    county = Region.objects.get(code="500241")
    assert county.name == "秀山县" and county.level == Region.Level.COUNTY
    assert county.parent.name == "重庆市" and county.parent.level == Region.Level.CITY
    assert county.path == "/500000/500241/"
    assert set(Project.objects.values_list("region", flat=True)) == {county.pk}


def test_it_gives_the_demo_users_their_roles_and_the_password_works():
    seed()
    roles = {u.username: u.role for u in User.objects.all()}
    assert roles == {
        "office": "office", "supervisor": "supervisor", "leader": "leader", "viewer": "viewer",
        "water": "unit", "transport": "unit", "hongan": "unit",
        "sysadmin": "sysadmin", "secadmin": "secadmin", "auditor": "auditor",
    }  # fmt: skip
    assert user("water").unit.name == "县水利局"
    assert user("transport").unit.name == "县交通局"
    assert user("hongan").unit.name == "洪安镇人民政府"
    assert user("leader").leader.title == "分管交通水利的副县长"
    assert all(u.region.code == "500241" and u.first_name for u in User.objects.all())
    for username in roles:
        # axes wants the request it would lock out; the client signs in as the login form would.
        request = RequestFactory().post("/login/")
        assert Client().login(request=request, username=username, password="Keyproj-2020"), username


def test_it_shows_water_only_the_projects_it_leads_or_cooperates_on():
    seed()
    water = user("water")
    visible = Project.objects.for_user(water)
    mine = Project.objects.filter(Q(lead_unit=water.unit) | Q(cooperating_units=water.unit)).distinct()
    assert names(visible) == names(mine)
    led = Project.objects.filter(lead_unit=water.unit).count()
    assert 8 <= led <= 12
    assert visible.count() - led >= 2  # it cooperates on a couple of others
    assert 10 <= Project.objects.filter(lead_unit=user("transport").unit).count() <= 14


def test_it_puts_the_leader_in_charge_of_exactly_the_transport_and_water_projects():
    seed()
    visible = Project.objects.for_user(user("leader"))
    assert names(visible) == names(Project.objects.filter(sector__name__in=["交通", "水利"]))
    assert visible.count() >= 30


def test_it_shows_hongan_the_projects_built_in_hongan():
    seed()
    visible = Project.objects.for_user(user("hongan"))
    assert names(visible) == names(Project.objects.filter(townships__name="洪安镇"))
    others = visible.exclude(lead_unit__name="洪安镇人民政府")
    assert others.count() >= 3
    assert {"县水利局", "县交通局"} <= set(others.values_list("lead_unit__name", flat=True))


def test_it_reads_like_a_real_county_list():
    seed()
    projects = Project.objects.prefetch_related("townships", "plans")
    assert len({p.name for p in projects}) == 108
    for p in projects:
        assert not re.search(r"项目\d+$", p.name) and "Project" not in p.name, p.name
        assert len(p.content) > 15 and re.search(r"\d", p.content), p.name
        assert p.owner and p.funding_sources and p.team_name.endswith("专班"), p.name
        assert re.fullmatch(r"\S+（\S+）", p.contact_person) and p.contact_phone.startswith("1390000"), p.name
        assert 1 <= len(p.townships.all()) <= 2, p.name
        assert Decimal("108.75") <= p.longitude <= Decimal("109.30"), p.name
        assert Decimal("28.15") <= p.latitude <= Decimal("28.80"), p.name
        plan = p.plans.all()[0]
        assert p.total_investment >= plan.planned_investment + plan.invested_before, p.name
        assert plan.progress_target, p.name
        assert plan.planned_investment == plan.planned_investment.quantize(Decimal("0.01"))
    assert Leader.objects.filter(title__contains="副县长").count() >= 6
    with_team = Project.objects.filter(team__isnull=False).distinct().count()
    assert with_team >= 60
    assert Project.objects.exclude(level=Project.Level.COUNTY).count() >= 5


def test_it_leaves_some_projects_not_started_on_the_day_the_county_met():
    seed()
    plans = YearPlan.objects.select_related("project")
    waiting = [p for p in plans if p.project.actual_start is None]
    assert 15 <= len(waiting) <= 20
    late = [p for p in waiting if p.stage == "new" and p.planned_start_month <= 9]
    assert len(late) >= 6  # red or yellow on the day
    assert any(p.stage == "new" and p.planned_start_month >= 10 for p in waiting)
    assert all(p.stage in ("new", "preparatory") for p in waiting)
    for plan in plans:
        project = plan.project
        if plan.stage == "preparatory":
            assert project.actual_start is None
        if plan.stage in ("continuing", "completing"):
            assert project.actual_start.year < 2020 and plan.invested_before > 0
        if project.actual_start:
            assert project.actual_start <= MEETING_DAY
            assert project.status in (Project.Status.UNDER_CONSTRUCTION, Project.Status.COMPLETED)
    finished = Project.objects.filter(actual_end__year=2020)
    assert finished.exists() and all(p.status == Project.Status.COMPLETED for p in finished)
    stages = dict(YearPlan.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    assert stages == {"new": 30, "continuing": 55, "completing": 13, "preparatory": 10}


def test_it_records_each_projects_creation_in_its_history():
    seed()
    project = Project.objects.get(name="洪安边城景区提档升级")
    entries = project_history(project)
    assert len(entries) >= 2  # the project and its 2020 plan, with its team if it has one
    assert {e.action for e in entries} == {"created"}
    old_phone = project.contact_phone
    project.contact_phone = "13900009999"
    project.save()
    latest = project_history(project)[0]
    # The townships and cooperating units were recorded at creation, so only the phone shows as changed.
    assert [(c.old, c.new) for c in latest.changes] == [(old_phone, "13900009999")]


def test_it_hands_the_county_to_each_builder_once(monkeypatch):
    calls = []
    fake = lambda *, region, year, stdout: calls.append((region.name, year, Project.objects.count()))  # noqa: E731
    monkeypatch.setattr(build, "DEMO_EXTENSIONS", [("fake", fake)])
    output = seed()
    assert calls == [("秀山县", 2020, 108)]
    assert "fake" in output
    seed()
    assert len(calls) == 1  # a re-run over the same ledger does not seed the extensions again


def test_it_seeds_the_whole_demo_with_the_real_extensions():
    seed()
    assert Project.objects.count() == 108
