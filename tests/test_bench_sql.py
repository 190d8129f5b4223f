"""The bench's bare SQL gives the figures its pages show (bench/sql, bench.pages' checks, what `make bench
--verify` runs), here in a small bench world that also holds what the province-scale data leaves empty:
approval nodes (approved, not, required or not, soft-deleted), land partly handed over, milestones and
supervision tasks (open, overdue, closed). The checks read the pages through the test client and the
SQL through the test database's own connection, for the county and the province office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client

from accounts.models import User
from approvals.models import ApprovalNode
from bench import pages as P
from bench import sqlfiles
from bench.generate import Scale, generate
from land.models import LandMonth, LandPlan
from milestones.models import Milestone
from projects.models import Project, Unit
from regions.models import Township
from safety.models import Hazard
from supervision.models import SupervisionTask
from works.models import TenderPackage

from .safety_builders import hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


class HereDatabase(sqlfiles.Database):
    """The bench's driver-level reads, on the test database's connection (inside the test's transaction)."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.vendor = "sqlite" if connection.vendor == "sqlite" else "postgresql"
        self.conn = connection.connection


def not_started(county) -> list[Project]:
    return list(Project.objects.filter(region=county, actual_start__isnull=True).order_by("code"))


@pytest.fixture
def bench_world():
    generate(Scale(factor=0.02, projects_per_county=100, blockers_per_county=15), log=lambda line: None)
    county = User.objects.get(username="bench_county").region
    waiting = not_started(county)
    assert len(waiting) >= 4, "the small world needs projects not started"
    first, second, third, fourth = waiting[:4]
    unit = Unit.objects.filter(region=county).first()
    township = Township.objects.filter(region=county).first()

    def node(project, name, **kw):
        return ApprovalNode.objects.create(project=project, procedure="approval", name=name, **kw)

    node(first, "可研批复", department=unit, sort=2)
    node(first, "用地预审", sort=1)  # no department
    node(first, "节能审查", department=unit, required_for_start=False)
    node(
        second, "环评批复", department=unit, approved_on=dt.date(2020, 5, 1), submitted_on=dt.date(2020, 4, 1)
    )
    node(third, "施工许可", department=unit).soft_delete(by=None)  # as if there were none
    short = LandPlan.objects.create(project=second, township=township, area_needed=D("20.00"))
    LandMonth.objects.create(plan=short, year=2020, month=5, handed_over=D("8.00"))
    done = LandPlan.objects.create(project=fourth, township=township, area_needed=D("5.00"))
    LandMonth.objects.create(plan=done, year=2020, month=6, handed_over=D("5.00"))
    node(
        fourth, "可研批复", department=unit, approved_on=dt.date(2020, 3, 1), submitted_on=dt.date(2020, 2, 1)
    )

    for project in waiting[:3]:
        Milestone.objects.create(
            project=project, year=2020, name="主体开工", planned_date=dt.date(2020, 6, 30)
        )
    Milestone.objects.create(
        project=first,
        year=2020,
        name="征地完成",
        planned_date=dt.date(2020, 4, 1),
        actual_date=dt.date(2020, 4, 20),
    )
    Milestone.objects.create(project=first, year=2019, name="去年的", planned_date=dt.date(2019, 4, 1))

    created = dt.datetime(2020, 8, 1, 9, tzinfo=dt.UTC)
    for deadline, closed in [
        (dt.date(2020, 9, 1), None),
        (dt.date(2020, 12, 1), None),
        (dt.date(2020, 9, 1), created),
    ]:
        SupervisionTask.objects.create(
            region=county,
            title="督办",
            assignee_unit=unit,
            project=first,
            deadline=deadline,
            created_at=created,
            closed_at=closed,
            status="closed" if closed else "open",
        )
    # The ledger's first page (50 by code): bidding, hazards and milestones of its rows.
    page = list(Project.objects.filter(region=county, plans__year=2020).order_by("code")[:50])
    started = [p for p in page if p.actual_start]
    waiting_here = [p for p in page if not p.actual_start]
    assert len(started) >= 3 and waiting_here, "the ledger's first page needs started and waiting rows"

    def package(project, **kw):
        return TenderPackage.objects.create(
            project=project, kind="construction", name="施工总承包", method="open", budget=D("1000.00"), **kw
        )

    let = dict(announced_on=dt.date(2020, 1, 5), awarded_on=dt.date(2020, 2, 1))
    package(started[0], contract_price=D("950.00"), **let)  # let within its ceiling: no warning
    package(started[1], contract_price=D("1100.00"), **let)  # above its ceiling, contract let
    package(started[2], **let)  # awarded, no contract price yet: still "no contract"
    package(waiting_here[0], announced_on=dt.date(2020, 3, 1))  # announced: not late

    hazard(started[0], level=Hazard.Level.MAJOR)
    hazard(started[1], level=Hazard.Level.MAJOR, state=Hazard.State.VERIFIED)
    hazard(started[2])  # a general hazard: no warning
    for name, planned, actual in [
        ("基础完工", dt.date(2020, 5, 31), None),
        ("主体封顶", dt.date(2020, 8, 31), None),
        ("设备进场", dt.date(2020, 7, 31), dt.date(2020, 8, 10)),
        ("竣工验收", dt.date(2020, 11, 30), None),
    ]:
        Milestone.objects.create(
            project=started[1], year=2020, name=name, planned_date=planned, actual_date=actual
        )
    return county


def checked_pages(db: HereDatabase, username: str) -> dict[str, dict[str, list]]:
    """Every page's check for one user (no difference allowed); the bare SQL's rows by page."""
    client = Client()
    client.force_login(User.objects.get(username=username))

    def fetch(path: str) -> bytes:
        response = client.get(path)
        assert response.status_code == 200, path
        return response.content

    who = sqlfiles.user(db, username)
    sector = db.one("SELECT id FROM projects_sector WHERE name = :n", {"n": P.BENCH_SECTOR})[0]
    found = {}
    for page in P.PAGES:
        params = sqlfiles.params(
            db,
            who,
            year=P.YEAR,
            month=P.MONTH,
            today=dt.date(2020, 10, 11),
            sector_id=sector if page.sector else 0,
        )
        _ms, rows = db.timed(sqlfiles.load(page.sql, db.vendor), params)
        assert page.check(rows, fetch, page.path.format(sector_id=sector)) == [], page.name
        found[page.name] = rows
    return found


def test_every_pages_bare_sql_gives_the_figures_it_shows(bench_world):
    db = HereDatabase()
    assert len(checked_pages(db, "bench_province")) == len(P.PAGES)
    county = checked_pages(db, "bench_county")
    assert len(county) == len(P.PAGES)
    # What was compared is not all empty: the board's rows lack nodes, a node plan and land, the
    # summary counts an open and an overdue task, the wall marks milestones, the ledger's rows carry
    # bidding, hazard and milestone warnings.
    assert {row[1] for row in county["not-started board"]["page_missing"]} == {"node", "no plan", "land"}
    assert county["summary API"]["tasks"][0][:2] == (2, 1)
    assert len(county["wall chart"]["page_milestones"]) >= 1
    kinds = [kind for _pk, kind in county["ledger"]["page_warnings"]]
    assert {"tender_no_contract", "tender_above_budget", "hazard_major_open"} <= set(kinds)
    assert kinds.count("milestone_slipped") >= 2  # two of one row, and the waiting rows' if on the page
