"""Statements with no ids to bind, compiled once per process and run again from their SQL (no rows kept).

Building and compiling a queryset can cost Django more Python than a county page's small reads take to
run (docs/benchmarks.md, sessions 4, 6 and 7). A read whose SQL is fully named by a short key (the
read, and every value its SQL depends on) is kept under that key: asked again, the kept SQL runs and
its rows are read through the kept compiler's converters, as Django would. The rows are read afresh
every time. lib/kept.py is the same for reads bound to a list of ids (by_ids); battlemap/kept.py is this for the battle map.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

MEMO_SIZE = 512  # statements kept per process
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def rows(model: type[Model], key: tuple, build: Callable[[], QuerySet]) -> list[tuple]:
    """The rows of the values_list() queryset `build()` makes (tuples), its SQL kept under `key`.

    `key` must name everything the statement depends on (tests hold kept == compiled afresh); `build`
    is called only when it is not kept. `model` names the database to read (the router's choice)."""
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
        except EmptyResultSet:  # Django answers without asking the database
            return []
        kept = (compiler, sql, tuple(params))
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
