"""The month figures: the only place that says what a plan has done by the end of a month.

    plans = month_plans(user, year=2020, month=9)      # the year's plans in scope, with the figures
    plans.figures()                                    # count, plan, ytd, rate, target, gap, lights
    plans.figures_by("sector")                         # the same per sector, unit, township, ...
    plans.not_started().most_overdue_first()[:15]      # a short list, the same rows on every database
    plans.lagging().furthest_behind_first()

Every page, export, document, job and `/api/v1/` endpoint that shows a month figure reads it here.
Each rule is written once, as one query expression:

- counted report: submitted or approved (`MonthlyReport.COUNTED`); the year to date sums the counted
  reports of months ≤ M, read from the maintained summary `ProjectMonth` (reports/months.py);
- started by month M: a counted report of a month ≤ M says so (and no later counted correction ≤ M
  says it has not, reports/months.py), or the project's `actual_start` is by the end of M.
  Returning the report withdraws it (it no longer counts);
- not started: not started by month M;
- the light: reports/lights.py `light_expression`, with the region's target and yellow band;
- lagging: started, with a red or yellow light.

Rates per plan are SQL arithmetic (the light compares them); rates of groups are computed from the
groups' sums by lib/schedule. tests/test_figures_core.py holds the two equal for one-plan groups.

Compiled once: building the month's annotated query and compiling it to SQL costs Django more
than a county's statements take to run (docs/benchmarks.md, session 4). So each statement the
aggregates and short lists run is kept, with the compiler that wrote it, under the *recipe* that
built it — who sees what (the scope), the year, the month, the region's rules, and every further
step taken on the queryset with its arguments — and is run again from its SQL text when the same
recipe comes back (a county office's next request). Nothing else is kept: the rows are read
afresh every time. A step this module cannot name exactly (an argument it cannot compare, such
as a queryset) ends the recipe, and that queryset is compiled as usual.
tests/test_figures_memo.py holds both paths equal.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models import Model as _Model
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce, Round
from django.db.models.sql.query import Query

from accounts.models import User
from lib import schedule, statements
from lib.money import ZERO, q2
from lib.months import month_end
from projects.models import YearPlan, visible_to
from regions.models import Township

from .config import Rules, rules_for
from .lights import COLOURS, GREEN, PCT, PREPARATORY, RED, YELLOW, light_expression, per_region

MONEY = DecimalField(max_digits=14, decimal_places=2)

# How each grouping reads: (key, label, order) on the plan's project.
GROUPS = {
    "unit": ("project__lead_unit_id", "project__lead_unit__name", "project__lead_unit__name"),
    "sector": ("project__sector_id", "project__sector__name", "project__sector__sort"),
    "township": ("project__townships__id", "project__townships__name", "project__townships__sort"),
    "leader": ("project__leader_id", "project__leader__title", "project__leader__sort"),
    "region": ("project__region_id", "project__region__name", "project__region__path"),
}
# The groupings in which each plan falls in exactly one group (a project has one lead unit, one
# sector, one leader or none, one region): their groups add up to the scope. Not townships: a
# project built in two counts in both.
ONE_GROUP_EACH = ("unit", "sector", "leader", "region")


@dataclass
class Figures:
    """Plan, year-to-date, rate and schedule for one group (or the whole scope) at one month."""

    key: object
    label: str
    projects: int
    planned: Decimal
    ytd: Decimal
    rate: Decimal | None
    target: Decimal
    gap: Decimal | None
    lights: dict[str, int] = field(default_factory=dict)
    not_started: int = 0
    started: int = 0
    # Plans the schedule asks something of by the month: all but preparatory projects not started
    # whose start is not due (see `ranked`). None where not counted (a Figures built by hand).
    scheduled: int | None = None
    # The place in a ranking (see `ranked`): shared by ties; None for a group not ranked.
    rank: int | None = None

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "projects": self.projects,
            "planned_investment": f"{self.planned:.2f}",
            "ytd_investment": f"{self.ytd:.2f}",
            "completion_rate": None if self.rate is None else float(self.rate),
            "schedule_target": float(self.target),
            "gap_points": None if self.gap is None else float(self.gap),
            "lights": self.lights,
            "not_started": self.not_started,
            "started": self.started,
        }


def _hundred() -> Value:
    # SQLite divides integers as integers; a REAL literal keeps the fraction. PostgreSQL stays exact.
    if connection.vendor == "sqlite":
        return Value(100.0)
    return Value(Decimal(100), output_field=MONEY)


def _zero_if_null(column: str) -> Coalesce:
    return Coalesce(F(column), Value(ZERO, output_field=MONEY), output_field=MONEY)


class _TwoPlaces(Func):
    """An expression read back as a Decimal with exactly two places.

    SQLite computes rate and gap in floating point and Django reads a computed column with 15
    significant digits (a gap of 4.74 arrives as 4.73999999999999); quantizing on the way out
    gives every consumer — pages, exports, the API — the exact figure. PostgreSQL is already exact.
    """

    template = "%(expressions)s"
    output_field = PCT

    def get_db_converters(self, connection) -> list:
        return [*super().get_db_converters(connection), self._quantize]

    @staticmethod
    def _quantize(value, expression, connection) -> Decimal | None:
        return None if value is None else q2(Decimal(value))


def started_by(year: int, month: int) -> Q:
    """Started by the end of month M: a counted report of a month ≤ M says so (the ProjectMonth
    row of M, joined as `pm`), or the project's actual start is by the month's end."""
    return Q(pm__started=True) | Q(project__actual_start__lte=month_end(year, month))


@dataclass(frozen=True)
class _Month:
    user: User
    year: int
    month: int
    rules: Rules


# -- compiled statements, kept by recipe (see the module docstring) -------------------------------
MEMO_SIZE = 512  # statements kept per process (a county's pages need about twenty)
_memo: OrderedDict = OrderedDict()
_built: OrderedDict = OrderedDict()  # recipe of month_plans → its annotated Query
_memo_lock = threading.Lock()
_NAMED = (type(None), bool, int, float, str, Decimal, dt.date)


class _Unnamed(Exception):
    """A step's argument this module cannot compare exactly: the recipe ends there."""


def _name(value: object) -> object:
    """A value as part of a recipe: equal names must mean the same SQL. Types are named too, so 1,
    True and Decimal(1) (equal in Python, different in SQL) stay apart."""
    if isinstance(value, Decimal):  # 75 and 75.00 are equal but are written apart
        return ("Decimal", str(value))
    if isinstance(value, _NAMED):
        return (type(value).__name__, value)
    if isinstance(value, F):
        return ("F", value.name)
    if isinstance(value, list | tuple):
        return ("seq", tuple(_name(v) for v in value))
    if isinstance(value, _Model) and value.pk is not None:
        return ("row", value._meta.label, _name(value.pk))
    if isinstance(value, BaseExpression | Q) and not _holds_queryset(value):
        # identity: every constructor argument (asc vs asc(nulls_last)); repr: their types.
        return ("expr", value.identity, repr(value))
    if isinstance(value, Prefetch):  # changes what is read after, never the statement
        return ("prefetch", value.prefetch_to)
    raise _Unnamed(type(value).__name__)


def _holds_queryset(value: object) -> bool:
    """Does an expression or Q carry a queryset or query (compared by object only)?"""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, QuerySet | Query):
            return True
        if isinstance(item, Q):
            stack.extend(
                v for child in item.children for v in (child if isinstance(child, tuple) else (child,))
            )
        elif isinstance(item, BaseExpression):
            stack.extend(item.get_source_expressions())
            stack.append(getattr(item, "query", None))  # Subquery, Exists
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def scope_key(user: User) -> tuple:
    """What projects.models.visible_to reads of a user: equal keys, the same scope condition
    (tests/test_figures_memo.py compiles the condition for users of every role to hold it)."""
    unit = user.unit if user.is_authenticated and user.unit_id else None
    return (
        user.is_authenticated,
        user.role if user.is_authenticated else None,
        user.region.path if user.is_authenticated and user.region_id else None,
        user.unit_id if user.is_authenticated else None,
        unit.township_id if unit else None,
        user.leader_id if user.is_authenticated else None,
    )


class _Recording(Query):
    """A Query that keeps the SQL its compiler writes for it, so it can run again uncompiled."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = super().get_compiler(using, connection, elide_empty)
        write = compiler.as_sql

        def as_sql(*args, **kwargs):
            sql, params = write(*args, **kwargs)
            if not args and not kwargs and compiler.query is self:  # the statement itself
                self.recorded = _Statement(compiler, sql, tuple(params))
            return sql, params

        compiler.as_sql = as_sql
        return compiler


class _Replay(Query):
    """A Query whose compiler is a kept one: model rows read through Django's own iterable
    (instances, select_related, annotations) without compiling the statement again."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.replay.compiler


@dataclass
class _Statement:
    compiler: object
    sql: str
    params: tuple
    names: tuple = ()

    def rows(self) -> list:
        """Run the SQL again and read its rows as Django would (the compiler's converters)."""
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            fetched = cursor.fetchall()
        return list(self.compiler.results_iter(results=[fetched]))


def _kept(key: tuple | None, db: str) -> _Statement | None:
    if key is None:
        return None
    with _memo_lock:
        statement = _memo.get((db, key))
        if statement is not None:
            _memo.move_to_end((db, key))
    # The compiler belongs to one thread's connection object (Django has one per thread).
    if statement is None or statement.compiler.connection is not connections[db]:
        return None
    return statement


def _keep(key: tuple | None, db: str, query: Query, names: tuple) -> None:
    statement = query.__dict__.get("recorded")
    if key is None or statement is None:
        return
    statement.names = names
    # Bound once on PostgreSQL (lib.statements.bound): the statement then has no parameters, and the
    # plan PostgreSQL makes for it when psycopg prepares it is kept (keyproj.settings: a statement
    # with parameters is planned on every run, force_custom_plan), as the bench's bare SQL is.
    sql, params = statements.bound(statement.compiler, statement.sql, statement.params)
    statement.sql, statement.params = sql, params
    statement.compiler.as_sql = lambda *args, **kwargs: (sql, None if params is None else list(params))
    with _memo_lock:
        _memo[(db, key)] = statement
        _memo.move_to_end((db, key))
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def _remember(recipe: tuple, query: Query) -> None:
    with _memo_lock:
        _built[recipe] = query.chain()
        while len(_built) > MEMO_SIZE:
            _built.popitem(last=False)


def forget_statements() -> None:
    """Drop every kept statement (tests; nothing else needs it: no data is kept)."""
    with _memo_lock:
        _memo.clear()
        _built.clear()


class MonthPlans(QuerySet):
    """YearPlans annotated with one month's figures (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._month: _Month | None = None
        self._recipe: tuple | None = None

    def _clone(self) -> MonthPlans:
        clone = super()._clone()
        clone._month = self._month
        clone._recipe = None  # a step not named below: compiled afresh
        return clone

    def _recipe_after(self, step: str, args: tuple, kwargs: dict) -> tuple | None:
        if self._recipe is None:
            return None
        try:
            return (*self._recipe, (step, _name(args), _name(sorted(kwargs.items()))))
        except _Unnamed:
            return None

    def _step(self, step: str, apply: Callable, args: tuple = (), kwargs: dict | None = None) -> MonthPlans:
        """This queryset after `step` (`apply(*args, **kwargs)`), its recipe extended — or ended
        when an argument cannot be named. A step taken before on the same recipe is not resolved
        again: the query it built is cloned (resolving a filter on the light costs more than the
        clone)."""
        kwargs = kwargs or {}
        recipe = self._recipe_after(step, args, kwargs)
        if recipe is not None:
            with _memo_lock:
                built = _built.get(recipe)
            if built is not None:
                return self._clone_of(built, recipe)
        clone = apply(*args, **kwargs)
        clone._recipe = recipe
        if recipe is not None:
            _remember(recipe, clone.query)
        return clone

    def _clone_of(self, built: Query, recipe: tuple) -> MonthPlans:
        """QuerySet._clone with a query built before in place of this one's."""
        c = self.__class__(model=self.model, query=built.chain(), using=self._db, hints=self._hints)
        c._sticky_filter = self._sticky_filter
        c._for_write = self._for_write
        c._prefetch_related_lookups = self._prefetch_related_lookups[:]
        c._known_related_objects = self._known_related_objects
        c._iterable_class = self._iterable_class
        c._fields = self._fields
        c._month, c._recipe = self._month, recipe
        return c

    # The generic steps pages take on the month's plans, named in the recipe.
    def all(self) -> MonthPlans:
        return self._step("all", super().all)

    def filter(self, *args, **kwargs) -> MonthPlans:
        return self._step("filter", super().filter, args, kwargs)

    def exclude(self, *args, **kwargs) -> MonthPlans:
        return self._step("exclude", super().exclude, args, kwargs)

    def annotate(self, *args, **kwargs) -> MonthPlans:
        return self._step("annotate", super().annotate, args, kwargs)

    def order_by(self, *fields) -> MonthPlans:
        return self._step("order_by", super().order_by, fields)

    def distinct(self, *fields) -> MonthPlans:
        return self._step("distinct", super().distinct, fields)

    def select_related(self, *fields) -> MonthPlans:
        return self._step("select_related", super().select_related, fields)

    def prefetch_related(self, *lookups) -> MonthPlans:
        # What it changes is on the queryset, not in the query: never taken from a built query.
        clone = super().prefetch_related(*lookups)
        clone._recipe = self._recipe_after("prefetch_related", lookups, {})
        return clone

    # -- the rules, as filters -------------------------------------------------------------
    def started(self) -> MonthPlans:
        return self.filter(started_flag=True)

    def not_started(self) -> MonthPlans:
        return self.filter(started_flag=False)

    def lagging(self) -> MonthPlans:
        """Started, and behind the schedule: a red or yellow light."""
        return self.filter(started_flag=True, light__in=[RED, YELLOW])

    def start_due(self) -> MonthPlans:
        """Not started although the planned start month has come (yellow in it, red after)."""
        return self.filter(started_flag=False, planned_start_month__lte=self._month.month)

    def with_light(self, colour: str) -> MonthPlans:
        return self.filter(light=colour)

    # -- orders that give the same rows on every database ----------------------------------
    def most_overdue_first(self) -> MonthPlans:
        """The earliest planned start first (the longest overdue), plans with none last, then code."""
        return self.order_by(F("planned_start_month").asc(nulls_last=True), "project__code")

    def furthest_behind_first(self) -> MonthPlans:
        """The largest gap behind the schedule first, plans with no rate last, then code."""
        return self.order_by(F("gap").asc(nulls_last=True), "project__code")

    # -- what a list of rows shows ----------------------------------------------------------
    def with_projects(self) -> MonthPlans:
        return self.select_related(
            "project__sector", "project__lead_unit", "project__leader", "project__region"
        ).prefetch_related(Prefetch("project__townships", queryset=Township.objects.only("id", "name")))

    # -- statements run from their kept SQL -------------------------------------------------
    def _key(self, *op: object) -> tuple | None:
        if self._recipe is None:
            return None
        try:
            return (*self._recipe, _name(op))
        except _Unnamed:
            return None

    def _aggregate(self, op: tuple, aggregates: dict) -> dict:
        """`self.aggregate(**aggregates)`, its SQL kept under the recipe and `op` (which must name
        what the aggregates depend on beyond the recipe)."""
        key = self._key(*op)
        kept = _kept(key, self.db)
        if kept is not None:
            return dict(zip(kept.names, kept.rows()[0], strict=True))
        query = self.query.chain(_Recording)
        row = query.get_aggregation(self.db, aggregates)
        _keep(key, self.db, query, tuple(row))
        return row

    def _kept_values(
        self, op: tuple, build: Callable[[], QuerySet], flat: bool = False, tuples: bool = False
    ) -> list:
        """The rows of the values() (dicts), flat values_list() or values_list() (`tuples`) queryset
        `build()` makes from this one, its SQL kept under the recipe and `op` (built only when not
        kept: building resolves every expression again)."""
        key = self._key(*op)
        kept = _kept(key, self.db)
        if kept is not None:
            rows = kept.rows()
            if flat or tuples:
                return [row[0] for row in rows] if flat else [tuple(row) for row in rows]
            return [dict(zip(kept.names, r, strict=True)) for r in rows]
        queryset = build()
        queryset._query = queryset.query.chain(_Recording)  # not .query: its setter picks dicts
        rows = list(queryset)
        q = queryset.query
        _keep(key, self.db, q, (*q.extra_select, *q.values_select, *q.annotation_select))
        return rows

    def first_rows(self, columns: tuple[str, ...], size: int) -> list[tuple]:
        """The first `size` plans of the queryset's order as tuples of `columns` (a short list), in
        one statement kept under the recipe."""
        return self._kept_values(
            ("first rows", columns, size), lambda: self.values_list(*columns)[:size], tuples=True
        )

    def page_rows(self, columns: tuple[str, ...], start: int, stop: int | None) -> list[tuple]:
        """Rows start..stop of the queryset's order as tuples of `columns`, in one statement kept
        under the recipe: a page that prints a few of each plan's figures makes no YearPlan."""
        return self._kept_values(
            ("page rows", columns, start, stop), lambda: self.values_list(*columns)[start:stop], tuples=True
        )

    def fetch_rows(self, start: int, stop: int | None) -> list:
        """Rows start..stop of the queryset's order, with their projects.

        Cut on the bare plans first (the order needs every plan's figures, not its unit's name or
        its sector), then only the chosen rows are read with their joins: a province's ledger
        joined to units, sectors, leaders and regions before the sort cost more than the sort, and
        past eight joins PostgreSQL stops choosing the join order (docs/benchmarks.md).

        With no joins to cut (no select_related: the projects are read after, as
        reports.ledger.page_projects does), the rows are the same statement with the same order
        and slice, so they are read in that one statement instead of ids and then rows by id.
        """
        if not self.query.select_related:
            return self._fetch_slice(start, stop)
        ids = self._kept_values(
            ("ids", start, stop), lambda: self.values_list("pk", flat=True)[start:stop], flat=True
        )
        if not ids:
            return []
        key = self._key("rows", ids)
        kept = _kept(key, self.db)
        chosen = self.order_by().filter(pk__in=ids)
        chosen._query = chosen.query.chain(_Replay if kept else _Recording)
        chosen.query.replay = kept
        by_pk = {row.pk: row for row in chosen}
        if kept is None:
            _keep(key, self.db, chosen.query, ())
        return [by_pk[pk] for pk in ids]

    def _fetch_slice(self, start: int, stop: int | None) -> list:
        """Rows start..stop of the queryset's order in one statement, its SQL kept."""
        key = self._key("slice", start, stop)
        kept = _kept(key, self.db)
        chosen = self[start:stop]
        chosen._query = chosen.query.chain(_Replay if kept else _Recording)
        chosen.query.replay = kept
        rows = list(chosen)
        if kept is None:
            _keep(key, self.db, chosen.query, ())
        return rows

    # -- aggregates -------------------------------------------------------------------------
    def figures(self) -> Figures:
        """The figures of every plan in the queryset together (the user's scope by default)."""
        return self.figures_with()[0]

    def figures_with(self, **extra) -> tuple[Figures, dict]:
        """figures() and further aggregates of the same rows, in the same query."""
        ctx = self._month
        row = self.order_by()._aggregate(
            ("figures", sorted(extra.items())), {**_aggregates(ctx.month), **extra}
        )
        figures = _figures(row, key=ctx.user.region_id, label=ctx.user.region.name, target=self._target())
        return figures, {name: row[name] for name in extra}

    def figures_by(self, by: str) -> list[Figures]:
        """One Figures per lead unit, sector, township, leader or region (county), in the grouping's
        order. A project built in two townships counts in both; projects with no township or leader
        fall in a group with key None."""
        return self._groups(by, self._group_rows(by))

    def figures_and_by(self, by: str) -> tuple[Figures, list[Figures]]:
        """figures() and figures_by(by) from the one grouped statement, for a grouping in which each
        plan falls in exactly one group (ONE_GROUP_EACH): the scope's counts and sums are its
        groups' added up, so a page that shows both runs one query (tests/test_dashboard_total.py
        holds the two equal)."""
        if by not in ONE_GROUP_EACH:
            raise ValueError(f"a plan may fall in several groups by {by!r}: its groups do not add up")
        rows = self._group_rows(by)
        money = ("planned_sum", "ytd_sum")
        added = {name: sum(q2(row[name]) if name in money else row[name] for row in rows) for name in _SUMMED}
        ctx = self._month
        total = _figures(added, key=ctx.user.region_id, label=ctx.user.region.name, target=self._target())
        return total, self._groups(by, rows)

    def _group_rows(self, by: str) -> list[dict]:
        if by not in GROUPS:
            raise ValueError(f"unknown grouping {by!r}")
        key, label, order = GROUPS[by]
        # Grouped by the label first: grouped by the key first, SQLite read every project of the
        # province in the order of the key's index (the lead unit's, the leader's) to spare itself the
        # grouping's sort, instead of the scope's from the region index (a county's ranking 6 ms, 0.6
        # after; tests/test_figures_group_plan.py).
        values = (label, key, "project__region__path") if by == "region" else (label, key)
        return self._kept_values(
            ("figures_by", by),
            lambda: (
                self.order_by()
                .values(*values)
                .annotate(**_aggregates(self._month.month))
                .order_by(order, label, key)
            ),
        )

    def _groups(self, by: str, rows: list[dict]) -> list[Figures]:
        key, label, _order = GROUPS[by]
        scope_target = self._target()  # the same for every group but counties (their own settings)
        return [
            _figures(
                row,
                key=row[key],
                label=row[label] or "—",
                target=self._target(row["project__region__path"]) if by == "region" else scope_target,
            )
            for row in rows
        ]

    def month_amounts(self) -> dict[int, Decimal]:
        """The counted amount of each month 1..M of the plans' projects, from ProjectMonth."""
        from .models import ProjectMonth

        ctx = self._month
        rows = self._kept_values(
            ("month_amounts",),
            lambda: (
                ProjectMonth.objects.filter(
                    year=ctx.year, month__lte=ctx.month, project_id__in=self.order_by().values("project_id")
                )
                .order_by()
                .values("month")
                .annotate(s=Sum("month_amount"))
            ),
        )
        return {row["month"]: q2(row["s"]) for row in rows}

    def count(self) -> int:
        if self._result_cache is not None or self.query.is_sliced:
            return super().count()
        return self.order_by()._aggregate(("count",), {"n": Count("*")})["n"]

    def _target(self, path: str | None = None) -> Decimal:
        ctx = self._month
        return ctx.rules.rule(ctx.month, path).target


def unscheduled(month: int) -> Q:
    """A plan the schedule asks nothing of by the end of `month`: a preparatory project (前期) not
    started whose planned start month, if any, is still to come. Its light is green and its rate
    0 %, which says nothing about its unit: a group of such plans only is not ranked."""
    start_not_due = Q(planned_start_month__isnull=True) | Q(planned_start_month__gt=month)
    return Q(stage=PREPARATORY, started_flag=False) & start_not_due


def _aggregates(month: int) -> dict:
    return {
        "n": Count("pk"),
        "n_scheduled": Count("pk", filter=~unscheduled(month)),
        "planned_sum": Sum("planned_investment"),
        "ytd_sum": Sum("ytd"),
        "n_started": Count("pk", filter=Q(started_flag=True)),
        **{colour: Count("pk", filter=Q(light=colour)) for colour in COLOURS},
    }


# What _aggregates counts and sums: every one adds up across groups that share no plan.
_SUMMED = ("n", "n_scheduled", "planned_sum", "ytd_sum", "n_started", *COLOURS)


def _figures(row: dict, *, key: object, label: str, target: Decimal) -> Figures:
    planned, ytd = q2(row["planned_sum"]), q2(row["ytd_sum"])
    rate = schedule.completion_rate(ytd, planned)
    return Figures(
        key=key,
        label=label,
        projects=row["n"],
        planned=planned,
        ytd=ytd,
        rate=rate,
        target=target,
        gap=schedule.gap_points(rate, target),
        lights={colour: row[colour] for colour in COLOURS},
        not_started=row["n"] - row["n_started"],
        started=row["n_started"],
        scheduled=row["n_scheduled"],
    )


def ranked(groups: list[Figures]) -> list[Figures]:
    """Every group in ranking order, each with its `rank`; the one order of every ranking (dashboard,
    big screen, unit plans and their export, the quarterly dispatch).

    Ranked, best first: the highest completion rate; ties share a rank (1, 2, 2, 4) and are listed
    by name, then key (two counties each have a 县水利局), so every database gives the same order.
    After them, with rank None, the groups the schedule asks nothing of this month (only
    preparatory plans whose start is not due, see `unscheduled`) or with nothing planned (no
    rate): listed apart, never ranked last. The group of plans with no unit, township or leader
    (key None) is left out.
    """
    groups = [g for g in groups if g.key is not None]
    by_name = sorted(groups, key=lambda g: (g.label, g.key))
    ranks = [g for g in by_name if g.rate is not None and g.scheduled != 0]
    ranks.sort(key=lambda g: -g.rate)
    apart = [g for g in by_name if g.rate is None or g.scheduled == 0]
    for position, g in enumerate(ranks, start=1):
        before = ranks[position - 2] if position > 1 else None
        g.rank = before.rank if before is not None and before.rate == g.rate else position
    for g in apart:
        g.rank = None
    return ranks + apart


def month_plans(user: User, *, year: int, month: int) -> MonthPlans:
    """The year's plans in the user's scope, annotated for month M: ytd, month_amount, since_start,
    report_status, started_flag, rate (percent or None), target, gap (points), light."""
    rules = rules_for(user, year)
    own, below = rules.rule(month), rules.rules_below(month)
    recipe = (
        "month_plans",
        connection.vendor,
        scope_key(user),
        year,
        month,
        _name([own.target, own.floor, *((path, r.target, r.floor) for path, r in below)]),
    )
    ctx = _Month(user=user, year=year, month=month, rules=rules)
    with _memo_lock:
        built = _built.get(recipe)
    if built is not None:  # the same annotations, resolved already: a clone of them
        plans = MonthPlans(model=YearPlan, query=built.chain())
        plans._month, plans._recipe = ctx, recipe
        return plans
    annotated = _annotated(user, year, month, own, below)
    annotated._month, annotated._recipe = ctx, recipe
    _remember(recipe, annotated.query)
    return annotated


def _annotated(user: User, year: int, month: int, own, below) -> MonthPlans:
    plans = MonthPlans(model=YearPlan).filter(visible_to(user, via="project"), year=year)
    rate = Round(F("ytd") * _hundred() / F("planned_investment"), 2, output_field=PCT)
    annotated = (
        plans.annotate(
            pm=FilteredRelation(
                "project__report_months",
                condition=Q(project__report_months__year=year, project__report_months__month=month),
            ),
        )
        .annotate(
            ytd=_zero_if_null("pm__ytd"),
            month_amount=_zero_if_null("pm__month_amount"),
            report_status=F("pm__report_status"),
            started_flag=Case(
                When(started_by(year, month), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            since_start=F("invested_before") + F("ytd"),
            rate=_TwoPlaces(
                Case(When(planned_investment__gt=0, then=rate), default=Value(None), output_field=PCT)
            ),
            target=per_region([(path, r.target) for path, r in below], own.target),
            floor=per_region([(path, r.floor) for path, r in below], own.floor),
        )
        .annotate(
            gap=_TwoPlaces(F("rate") - F("target")),
            light=light_expression(month=month),
        )
    )
    return annotated


__all__ = [
    "GREEN",
    "GROUPS",
    "RED",
    "YELLOW",
    "Figures",
    "MonthPlans",
    "month_plans",
    "ranked",
    "started_by",
    "unscheduled",
]
