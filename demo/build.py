"""Builds the demo county from `data.py`: idempotent, in one transaction, a few seconds on SQLite.

Every piece is looked up by its natural key (region code, township and unit name, leader title,
project code, username) and created only when missing, so running the seed twice changes nothing.
The projects, their year plans and team members are bulk-created together with their "created"
history records (including the townships and cooperating units), so each project's history opens
with its creation and a later edit shows only what really changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models import Case, Count, Q, Sum, Value, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from lib.money import CENT, q2
from lib.months import month_end
from lib.today import now
from projects.models import Leader, Project, Sector, TeamMember, Unit, YearPlan
from regions.models import Region, Township

from . import approvals as approvals_demo
from . import baseline as baseline_demo
from . import blockers as blockers_demo
from . import data
from . import funds as funds_demo
from . import land as land_demo
from . import lists as lists_demo
from . import milestones as milestones_demo
from . import pool as pool_demo
from . import reports as reports_demo
from . import safety as safety_demo
from . import works as works_demo
from .data import CONT, DONE, NEW, PREP, Row

# The builders that add their part of the demo once the ledger exists, in order, each called as
# `seed(region=county, year=2020, stdout=stdout)` inside the same transaction.
DEMO_EXTENSIONS = [
    ("reports", reports_demo.seed),
    ("blockers, meetings, supervision", blockers_demo.seed),
    ("reserve pool", pool_demo.seed),
    ("next year's list", lists_demo.seed),
    ("approvals", approvals_demo.seed),
    ("land", land_demo.seed),
    ("tender packages", works_demo.seed),
    ("quality and safety", safety_demo.seed),
    ("funds by source", funds_demo.seed),
    ("milestones", milestones_demo.seed),
    ("baselines", baseline_demo.seed),
]

HISTORY_REASON = "demo county seed"
DEGREE = Decimal("0.000001")
EXPANSION_WORDS = ("改建", "改造", "提档升级", "扩建", "提标", "提升", "提质", "除险加固", "续建配套")


@dataclass
class Summary:
    county: Region
    fresh: bool = False  # the ledger was built by this run (and the extensions ran on it)
    created_projects: int = 0
    created_users: list[str] = field(default_factory=list)
    extensions: list[str] = field(default_factory=list)
    townships: int = 0
    sectors: int = 0
    units: int = 0
    leaders: int = 0
    projects: int = 0
    planned_investment: Decimal = Decimal("0.00")
    stages: dict[str, int] = field(default_factory=dict)
    not_started: int = 0


def money(value: str) -> Decimal:
    return Decimal(value).quantize(CENT)


def demo_county() -> Region | None:
    """The demo county if it has been seeded (it exists and has projects), else None."""
    county = Region.objects.filter(code=data.COUNTY[1]).first()
    if county is None or not Project.objects.filter(region=county).exists():
        return None
    return county


@transaction.atomic
def build_demo(*, stdout: TextIO) -> Summary:
    """Create whatever of the demo county is missing; run the extensions on a fresh ledger."""
    planned = sum((money(row.planned) for row in data.PROJECTS), Decimal("0.00"))
    if planned != money(data.PLANNED_TOTAL) or len({row.name for row in data.PROJECTS}) != len(data.PROJECTS):
        raise ValueError(f"demo data must plan {data.PLANNED_TOTAL} under unique names, not {planned}")

    county = _regions()
    townships = _townships(county)
    ref = Lookups(county, _sectors(), _units(county, townships), _leaders(county), townships)
    fresh = not Project.objects.filter(region=county).exists()
    summary = Summary(county=county, fresh=fresh)
    summary.created_projects = _projects(ref)
    summary.created_users = _users(county, ref.units, ref.leaders)
    if fresh:
        # Extensions build on a ledger they have not seen; on a re-run they have already run.
        for name, seed in DEMO_EXTENSIONS:
            seed(region=county, year=data.YEAR, stdout=stdout)
            summary.extensions.append(name)
    _count(summary)
    return summary


def _regions() -> Region:
    city_name, city_code, city_level = data.CITY
    name, code, level = data.COUNTY
    official = data.OFFICIAL_NAMES
    city = Region.objects.get_or_create(
        code=city_code,
        defaults={"name": city_name, "level": city_level, "official_name": official[city_code]},
    )[0]
    county = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": city, "official_name": official[code]}
    )[0]
    # A demo seeded before the regions carried official names gets them, so `load_regions 50` finds
    # nothing to change; a name someone set is left alone.
    Region.objects.filter(code__in=official, official_name="").update(
        official_name=Case(*(When(code=c, then=Value(n)) for c, n in official.items()))
    )
    return county


def _missing(model: type[models.Model], key: str, wanted: list[Any], **scope: Any) -> list[Any]:
    have = set(model.objects.filter(**scope).values_list(key, flat=True))
    return [value for value in wanted if value not in have]


def _townships(county: Region) -> dict[str, Township]:
    rows = {name: (sort, kind) for sort, (name, kind, _lng, _lat) in enumerate(data.TOWNSHIPS, 1)}
    codes = data.TOWNSHIP_CODES
    Township.objects.bulk_create(
        Township(
            region=county,
            name=name,
            kind=rows[name][1],
            sort=rows[name][0],
            code=codes[name][0],
            official_name=codes[name][1],
        )
        for name in _missing(Township, "name", list(rows), region=county)
    )
    townships = {t.name: t for t in Township.objects.filter(region=county)}
    uncoded = [t for name, t in townships.items() if not t.code and name in codes]
    for t in uncoded:  # seeded before townships carried their official codes
        t.code, t.official_name = codes[t.name]
    Township.objects.bulk_update(uncoded, ["code", "official_name"])
    return townships


def _sectors() -> dict[str, Sector]:
    order = {name: sort for sort, name in enumerate(data.SECTORS, 1)}
    Sector.objects.bulk_create(
        Sector(name=name, sort=order[name]) for name in _missing(Sector, "name", data.SECTORS)
    )
    return {s.name: s for s in Sector.objects.filter(name__in=data.SECTORS)}


def _units(county: Region, townships: dict[str, Township]) -> dict[str, Unit]:
    wanted: dict[str, Unit] = {}
    for name in data.BUREAUS:
        wanted[name] = Unit(region=county, name=name, kind=Unit.Kind.BUREAU)
    for name in data.COMPANIES:
        wanted[name] = Unit(region=county, name=name, kind=Unit.Kind.COMPANY)
    for name, *_ in data.TOWNSHIPS:
        unit_name = data.township_unit_name(name)
        wanted[unit_name] = Unit(
            region=county, name=unit_name, kind=Unit.Kind.TOWNSHIP, township=townships[name]
        )
    Unit.objects.bulk_create(wanted[name] for name in _missing(Unit, "name", list(wanted), region=county))
    units = {u.name: u for u in Unit.objects.filter(region=county)}
    units.update({alias: units[name] for alias, name in data.UNIT_ALIASES.items()})
    return units


def _leaders(county: Region) -> dict[str, Leader]:
    rows = {title: (sort, portfolio) for sort, (title, portfolio) in enumerate(data.LEADERS, 1)}
    Leader.objects.bulk_create(
        Leader(region=county, title=title, portfolio=rows[title][1], sort=rows[title][0])
        for title in _missing(Leader, "title", list(rows), region=county)
    )
    return {leader.title: leader for leader in Leader.objects.filter(region=county)}


def _users(county: Region, units: dict[str, Unit], leaders: dict[str, Leader]) -> list[str]:
    missing = _missing(User, "username", [row[0] for row in data.USERS])
    if not missing:
        return []
    password = make_password(data.PASSWORD)  # one hash for all: the demo password is public anyway
    for username, role, display, link in data.USERS:
        if username not in missing:
            continue
        user = User(username=username, role=role, region=county, first_name=display, password=password)
        user.password_changed_at = timezone.now()  # the real clock, as set_password would (password expiry)
        if role == User.Role.UNIT:
            user.unit = units[link]
        elif role == User.Role.LEADER:
            user.leader = leaders[link]
        user.full_clean()
        user.save()
    return missing


def _schedule(i: int, row: Row) -> dict[str, Any]:
    """Planned and actual dates and status, as the ledger stood on 2020-10-11."""
    year = data.YEAR
    if row.stage == CONT:
        start = dt.date(year - 2 if i % 3 == 0 else year - 1, 3 + i % 8, 1 + i % 25)
        return {
            "planned_start": start,
            "planned_end": month_end(year + 1 + i % 2, 6 + i % 6),
            "actual_start": start + dt.timedelta(days=i % 20),
            "status": Project.Status.UNDER_CONSTRUCTION,
        }
    if row.stage == DONE:
        start = dt.date(year - 3 + i % 3, 2 + i % 9, 1 + i % 25)
        ended = dt.date.fromisoformat(row.ended) if row.ended else None
        return {
            "planned_start": start,
            "planned_end": month_end(year, ended.month) if ended else dt.date(year, 12, 31),
            "actual_start": start + dt.timedelta(days=i % 15),
            "actual_end": ended,
            "status": Project.Status.COMPLETED if ended else Project.Status.UNDER_CONSTRUCTION,
        }
    if row.stage == NEW:
        assert row.month, f"a new start needs its planned start month: {row.name}"
        # One in five started a month late; none later than September.
        started = dt.date(year, min(row.month + (i % 5 == 0), 9), 5 + i % 20) if row.started else None
        return {
            "planned_start": dt.date(year, row.month, 1 + i % 20),
            "planned_end": month_end(year + 1 + i % 2, 3 + i % 10),
            "actual_start": started,
            "status": Project.Status.UNDER_CONSTRUCTION if started else Project.Status.PREPARING,
        }
    assert row.stage == PREP, row.stage
    return {
        "planned_start": dt.date(year + 1, 3 + i % 6, 1),
        "planned_end": dt.date(year + 3 + i % 2, 12, 31),
        "status": Project.Status.PREPARING,
    }


def _people(i: int, lead: Unit) -> tuple[str, str, str]:
    """The named person (a surname and a role, fictional), their department and an obviously fake phone."""
    surname = _surname(i * 7)
    roles = {
        Unit.Kind.TOWNSHIP: [("委员", "项目办"), ("主任", "经发办")],
        Unit.Kind.COMPANY: [("经理", "工程部"), ("工", "工程部")],
    }.get(lead.kind, [("工", "工程股"), ("科长", "项目股"), ("主任", "项目办")])
    role, dept = roles[i % len(roles)]
    return f"{surname}{role}", dept, f"1390000{i:04d}"


def _head_title(unit: Unit) -> str:
    if unit.kind == Unit.Kind.COMPANY:
        return "副总经理"
    if unit.name.endswith("镇人民政府"):
        return "副镇长"
    if unit.name.endswith("乡人民政府"):
        return "副乡长"
    return "副局长" if unit.name.endswith("局") else "副主任"


def _surname(n: int) -> str:
    return data.SURNAMES[n % len(data.SURNAMES)]


def _team(i: int, project: Project, row: Row, lead: Unit) -> list[TeamMember]:
    """2–4 members of the special team (fictional: a surname and a role) for three projects in four."""
    if i % 4 == 0:
        return []
    name, dept, phone = _people(i, lead)
    head = _head_title(lead)
    township = data.township_unit_name(row.townships.split()[0])
    members = [
        (_surname(i * 3 + 1) + head, lead.name + head, f"1390001{i:04d}", "专班组长"),
        (name, lead.name + dept, phone, "专人（日常调度、信息报送）"),
        (_surname(i * 5 + 2) + "工", "施工单位项目经理", f"1390002{i:04d}", "现场技术负责人"),
        (_surname(i * 11 + 3) + "委员", township, f"1390003{i:04d}", "征地拆迁协调"),
    ]
    return [
        TeamMember(project=project, name=who, position=position, phone=tel, duty=duty)
        for who, position, tel, duty in members[: 2 + i % 3]
    ]


def _coordinates(i: int, township: str) -> tuple[Decimal, Decimal]:
    """Near the township's centre, spread by up to 0.02° so that the map's pins do not stack."""
    _name, _kind, lng, lat = next(t for t in data.TOWNSHIPS if t[0] == township)
    dx, dy = Decimal((i * 37) % 41 - 20) / 1000, Decimal((i * 53) % 41 - 20) / 1000
    return (Decimal(lng) + dx).quantize(DEGREE), (Decimal(lat) + dy).quantize(DEGREE)


def _nature(row: Row) -> str:
    if row.nature:
        return row.nature
    rebuilt = any(word in row.name for word in EXPANSION_WORDS) or "改建" in row.content
    return Project.Nature.EXPANSION if rebuilt else Project.Nature.NEW


@dataclass
class Lookups:
    """What the project rows refer to by name."""

    county: Region
    sectors: dict[str, Sector]
    units: dict[str, Unit]
    leaders: dict[str, Leader]
    townships: dict[str, Township]


def _project(i: int, code: str, row: Row, ref: Lookups) -> Project:
    lead = ref.units[row.lead]
    towns = row.townships.split()
    longitude, latitude = _coordinates(i, towns[0])
    person, dept, phone = _people(i, lead)
    owner = data.UNIT_ALIASES.get(row.owner, row.owner) or lead.name
    private = owner.startswith(data.PRIVATE_OWNER)
    return Project(
        region=ref.county, code=code, name=row.name, sector=ref.sectors[row.sector], level=row.level,
        nature=_nature(row), content=row.content, owner=owner, lead_unit=lead,
        leader=ref.leaders[row.leader or data.SECTOR_LEADERS[row.sector]],
        team_name=f"{row.name.removesuffix('工程').removesuffix('项目')}项目专班",
        contact_person=f"{person}（{dept}）", contact_phone=phone, total_investment=money(row.total),
        funding_sources=data.PRIVATE_FUNDING if private else data.SECTOR_FUNDING[row.sector],
        longitude=longitude, latitude=latitude, **_schedule(i, row),
    )  # fmt: skip


def _plan(i: int, project: Project, row: Row) -> YearPlan:
    total, planned = money(row.total), money(row.planned)
    before = Decimal("0.00")
    if row.stage == CONT:  # 35–74% of what remains was done in earlier years, in whole 万元
        before = ((total - planned) * Decimal(35 + (i * 7) % 40) / 100).quantize(Decimal("1")).quantize(CENT)
    elif row.stage == DONE:
        before = total - planned
    return YearPlan(
        project=project, year=data.YEAR, stage=row.stage, planned_investment=planned, invested_before=before,
        planned_start_month=row.month if row.stage == NEW else None, progress_target=row.target,
    )  # fmt: skip


def _projects(ref: Lookups) -> int:
    existing = set(Project.objects.filter(region=ref.county).values_list("code", flat=True))
    codes = {i: f"XS{data.YEAR}-{i:03d}" for i in range(1, len(data.PROJECTS) + 1)}
    todo = [(i, codes[i], row) for i, row in enumerate(data.PROJECTS, 1) if codes[i] not in existing]
    if not todo:
        return 0
    Project.objects.bulk_create(_project(i, code, row, ref) for i, code, row in todo)
    # Read back rather than trust bulk_create to set primary keys (not every database returns them).
    by_code = {
        p.code: p for p in Project.objects.filter(region=ref.county, code__in=[c for _i, c, _r in todo])
    }
    _links(todo, by_code, ref)
    when = now()
    Project.history.bulk_history_create(
        list(by_code.values()), default_date=when, default_change_reason=HISTORY_REASON
    )
    _link_history(list(by_code.values()))
    plans = [_plan(i, by_code[code], row) for i, code, row in todo]
    team = [member for i, code, row in todo for member in _team(i, by_code[code], row, ref.units[row.lead])]
    bulk_create_with_history(plans, YearPlan, default_date=when, default_change_reason=HISTORY_REASON)
    bulk_create_with_history(team, TeamMember, default_date=when, default_change_reason=HISTORY_REASON)
    return len(todo)


def _links(todo: list[tuple[int, str, Row]], by_code: dict[str, Project], ref: Lookups) -> None:
    """The townships where each project is built and its cooperating units."""
    built_in, cooperating = Project.townships.through, Project.cooperating_units.through
    built_in.objects.bulk_create(
        built_in(project_id=by_code[code].pk, township_id=ref.townships[name].pk)
        for _i, code, row in todo
        for name in row.townships.split()
    )
    cooperating.objects.bulk_create(
        cooperating(project_id=by_code[code].pk, unit_id=ref.units[name].pk)
        for _i, code, row in todo
        for name in row.coop.split()
    )


def _link_history(projects: list[Project]) -> None:
    """Snapshot the many-to-many links into each "created" record, as a save() followed by set() would."""
    historical = Project.history.model
    records = {
        record.id: record
        for record in historical.objects.filter(id__in=[p.pk for p in projects], history_type="+")
    }
    for m2m in historical._history_m2m_fields:
        snapshot = getattr(historical, m2m.name).model
        through = m2m.remote_field.through
        column = f"{m2m.m2m_field_name()}_id"
        names = [f.attname for f in through._meta.fields]
        snapshot.objects.bulk_create(
            snapshot(history=records[getattr(link, column)], **{name: getattr(link, name) for name in names})
            for link in through.objects.filter(**{f"{column}__in": list(records)})
        )


def _count(summary: Summary) -> None:
    county = summary.county
    summary.townships = Township.objects.filter(region=county).count()
    summary.sectors = Sector.objects.filter(projects__region=county).distinct().count()
    summary.units = Unit.objects.filter(region=county).count()
    summary.leaders = Leader.objects.filter(region=county).count()
    plans = YearPlan.objects.filter(project__region=county, year=data.YEAR)
    totals = plans.aggregate(
        n=Count("pk"),
        planned=Sum("planned_investment"),
        waiting=Count("pk", filter=Q(project__actual_start=None)),
    )
    summary.projects = totals["n"]
    summary.planned_investment = q2(totals["planned"])
    summary.not_started = totals["waiting"]
    summary.stages = dict(plans.order_by().values_list("stage").annotate(n=Count("pk")))
