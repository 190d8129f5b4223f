"""Statements compiled once per process and run again with other ids (no rows are kept).

Building and compiling a queryset can cost Django more Python than a page's small reads take to run
(docs/benchmarks.md). `by_ids(model, key, ids, build)`: `build(stand_in)` is the values_list queryset
of the read with `stand_in` where the ids go (`…_id__in=stand_in`); it is built and compiled once per
process under `key` (which must name everything else its SQL depends on), and the ids are bound in on
every call, however many. The rows are read afresh every time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

MEMO_SIZE = 256  # statements kept per process
_SLOT = "keyproj_kept_ids_slot"  # where the ids go in a kept statement
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _statement(db: str, key: tuple, build: Callable[[object], QuerySet]):
    with _lock:
        kept = _kept.get((db, key))
        if kept is not None:
            _kept.move_to_end((db, key))
    # A compiler belongs to one thread's connection object (Django has one per thread).
    if kept is not None and kept[0].connection is connections[db]:
        return kept
    compiler = build(RawSQL(_SLOT, ())).query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    parts, split, at = sql.split(_SLOT), [], 0
    for part in parts:
        n = part.count("%s")
        split.append(list(params[at : at + n]))
        at += n
    kept = (compiler, parts, split)
    with _lock:
        _kept[(db, key)] = kept
        while len(_kept) > MEMO_SIZE:
            _kept.popitem(last=False)
    return kept


def by_ids(
    model: type[Model], key: tuple, ids: Sequence[int], build: Callable[[object], QuerySet]
) -> list[tuple]:
    """The rows (tuples) of `build(ids)`, its SQL kept under `key` and the ids bound in. No ids: no query."""
    ids = list(ids)
    if not ids:
        return []
    db = router.db_for_read(model)
    try:
        compiler, parts, split = _statement(db, key, build)
    except EmptyResultSet:
        return []
    slot = ", ".join(["%s"] * len(ids))
    sql, params = parts[0], list(split[0])
    for part, part_params in zip(parts[1:], split[1:], strict=True):
        sql += slot + part
        params += [*ids, *part_params]
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return list(compiler.results_iter(results=[fetched], tuple_expected=True))


def forget() -> None:
    """Drop every kept statement (tests)."""
    with _lock:
        _kept.clear()
