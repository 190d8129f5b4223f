"""The wall chart's reads by a page's ids, compiled once per process and, on PostgreSQL, bound once.

As battlemap.kept: a read is compiled once and kept under a key naming everything its SQL depends on
(the read, the page's ids, the year or day); its rows are read afresh every time through the kept
compiler's converters. No rows are kept.

One step further for the wall: its five reads each name the page's 150 ids, and psycopg binds
parameters client-side, parsing the statement for every placeholder on every execution (it caches
that parse only below 50 parameters). The kept statement is therefore bound once, on PostgreSQL,
with Django's own compose_sql (psycopg's mogrify, the literals psycopg would send), and run as that
text: a read of 150 projects costs 154 Python calls instead of 2,128 (bench database, county office).
SQLite binds natively (no such parse): there the SQL and parameters are kept as they are.
tests/test_wall_kept.py holds kept == compiled afresh on both databases.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

MEMO_SIZE = 256  # statements kept per process (a page of the wall needs five)
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def rows(model: type[Model], key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the values_list() queryset `build()` makes (tuples), its SQL kept under `key`.

    `key` must name everything the statement depends on; `build` is called only when it is not
    kept (building resolves every lookup again)."""
    db = router.db_for_read(model)
    with _lock:
        kept = _kept.get((db, key))
        if kept is not None:
            _kept.move_to_end((db, key))
    # A compiler belongs to one thread's connection object (Django has one per thread).
    if kept is None or kept[0].connection is not connections[db]:
        compiler = build().query.get_compiler(using=db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. no ids: Django answers without asking the database
            return []
        connection = compiler.connection
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            sql, params = connection.ops.compose_sql(sql, params), None
        kept = (compiler, sql, None if params is None else tuple(params))
        with _lock:
            _kept[(db, key)] = kept
            while len(_kept) > MEMO_SIZE:
                _kept.popitem(last=False)
    compiler, sql, params = kept
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return list(compiler.results_iter(results=[fetched], tuple_expected=True))


def forget() -> None:
    """Drop every kept statement (tests)."""
    with _lock:
        _kept.clear()
