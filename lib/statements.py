"""Reads compiled once per process and run again from their SQL (no rows are kept).

Building and compiling a queryset can cost Django more Python than a county page's small reads take to
run (docs/benchmarks.md, sessions 4, 6 and 7). A read is kept under a key naming everything its SQL
depends on; asked again, the kept SQL runs and its rows are read through the kept compiler's
converters, as Django would. The rows are read afresh every time. Two forms:

- `rows(model, key, build)`: `build()` is the values_list queryset; the key names the read and every
  value its SQL holds (a page's ids included).
- `by_ids(model, key, ids, build)`: `build(stand_in)` is the queryset with `stand_in` where a list of
  ids goes (`…_id__in=stand_in`); the key names everything but the ids, which are bound in per call.

On PostgreSQL a kept statement's parameters are bound once, with Django's own compose_sql (the
literals psycopg would send), and the ids are written in as integers: psycopg binds client-side and
parses a statement for every placeholder on every execution (it caches that parse only below 50
parameters), so a read of a page's 150 ids cost 2,128 Python calls instead of 154. SQLite binds
natively: there the SQL and parameters are kept as they are. tests/test_statements.py holds kept ==
compiled afresh on both databases.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.transaction import TransactionManagementError

BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
MEMO_SIZE = 1024  # statements kept per process
SLOT = "keyproj_kept_slot"  # where the ids (by_ids) or a subquery (around) go in a kept statement
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _recall(db: str, key: tuple):
    with _lock:
        kept = _kept.get((db, key))
        if kept is not None:
            _kept.move_to_end((db, key))
    # A compiler belongs to one thread's connection object (Django has one per thread).
    if kept is not None and kept[0].connection is connections[db]:
        return kept
    return None


def _keep(db: str, key: tuple, kept: tuple) -> tuple:
    with _lock:
        _kept[(db, key)] = kept
        while len(_kept) > MEMO_SIZE:
            _kept.popitem(last=False)
    return kept


def bound(compiler, sql: str, params) -> tuple[str, tuple | None]:
    """The statement as it is kept: bound once on PostgreSQL (params None), as it is elsewhere.
    reports.figures keeps its statements bound the same way."""
    connection = compiler.connection
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        return connection.ops.compose_sql(sql, params), None
    return sql, tuple(params)


def _read(compiler, sql: str, params) -> list[tuple]:
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return list(compiler.results_iter(results=[fetched], tuple_expected=True))


def rows(model: type[Model], key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the values_list() queryset `build()` makes (tuples), its SQL kept under `key`.

    `key` must name everything the statement depends on (tests hold kept == compiled afresh); `build`
    is called only when it is not kept. `model` names the database to read (the router's choice)."""
    db = router.db_for_read(model)
    kept = _recall(db, key)
    if kept is None:
        compiler = build().query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. no ids: Django answers without asking the database
            return []
        kept = _keep(db, key, (compiler, *bound(compiler, sql, params)))
    compiler, sql, params = kept
    return _read(compiler, sql, params)


def aggregate(
    model: type[Model], key: tuple, names: tuple[str, ...], build: Callable[[], tuple[QuerySet, dict]]
) -> dict | None:
    """`queryset.aggregate(**aggregates)` for `(queryset, aggregates) = build()` (their names `names`,
    in order), its statement kept under `key`; build is called only when it is not kept. The statement
    is aggregate()'s own: the queryset grouped by a constant, which Django leaves out, so one row even
    over no rows. None when the queryset can hold nothing (Django asks the database nothing)."""

    def grouped() -> QuerySet:
        queryset, aggregates = build()
        return (
            queryset.order_by()
            .annotate(_all=Value(1))
            .values("_all")
            .annotate(**aggregates)
            .values_list(*names)
        )

    found = rows(model, ("aggregate", *key), grouped)
    return dict(zip(names, found[0], strict=True)) if found else None


def _slotted(db: str, key: tuple, make: Callable[[], QuerySet], rewrite: Callable[[str], str] | None = None):
    """The statement of `make()` (a queryset with RawSQL(SLOT) where something goes), kept under `key`:
    its compiler and the SQL around each SLOT with that part's parameters (bound once on PostgreSQL).
    `rewrite` may change the SQL once, before it is kept, but not its parameters."""
    kept = _recall(db, key)
    if kept is None:
        compiler = make().query.get_compiler(using=db)
        sql, params = compiler.as_sql()  # EmptyResultSet: the caller's
        if rewrite is not None:
            sql = rewrite(sql)
        parts, at = [], 0
        for part in sql.split(SLOT):
            n = part.count("%s")
            parts.append(bound(compiler, part, params[at : at + n]))
            at += n
        kept = _keep(db, key, (compiler, parts))
    return kept


def _filled(compiler, parts, inner: str, inner_params: Sequence) -> list[tuple]:
    """Run a slotted statement with `inner` (its parameters `inner_params`) where each SLOT was."""
    if parts[0][1] is None:  # bound once (PostgreSQL): the inner SQL is bound in too
        if inner_params:
            inner = compiler.connection.ops.compose_sql(inner, list(inner_params))
        return _read(compiler, inner.join(part for part, _ in parts), None)
    sql, params = parts[0][0], list(parts[0][1])
    for part, part_params in parts[1:]:
        sql += inner + part
        params += [*inner_params, *part_params]
    return _read(compiler, sql, params)


def by_ids(
    model: type[Model],
    key: tuple,
    ids: Sequence[int],
    build: Callable[[object], QuerySet],
    *,
    locking: bool = False,
) -> list[tuple]:
    """The rows (tuples) of `build(ids)`, its SQL kept under `key` and the ids bound in. No ids: no query.

    `locking`: `build` selects for update. Django refuses that outside a transaction only when it
    compiles the statement; a kept one is checked here on every call, and read from the database
    Django sends it to (the router's write database)."""
    # An id beyond a 64-bit column (a typed URL, 9999…9) can match no row: left out, as Django's own
    # lookups leave it out, instead of overflowing SQLite's integer.
    ids = [pk for pk in map(int, ids) if BIGINT_MIN <= pk <= BIGINT_MAX]
    if not ids:
        return []
    db = router.db_for_write(model) if locking else router.db_for_read(model)
    if locking and connections[db].get_autocommit():
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    key = ("by ids", *key)  # never a rows() key
    try:
        compiler, parts = _slotted(db, key, lambda: build(RawSQL(SLOT, ())))
    except EmptyResultSet:
        return []
    if parts[0][1] is None:  # PostgreSQL: the ids written in as integers
        return _filled(compiler, parts, ", ".join(map(str, ids)), ())
    return _filled(compiler, parts, ", ".join(["%s"] * len(ids)), ids)


def around(
    model: type[Model],
    key: tuple,
    inner: tuple[str, Sequence],
    make: Callable[[], QuerySet],
    rewrite: Callable[[str], str] | None = None,
    using: str | None = None,
) -> list[tuple]:
    """The rows (tuples) of `make()`, a queryset with RawSQL(SLOT) where a subquery goes, its SQL kept
    under `key` (naming everything but the subquery) and `inner` — (SQL, parameters) — written where
    SLOT is on every call. `rewrite` changes the compiled SQL once, before it is kept (reports.warnings
    drops the join Django wraps around its stand-in); `using` names the database (the router's read
    database of `model` by default)."""
    db, key = using or router.db_for_read(model), ("around", *key)
    try:
        compiler, parts = _slotted(db, key, make, rewrite)
    except EmptyResultSet:
        return []
    return _filled(compiler, parts, inner[0], inner[1])


def forget() -> None:
    """Drop every kept statement (tests)."""
    with _lock:
        _kept.clear()
