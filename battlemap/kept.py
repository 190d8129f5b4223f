"""The battle map's reads by a page's ids, compiled once per process and run again from their SQL.

Building and compiling a queryset costs Django more Python than a county page's small reads take to
run (docs/benchmarks.md, session 4); reports/figures.py keeps the month figures' statements for that
reason. The reads here — a page's projects, their month amounts, monthly plans and open blockers —
are kept the same way, under a key naming everything their SQL depends on (the read, the page's ids,
the year or day): the same page asked again (a county office's next request) runs the kept SQL and
reads its rows through the kept compiler's converters, as Django would. No rows are kept.
tests/test_battlemap_kept.py holds kept == compiled afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

MEMO_SIZE = 256  # statements kept per process (a page of the wall needs four, the dashboard one)
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
