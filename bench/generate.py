"""Province-scale data for the benchmark, written fast with bulk inserts.

At scale 1: one province, 10 cities, 100 counties, 20,000 projects with a year plan in each of 5 years
and their monthly reports (about 1.2 million rows), and 50,000 blockers. Ids are assigned here so that
rows can point at each other without a round trip; PostgreSQL gets COPY, SQLite executemany inside one
transaction. Every value is deterministic (seeded), so two runs time the same data.

Columns a model has that this module does not set get the field's default (or '' / NULL), so other apps
adding fields does not break the generator.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

PROVINCE_CODE = "990000"  # not a real division code: bench data never mixes with a real region
PASSWORD = "Keyproj-2020"
SECTORS = [
    "交通",
    "水利",
    "城市建设",
    "农业产业",
    "文化旅游",
    "工业",
    "生态环保",
    "社会民生",
    "能源",
    "商贸物流",
]
BUREAUS = [
    "县发展改革委",
    "县交通局",
    "县水利局",
    "县住房城乡建委",
    "县农业农村委",
    "县文化旅游委",
    "县经济信息委",
    "县生态环境局",
    "县教委",
    "县卫生健康委",
    "县城市管理局",
    "县商务委",
    "县林业局",
    "县能源局",
    "县工业园区管委会",
]
LEADERS = [
    "县长",
    "常务副县长",
    "分管交通水利的副县长",
    "分管工业的副县长",
    "分管农业农村的副县长",
    "分管文化旅游的副县长",
    "分管城建的副县长",
    "分管教育卫生的副县长",
]
BLOCKER_KINDS = [
    "land",
    "land",
    "land",
    "approvals",
    "approvals",
    "funds",
    "planning",
    "environment",
    "construction",
    "policy",
    "other",
]


@dataclass
class Scale:
    """How much to build; `factor` multiplies the counties and so every count below them."""

    factor: float = 1.0
    cities: int = 10
    counties_per_city: int = 10
    projects_per_county: int = 200
    townships_per_county: int = 20
    blockers_per_county: int = 500
    years: int = 5
    last_year: int = 2020
    last_month: int = 9  # reports exist up to this month of the last year
    seed: int = 2020

    @property
    def counties(self) -> int:
        return max(1, round(self.cities * self.counties_per_city * self.factor))


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def bench_exists() -> bool:
    Region = apps.get_model("regions", "Region")
    return Region.objects.filter(code=PROVINCE_CODE).exists()


def generate(scale: Scale | None = None, *, log: Callable[[str], None] = print) -> Counts:
    """Build the bench province into the default database (which must be migrated and free of it)."""
    scale = scale or Scale()
    started = time.perf_counter()
    writer = Writer(log)
    with transaction.atomic():
        _build(scale, writer)
    writer.reset_sequences()
    with connection.cursor() as cursor:
        # Planner statistics, as a live database has them; on PostgreSQL also the visibility map,
        # without which freshly loaded tables get no index-only scans.
        # (VACUUM cannot run inside a transaction, as under a test.)
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    writer.counts.seconds = time.perf_counter() - started
    log(f"generated {writer.counts.total:,} rows in {writer.counts.seconds:.1f} s")
    return writer.counts


class Writer:
    """Bulk inserts by model with explicit ids: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log
        self.counts = Counts()
        self.next_ids: dict[str, int] = {}
        self.touched: list[type[models.Model]] = []
        self.bench_user_id: int | None = None

    def start_id(self, model: type[models.Model]) -> int:
        label = model._meta.label
        if label not in self.next_ids:
            current = model.objects.aggregate(m=models.Max("pk"))["m"] or 0
            self.next_ids[label] = current + 1
        return self.next_ids[label]

    def ids(self, model: type[models.Model], n: int) -> range:
        first = self.start_id(model)
        self.next_ids[model._meta.label] = first + n
        return range(first, first + n)

    def insert(self, model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
        """Insert dicts keyed by field attname; missing columns get the field default."""
        fields = [f for f in model._meta.concrete_fields]
        table = model._meta.db_table
        columns = [f.column for f in fields]
        defaults = {f.attname: _default(f) for f in fields}
        attnames = [f.attname for f in fields]
        adapters = [_adapter(f) for f in fields]

        def tuples() -> Iterator[tuple]:
            for row in rows:
                values = []
                for name, adapt in zip(attnames, adapters, strict=True):
                    value = row[name] if name in row else defaults[name]
                    values.append(adapt(value) if value is not None else None)
                yield tuple(values)

        n = self._write(table, columns, tuples())
        self.counts.rows[table] = self.counts.rows.get(table, 0) + n
        if model not in self.touched:
            self.touched.append(model)
        return n

    def _write(self, table: str, columns: list[str], tuples: Iterator[tuple]) -> int:
        qn = connection.ops.quote_name
        n = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in tuples:
                        copy.write_row(row)
                        n += 1
                return n
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in tuples:
                batch.append(row)
                if len(batch) >= 20000:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
        return n

    def reset_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.touched)
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _default(f: models.Field) -> Any:
    if f.has_default():
        return f.get_default()
    if f.null:
        return None
    if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
        return timezone.now()
    if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):
        return timezone.localdate()
    if f.empty_strings_allowed:
        return ""
    return None


def _adapter(f: models.Field) -> Callable[[Any], Any]:
    """Python value → what the driver takes, as Django itself would prepare it."""
    if isinstance(f, models.DateTimeField):
        return lambda v: connection.ops.adapt_datetimefield_value(v)
    if isinstance(f, models.DateField):
        return lambda v: connection.ops.adapt_datefield_value(v)
    if isinstance(f, models.DecimalField):
        return lambda v: v if isinstance(v, Decimal) else Decimal(v)
    if isinstance(f, models.JSONField):
        return lambda v: f.get_db_prep_save(v, connection)
    if isinstance(f, models.BooleanField):
        return bool
    return lambda v: v


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _build(scale: Scale, w: Writer) -> None:
    rng = random.Random(scale.seed)
    m = apps.get_model
    Region, Township = m("regions", "Region"), m("regions", "Township")
    Sector, Unit, Leader = m("projects", "Sector"), m("regions", "Unit"), m("regions", "Leader")
    Project, YearPlan = m("projects", "Project"), m("projects", "YearPlan")

    # Regions: the province, its cities, their counties.
    region_ids = iter(w.ids(Region, 1 + scale.cities + scale.counties))
    province = next(region_ids)
    regions = [
        {
            "id": province,
            "name": "基准省",
            "code": PROVINCE_CODE,
            "level": "province",
            "parent_id": None,
            "path": f"/{PROVINCE_CODE}/",
        }
    ]
    counties: list[tuple[int, str, int]] = []  # (id, code, city_id)
    cities = []
    for c in range(scale.cities):
        cid, ccode = next(region_ids), f"99{c + 1:02d}00"
        cities.append(cid)
        regions.append(
            {
                "id": cid,
                "name": f"基准市{c + 1}",
                "code": ccode,
                "level": "city",
                "parent_id": province,
                "path": f"/{PROVINCE_CODE}/{ccode}/",
            }
        )
    for k in range(scale.counties):
        city_index = k % scale.cities
        cid, ccode = next(region_ids), f"99{city_index + 1:02d}{k // scale.cities + 1:02d}"
        counties.append((cid, ccode, cities[city_index]))
        regions.append(
            {
                "id": cid,
                "name": f"基准县{k + 1}",
                "code": ccode,
                "level": "county",
                "parent_id": cities[city_index],
                "path": f"/{PROVINCE_CODE}/99{city_index + 1:02d}00/{ccode}/",
            }
        )
    w.insert(Region, regions)

    sector_ids = {s.name: s.pk for s in Sector.objects.all()}
    new_sectors = [name for name in SECTORS if name not in sector_ids]
    for pk, name in zip(w.ids(Sector, len(new_sectors)), new_sectors, strict=True):
        sector_ids[name] = pk
    w.insert(Sector, [{"id": sector_ids[n], "name": n, "sort": SECTORS.index(n)} for n in new_sectors])
    sectors = [sector_ids[n] for n in SECTORS]

    # Per county: townships, units (bureaus and township governments), leaders.
    t_ids = iter(w.ids(Township, scale.counties * scale.townships_per_county))
    u_ids = iter(w.ids(Unit, scale.counties * (len(BUREAUS) + scale.townships_per_county)))
    l_ids = iter(w.ids(Leader, scale.counties * len(LEADERS)))
    townships, units, leaders = [], [], []
    county_parts: dict[int, dict[str, list[int]]] = {}
    for cid, _code, _city in counties:
        parts: dict[str, list[int]] = {"townships": [], "bureaus": [], "township_units": [], "leaders": []}
        for t in range(scale.townships_per_county):
            tid = next(t_ids)
            townships.append({"id": tid, "region_id": cid, "name": f"第{t + 1}镇", "kind": "town", "sort": t})
            parts["townships"].append(tid)
            uid = next(u_ids)
            units.append(
                {
                    "id": uid,
                    "region_id": cid,
                    "name": f"第{t + 1}镇人民政府",
                    "kind": "township",
                    "township_id": tid,
                    "is_active": True,
                }
            )
            parts["township_units"].append(uid)
        for name in BUREAUS:
            uid = next(u_ids)
            units.append({"id": uid, "region_id": cid, "name": name, "kind": "bureau", "is_active": True})
            parts["bureaus"].append(uid)
        for i, title in enumerate(LEADERS):
            lid = next(l_ids)
            leaders.append({"id": lid, "region_id": cid, "title": title, "sort": i})
            parts["leaders"].append(lid)
        county_parts[cid] = parts
    w.insert(Township, townships)
    w.insert(Unit, units)
    w.insert(Leader, leaders)

    # Projects, their townships and cooperating units, and a year plan in each year.
    years = list(range(scale.last_year - scale.years + 1, scale.last_year + 1))
    n_projects = scale.counties * scale.projects_per_county
    p_ids = iter(w.ids(Project, n_projects))
    projects, built_in, cooperating, plans = [], [], [], []
    facts: list[tuple[int, int, int, int | None]] = []  # (project, county, lead unit, start year or None)
    created = timezone.now()
    for cid, ccode, _city in counties:
        parts = county_parts[cid]
        for j in range(scale.projects_per_county):
            pid = next(p_ids)
            lead = rng.choice(parts["bureaus"]) if rng.random() < 0.8 else rng.choice(parts["township_units"])
            # One project in twelve has not started; most started before the first year and report every
            # month of all five years; the rest started in one of them.
            draw = rng.random()
            start_year = None if draw < 0.08 else (years[0] - 1 if draw < 0.85 else rng.choice(years))
            total = Decimal(rng.randrange(20_000, 2_000_000)) / 100 * 10
            start = dt.date(start_year, rng.randint(1, 6), 1) if start_year else None
            lon = Decimal(f"{rng.uniform(105.0, 110.0):.6f}")
            lat = Decimal(f"{rng.uniform(28.0, 32.0):.6f}")
            projects.append(
                {
                    "id": pid,
                    "region_id": cid,
                    "code": f"BM{ccode}-{j + 1:04d}",
                    "name": f"基准项目{ccode}-{j + 1}",
                    "sector_id": rng.choice(sectors),
                    "level": "county",
                    "nature": "new",
                    "content": "基准测试用建设内容",
                    "owner": "",
                    "lead_unit_id": lead,
                    "leader_id": rng.choice(parts["leaders"]),
                    "total_investment": total,
                    "planned_start": dt.date(start_year or scale.last_year, 3, 1),
                    "planned_end": dt.date(scale.last_year + 2, 12, 31),
                    "actual_start": start,
                    "longitude": lon,
                    "latitude": lat,
                    "status": "construction" if start else "preparing",
                    "created": created,
                    "updated": created,
                }
            )
            built_in.append({"project_id": pid, "township_id": rng.choice(parts["townships"])})
            if rng.random() < 0.25:
                other = rng.choice(parts["bureaus"])
                if other != lead:
                    cooperating.append({"project_id": pid, "unit_id": other})
            facts.append((pid, cid, lead, start_year))
    w.insert(Project, projects)
    w.insert(Project.townships.through, _with_ids(w, Project.townships.through, built_in))
    w.insert(Project.cooperating_units.through, _with_ids(w, Project.cooperating_units.through, cooperating))
    del projects, built_in, cooperating

    plan_facts: list[tuple[int, int, int, Decimal, int | None]] = []  # (plan, project, year, planned, start)
    plan_ids = iter(w.ids(YearPlan, len(facts) * len(years)))
    for pid, _cid, _lead, start_year in facts:
        for year in years:
            planned = Decimal(rng.randrange(10_000, 500_000)) / 100 * 10
            stage = "continuing" if start_year and start_year < year else "new"
            start_month = 3 if stage == "new" else None
            plan_id = next(plan_ids)
            plans.append(
                {
                    "id": plan_id,
                    "project_id": pid,
                    "year": year,
                    "stage": stage,
                    "planned_investment": planned,
                    "invested_before": Decimal("0.00"),
                    "planned_start_month": start_month,
                    "progress_target": "",
                    "created": created,
                }
            )
            plan_facts.append((plan_id, pid, year, planned, start_year))
    w.insert(YearPlan, plans)
    del plans
    w.log(f"  {n_projects:,} projects, {len(plan_facts):,} year plans")

    _users(w, province, counties[0][0], created)
    _reports(scale, w, rng, plan_facts)
    _blockers(scale, w, rng, facts, county_parts)


def _users(w: Writer, province: int, county: int, created: dt.datetime) -> None:
    """The users the benchmark signs in as: the province office and the first county's office."""
    from django.contrib.auth.hashers import make_password

    User = apps.get_model("accounts", "User")
    hashed = make_password(PASSWORD)
    first, second = w.ids(User, 2)
    w.bench_user_id = first
    w.insert(
        User,
        [
            {
                "id": first,
                "username": "bench_province",
                "password": hashed,
                "role": "office",
                "region_id": province,
                "is_active": True,
                "date_joined": created,
            },
            {
                "id": second,
                "username": "bench_county",
                "password": hashed,
                "role": "office",
                "region_id": county,
                "is_active": True,
                "date_joined": created,
            },
        ],
    )


def _with_ids(w: Writer, model: type[models.Model], rows: list[dict]) -> list[dict]:
    for pk, row in zip(w.ids(model, len(rows)), rows, strict=True):
        row["id"] = pk
    return rows


def _reports(scale: Scale, w: Writer, rng: random.Random, plan_facts: list) -> None:
    """Monthly reports of every started project, up to the last month of the last year."""
    try:
        Report = apps.get_model("reports", "MonthlyReport")
    except LookupError:
        w.log("  reports app absent: no monthly reports generated")
        return
    from bench import report_rows
    from reports import months

    w.start_id(Report)  # looked up now: no query may run on the connection while COPY streams rows
    # Rows written without the report services: the summary is built after, in one set-based pass.
    n = w.insert(Report, report_rows.rows(scale, w, rng, plan_facts, Report))
    w.log(f"  {n:,} monthly reports")
    summary = months.rebuild()
    w.counts.rows[months.TABLE] = summary
    w.log(f"  {summary:,} project-month summary rows")


def _blockers(scale: Scale, w: Writer, rng: random.Random, facts: list, county_parts: dict) -> None:
    try:
        Blocker = apps.get_model("blockers", "Blocker")
    except LookupError:
        w.log("  blockers app absent: no blockers generated")
        return
    per_county: dict[int, list[tuple[int, int]]] = {}
    for pid, cid, lead, _start in facts:
        per_county.setdefault(cid, []).append((pid, lead))
    n = scale.blockers_per_county * len(per_county)
    ids = iter(w.ids(Blocker, n))
    last = dt.date(scale.last_year, scale.last_month, 28)

    def rows() -> Iterator[dict]:
        for cid, items in per_county.items():
            leaders = county_parts[cid]["leaders"]
            for _ in range(scale.blockers_per_county):
                pid, lead = rng.choice(items)
                raised = last - dt.timedelta(days=rng.randint(0, 700))
                deadline = raised + dt.timedelta(days=rng.randint(15, 120))
                resolved = rng.random() < 0.7
                resolved_day = (
                    min(last, raised + dt.timedelta(days=rng.randint(5, 150))) if resolved else None
                )
                status = (
                    rng.choice(["resolved", "closed"]) if resolved else rng.choice(["open", "coordinating"])
                )
                level = rng.choice([1, 1, 1, 2, 2, 3])
                yield {
                    "id": next(ids),
                    "project_id": pid,
                    "source": "project",
                    "kind": rng.choice(BLOCKER_KINDS),
                    "description": "基准卡点：征地拆迁或手续未完成",
                    "raised_at": _aware(raised),
                    "lead_unit_id": lead,
                    "leader_id": rng.choice(leaders) if level > 1 else None,
                    "deadline": deadline,
                    "status": status,
                    "level": level,
                    "resolved_at": _aware(resolved_day, 16) if resolved_day else None,
                    "closed_at": _aware(resolved_day, 17) if status == "closed" else None,
                    "updated": _aware(resolved_day or raised),
                }

    w.insert(Blocker, rows())
    w.log(f"  {n:,} blockers")
