"""The month's annotated plans of a scope, materialised once per request for many groupings.

A province dashboard groups the same 20,000 annotated plans (reports.selectors.annotate_month) by
sector, unit, county and township, tallies their lights, picks the lagging and not-started
plans and sums the monthly curve. Each of those read through annotate_month costs a pass over
every plan, its scope check and its ProjectMonth join (~20 ms on SQLite before any grouping).
`month_rows()` computes the per-plan figures once into a temporary table (per connection, a
unique name, dropped on the way out; nothing is kept between requests) and the groupings read
that: each is then a few milliseconds.

The figures are the ones reports.selectors computes — the same sums, converted the same way and
handed to the same `_figures` — so a dashboard built from MonthRows equals one built from
group_figures, unit_and_region_figures and the ledger (tests/test_month_rows.py).
"""

from __future__ import annotations

import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal

from django.db import DatabaseError, connection, transaction

from accounts.models import User
from projects.models import Leader, Project, Sector, Unit, YearPlan
from regions.models import Region, Township

from .config import rules_in_scope
from .lights import GREEN, RED, YELLOW
from .models import ProjectMonth
from .selectors import _TALLY_BITS, Figures, _figures, annotate_month

# (column, type, the annotate_month values() path it is filled from), in SELECT order.
COLUMNS = (
    ("plan_id", "bigint", "pk"),
    ("project_id", "integer PRIMARY KEY", "project_id"),  # a plan per project and year
    ("code", "text", "project__code"),
    ("sector_id", "bigint", "project__sector_id"),
    ("unit_id", "bigint", "project__lead_unit_id"),
    ("region_id", "bigint", "project__region_id"),
    ("leader_id", "bigint", "project__leader_id"),
    ("planned", "numeric", "planned_investment"),
    ("start_month", "integer", "planned_start_month"),
    ("ytd", "numeric", "ytd"),
    ("started", "boolean", "started_flag"),
    ("light", "text", "light"),
    ("gap", "numeric", "gap"),
)
_FLOAT = decimal.Context(prec=15)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _decimal(value: object) -> Decimal | None:
    """A summed amount as Django's aggregate converter reads it (SQLite sums in floating point and
    keeps 15 significant digits; PostgreSQL sums exactly)."""
    if value is None:
        return None
    if isinstance(value, float):
        return _FLOAT.create_decimal_from_float(value)
    return Decimal(value)


# The aggregates of reports.selectors._aggregates(), over the table's columns.
_AGGREGATES = (
    "COUNT(*), SUM(t.planned), SUM(t.ytd), SUM(CASE WHEN t.started THEN 1 ELSE 0 END), "
    f"SUM(CASE t.light WHEN '{GREEN}' THEN 1 WHEN '{YELLOW}' THEN {1 << _TALLY_BITS} "
    f"ELSE {1 << (2 * _TALLY_BITS)} END)"
)
_SUMS = ("n", "planned_sum", "ytd_sum", "n_started", "tally")


def _sums(values: tuple) -> dict:
    n, planned, ytd, started, tally = values
    return {
        "n": n,
        "planned_sum": _decimal(planned),
        "ytd_sum": _decimal(ytd),
        "n_started": started or 0,
        "tally": tally or 0,
    }


class MonthRows:
    """Groupings of one user's plans at one month, read from the materialised table `table`."""

    def __init__(self, user: User, *, year: int, month: int, table: str) -> None:
        self.user, self.year, self.month, self.table = user, year, month, table
        self._rules = None

    def _fetch(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("{t}", _q(self.table)), params)
            return cursor.fetchall()

    def _rules_in_scope(self) -> tuple:
        if self._rules is None:
            self._rules = rules_in_scope(self.user, year=self.year, month=self.month)
        return self._rules

    # The label table, key column and order of each grouping (reports.selectors.GROUPS/GROUP_ORDER).
    def _grouping(self, by: str) -> tuple[str, str, str, str]:
        if by == "township":
            through = Project.townships.through._meta
            return (
                f"LEFT JOIN {_q(through.db_table)} pt ON pt.{_q('project_id')} = t.project_id "
                f"LEFT JOIN {_q(Township._meta.db_table)} g ON g.{_q('id')} = pt.{_q('township_id')}",
                f"pt.{_q('township_id')}",
                f"g.{_q('name')}",
                f"g.{_q('sort')}",
            )
        table, column, label, order = {
            "sector": (Sector._meta.db_table, "sector_id", "name", "sort"),
            "unit": (Unit._meta.db_table, "unit_id", "name", "name"),
            "leader": (Leader._meta.db_table, "leader_id", "title", "sort"),
            "region": (Region._meta.db_table, "region_id", "name", "path"),
        }[by]
        return (
            f"LEFT JOIN {_q(table)} g ON g.{_q('id')} = t.{column}",
            f"t.{column}",
            f"g.{_q(label)}",
            f"g.{_q(order)}",
        )

    def group_figures(self, by: str) -> list[Figures]:
        """What reports.selectors.group_figures(user, year=, month=, by=) returns, in its order."""
        join, key, label, order = self._grouping(by)
        own, rules = self._rules_in_scope()
        rows = self._fetch(
            f"SELECT {key}, {label}, {_AGGREGATES} FROM {{t}} t {join} "
            f"GROUP BY {key}, {label}, {order} ORDER BY {order}, {label}"
        )
        result = []
        for row in rows:
            group_key = row[0]
            target = rules[group_key].target if by == "region" and group_key in rules else own.target
            result.append(_figures(_sums(row[2:]), key=group_key, label=row[1] or "—", target=target))
        return result

    def unit_and_region_figures(self) -> tuple[list[Figures], list[Figures]]:
        """What reports.selectors.unit_and_region_figures returns: figures per lead unit and per
        region, in the order of their first (region, unit) group."""
        own, rules = self._rules_in_scope()
        unit_join, _key, unit_label, _order = self._grouping("unit")
        region_join = f"LEFT JOIN {_q(Region._meta.db_table)} r ON r.{_q('id')} = t.region_id"
        region_label = f"r.{_q('name')}"
        rows = self._fetch(
            f"SELECT t.region_id, {region_label}, t.unit_id, {unit_label}, {_AGGREGATES} "
            f"FROM {{t}} t {unit_join} {region_join} "
            f"GROUP BY t.region_id, {region_label}, t.unit_id, {unit_label} "
            f"ORDER BY t.region_id, t.unit_id"
        )
        units: dict[object, dict] = {}
        regions: dict[object, dict] = {}
        for row in rows:
            sums = _sums(row[4:])
            for key, label, into in ((row[2], row[3], units), (row[0], row[1], regions)):
                total = into.setdefault(key, {"label": label, **{k: 0 for k in _SUMS}})
                for k in _SUMS:
                    total[k] += sums[k] or 0
        unit_figures = [
            _figures(total, key=key, label=total["label"] or "—", target=own.target)
            for key, total in units.items()
        ]
        region_figures = [
            _figures(
                total,
                key=key,
                label=total["label"] or "—",
                target=rules[key].target if key in rules else own.target,
            )
            for key, total in regions.items()
        ]
        return unit_figures, region_figures

    def month_amounts(self) -> dict[int, Decimal]:
        """The counted amount of each month 1..M of the plans' projects (reports.ProjectMonth)."""
        rows = self._fetch(
            f"SELECT pm.{_q('month')}, SUM(pm.{_q('month_amount')}) "
            f"FROM {_q(ProjectMonth._meta.db_table)} pm "
            f"WHERE pm.{_q('year')} = %s AND pm.{_q('month')} <= %s "
            f"AND pm.{_q('project_id')} IN (SELECT t.project_id FROM {{t}} t) "
            f"GROUP BY pm.{_q('month')}",
            [self.year, self.month],
        )
        return {month: _decimal(amount) for month, amount in rows}

    def planned(self) -> Decimal | None:
        """The plans' annual plan summed (None when there are none)."""
        return _decimal(self._fetch("SELECT SUM(t.planned) FROM {t} t")[0][0])

    def lagging_ids(self, size: int) -> list[int]:
        """Started plans with a red or yellow light, furthest behind first (by gap, then code)."""
        rows = self._fetch(
            "SELECT t.plan_id FROM {t} t WHERE t.started AND t.light IN (%s, %s) "
            "ORDER BY t.gap, t.code LIMIT %s",
            [RED, YELLOW, size],
        )
        return [row[0] for row in rows]

    def not_started_ids(self, size: int) -> list[int]:
        """Plans not started by the month's end, the earliest planned start first, then by code."""
        rows = self._fetch(
            "SELECT t.plan_id FROM {t} t WHERE NOT t.started ORDER BY t.start_month, t.code LIMIT %s",
            [size],
        )
        return [row[0] for row in rows]


@contextmanager
def month_rows(user: User, *, year: int, month: int) -> Iterator[MonthRows]:
    """The user's plans of `year` annotated for `month`, in a temporary table for the block.

    Three statements: create the table, fill it from annotate_month's SQL, drop it. On PostgreSQL
    the block runs in one transaction (so it also works behind a transaction-pooling proxy); on
    SQLite it does not, since the project's SQLite transactions take the write lock.
    """
    plans = YearPlan.objects.filter(year=year, project__in=Project.objects.for_user(user))
    annotated = annotate_month(plans, user, year=year, month=month)
    select, params = annotated.order_by().values(*(path for _c, _t, path in COLUMNS)).query.sql_with_params()
    table = f"kp_month_rows_{uuid.uuid4().hex[:16]}"
    columns = ", ".join(f"{name} {kind}" for name, kind, _p in COLUMNS)
    if connection.vendor != "sqlite":  # on SQLite an INTEGER PRIMARY KEY is the rowid itself
        columns = columns.replace("integer PRIMARY KEY", "bigint PRIMARY KEY")
    atomic = nullcontext() if connection.vendor == "sqlite" else transaction.atomic()
    with atomic:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {_q(table)} ({columns})")
            try:
                cursor.execute(f"INSERT INTO {_q(table)} {select}", params)
                yield MonthRows(user, year=year, month=month, table=table)
            except BaseException:
                try:
                    cursor.execute(f"DROP TABLE IF EXISTS {_q(table)}")
                except DatabaseError:  # an aborted transaction: its rollback drops the table
                    pass
                raise
            cursor.execute(f"DROP TABLE {_q(table)}")
