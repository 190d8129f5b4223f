"""The bare SQL of each page (bench/sql/<page>.sql), run with the database driver alone.

Why no ORM: the point of timing it is to know what the page's figures cost the database and the
driver, so that the page's own overhead (Django, the ORM, templates, the HTTP server) shows as
the ratio page / (bare SQL + fixed cost). The same statements are checked against the page by
--verify, so they are known to compute what the page shows.

File format: statements separated by `-- name: <key>` lines; `-- include: _plans` pastes
bench/sql/_plans.sql (the scope's annotated plans, shared by most pages); parameters are written
`:name` (sqlite3's own style; rewritten to psycopg's `%(name)s`). A `<page>.pg.sql` or
`<page>.sqlite.sql` beside a file replaces it for that database.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
import sqlite3
import time
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SQL_DIR = Path(__file__).resolve().parent / "sql"
TIME_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")  # keyproj.settings.TIME_ZONE
_PARAM = re.compile(r"(?<![:\w]):([a-z_]+)\b")


@dataclass(frozen=True)
class Statement:
    name: str
    sql: str


def load(page: str, vendor: str) -> list[Statement]:
    """The named statements of bench/sql/<page>.sql (or its vendor variant), includes pasted."""
    suffix = "pg" if vendor == "postgresql" else "sqlite"
    path = SQL_DIR / f"{page}.{suffix}.sql"
    if not path.exists():
        path = SQL_DIR / f"{page}.sql"
    text = re.sub(
        r"^-- include: (\w+)\s*$",
        lambda m: (SQL_DIR / f"{m.group(1)}.sql").read_text(),
        path.read_text(),
        flags=re.M,
    )
    statements = []
    for chunk in re.split(r"^-- name: ", text, flags=re.M)[1:]:
        name, _, body = chunk.partition("\n")
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("--"))
        statements.append(Statement(name.strip(), body.strip().rstrip(";")))
    if not statements:
        raise ValueError(f"{path}: no '-- name:' statements")
    return statements


class Database:
    """A plain driver connection to the bench database DATABASE_URL names (no Django)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.vendor = "sqlite" if parts.scheme.startswith("sqlite") else "postgresql"
        if self.vendor == "sqlite":
            self.conn: Any = sqlite3.connect(parts.path[1:] if parts.path.startswith("//") else parts.path)
        else:
            import psycopg

            # Django's psycopg backend talks to the same server the same way (TCP, autocommit).
            self.conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def run(self, sql: str, params: dict[str, Any]) -> list[tuple]:
        if self.vendor == "postgresql":
            sql = _PARAM.sub(r"%(\1)s", sql.replace("%", "%%"))
        else:
            params = {k: _sqlite_value(v) for k, v in params.items()}
        wanted = {m.group(1) for m in _PARAM.finditer(sql)} if self.vendor == "sqlite" else None
        if wanted is not None:
            params = {k: v for k, v in params.items() if k in wanted}
        cursor = self.conn.execute(sql, params)
        rows = cursor.fetchall()
        cursor.close()
        return rows

    def one(self, sql: str, params: dict[str, Any] | None = None) -> tuple | None:
        rows = self.run(sql, params or {})
        return rows[0] if rows else None

    def timed(self, statements: list[Statement], params: dict[str, Any]) -> tuple[float, dict[str, list]]:
        """Run every statement once, fetching all rows: (wall ms, rows by statement name)."""
        started = time.perf_counter()
        out = {s.name: self.run(s.sql, params) for s in statements}
        return (time.perf_counter() - started) * 1000, out


def _sqlite_value(value: Any) -> Any:
    """As Django stores it on SQLite: Decimal as REAL, datetimes as naive UTC text, dates ISO."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class User:
    username: str
    region_id: int
    region_path: str
    region_name: str


def user(db: Database, username: str) -> User:
    row = db.one(
        "SELECT r.id, r.path, r.name FROM accounts_user u JOIN regions_region r ON r.id = u.region_id "
        "WHERE u.username = :username",
        {"username": username},
    )
    if row is None:
        raise LookupError(f"no user {username!r} in the bench database")
    return User(username, row[0], row[1], row[2])


def schedule_rule(db: Database, who: User, *, year: int, month: int) -> tuple[Decimal, Decimal]:
    """(target, floor) for the user's region, as reports.config reads reports_yearsetting: the
    nearest setting up the region's path, else linear month/12 with a 10-point yellow band."""
    ids = [int(x) for x in _ancestor_ids(db, who.region_path)]
    target, threshold = _q(Decimal(month) * 100 / 12), Decimal("10.00")
    best = None
    for region_id in ids:
        row = db.one(
            "SELECT mode, curve, yellow_threshold FROM reports_yearsetting WHERE region_id = :r AND year = :y",
            {"r": region_id, "y": year},
        )
        if row:
            best = row
    if best:
        mode, curve, threshold = best[0], best[1], Decimal(str(best[2]))
        if mode == "daily":
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            days = 366 if calendar.isleap(year) else 365
            target = _q(Decimal(end.timetuple().tm_yday) * 100 / days)
        elif mode == "custom":
            import json

            values = json.loads(curve) if isinstance(curve, str) else curve
            target = _q(Decimal(str(values[month - 1])))
    return target, target - threshold


def _ancestor_ids(db: Database, path: str) -> list[int]:
    """Region ids from the root down to the region with this path (paths are /code/code/…/)."""
    codes = [c for c in path.split("/") if c]
    prefixes = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    ids = []
    for prefix in prefixes:
        row = db.one("SELECT id FROM regions_region WHERE path = :p", {"p": prefix})
        if row:
            ids.append(row[0])
    return ids


def _q(value: Decimal) -> Decimal:
    from decimal import ROUND_HALF_UP

    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def params(
    db: Database, who: User, *, year: int, month: int, today: dt.date, sector_id: int = 0
) -> dict[str, Any]:
    """Every parameter any page file uses, for one user and period."""
    target, floor = schedule_rule(db, who, year=year, month=month)
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    # The day blocker counts are taken on, as blockers.selectors.counts_as_of says: today for the
    # latest reporting month (the month before today's) or a later one, else the month's last day.
    latest = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    on = today if (year, month) >= latest else month_end
    # works/warnings.py's tender_late: a planned start (the 1st of its month) at most the lead days away.
    due = today + dt.timedelta(days=int(os.environ.get("KEYPROJ_TENDER_LEAD_DAYS", "30")))
    tender_month = 12 if due.year > year else 0 if due.year < year else due.month
    return {
        "path_like": who.region_path + "%",
        "year": year,
        "month": month,
        "month_end": month_end,
        "target": target,
        "floor": floor,
        "sector_id": sector_id,
        "page_size": 50,
        "today": today,
        "on": on,
        "day_after": dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=TIME_ZONE),
        "year_end": dt.date(year, 12, 31),
        "tender_month": tender_month,
    }
