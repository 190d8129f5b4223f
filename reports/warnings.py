"""Warnings (预警): the alarms beside a project's schedule light.

The light answers one question — is the year's investment on schedule. Other alarms answer others: an
approval node late, land behind, an open major hazard, a milestone slipped, funds behind the reported
investment, construction started with no contract. Each is a warning with its kind and a reason in words
("环评批复超期12个工作日"); warnings never change the light or the `lights` counts.

Each kind belongs to the app that owns its data (approvals, works, ...), which registers a provider at
start-up (its AppConfig.ready). The pages read every kind here, so the project page, the ledger, the
dashboard and the API show the same warnings from one place:

    warnings.register("approval_late", _("Approval late"), provider, order=10)

A provider takes the projects in the caller's scope (a queryset, already scoped) and the year, and yields
`ProjectWarning`s for those of them that have one. It must run a fixed number of queries whatever the
number of projects (filter by `project__in=projects`, never one query per project).

Compiled once: a page reads every kind, and building and compiling each provider's ORM statement cost
more than the statements take to run (docs/benchmarks.md, session 6). So a provider reads its rows with
`read(projects, key, build)`: `build(projects)` is its ORM queryset of tuples (values_list, through the
models' default managers), built and compiled once per process for a key naming everything its SQL
depends on beyond the projects (the kind, the year, the day); the projects are bound in per call, as
the SQL of the caller's own queryset. Nothing else is kept: the rows are read afresh every time.
tests/test_warnings_statements.py holds both paths equal.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In
from django.utils.functional import Promise

from lib import statements
from projects.models import Project


@dataclass(frozen=True)
class ProjectWarning:
    kind: str
    project_id: int
    reason: str  # in the reader's language
    url: str = ""  # where to act on it, when there is a page for it


Provider = Callable[[QuerySet, int], Iterable[ProjectWarning]]


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    provider: Provider | None  # None: another kind's provider yields it (kinds read from the same rows)
    order: int = 100
    blocker_kind: str = ""  # the kind of blocker (Blocker.Kind value) one click raises from it, if any
    list_url: str = ""  # the URL name of the page listing the projects that carry it (the dashboard links it)


_KINDS: dict[str, Kind] = {}


def register(
    code: str,
    label: str | Promise,
    provider: Provider | None,
    *,
    order: int = 100,
    blocker_kind: str = "",
    list_url: str = "",
) -> None:
    """Add a kind of warning (idempotent for the same code, so a reloaded app does not add it twice).
    `blocker_kind` ("approvals", "land", ...) lets a user raise that kind of blocker from it in one click;
    `list_url` names the page that lists the projects carrying it. Kinds read from the same rows share
    one provider: it yields warnings of each, and the others register with `provider=None`."""
    _KINDS[code] = Kind(code, label, provider, order, blocker_kind, list_url)


def kind(code: str) -> Kind | None:
    return _KINDS.get(code)


def kinds() -> list[Kind]:
    """Every registered kind, in the one order pages and documents list them."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def for_projects(projects: QuerySet, year: int) -> dict[int, list[ProjectWarning]]:
    """Project id → its warnings (in kind order), for the given (scoped) projects; projects with none
    are absent."""
    found: dict[int, list[ProjectWarning]] = defaultdict(list)
    ordered = kinds()
    rank = {kind.code: index for index, kind in enumerate(ordered)}
    for kind in ordered:
        if kind.provider is not None:
            for warning in kind.provider(projects, year):
                found[warning.project_id].append(warning)
    for warnings in found.values():
        warnings.sort(key=lambda warning: rank[warning.kind])  # stable: a kind's own order is kept
    return dict(found)


def counts(projects: QuerySet, year: int) -> list[tuple[Kind, int]]:
    """Each kind with the number of projects carrying it — every kind listed, zero included."""
    per_kind: dict[str, set[int]] = {kind.code: set() for kind in kinds()}
    for warnings in for_projects(projects, year).values():
        for warning in warnings:
            per_kind[warning.kind].add(warning.project_id)
    return [(kind, len(per_kind[kind.code])) for kind in kinds()]


# -- statements compiled once per process (see the module docstring; lib.statements keeps them) ----
# What `project__in=projects` makes of the stand-in: the projects' ids selected again from the projects
# table around them. `x IN (SELECT U0.id FROM project U0 WHERE U0.id IN (S))` is `x IN (S)` when S
# selects project ids (it always does: the caller's projects, or their ids); PostgreSQL took 0.1–0.3 ms
# more to plan each warning's statement with the extra join, more than the statements take to run
# (a county ledger's eight, docs/benchmarks.md, session 8).
_AROUND_SLOT = re.compile(
    r'\(SELECT (\w+)\."id"(?: AS "pk")? FROM "projects_project" \1 WHERE \1\."id" IN \('
    + statements.SLOT
    + r"\)\)"
)


def _unwrapped(sql: str) -> str:
    return _AROUND_SLOT.sub(f"({statements.SLOT})", sql)


def _ids(projects: QuerySet) -> list[int] | None:
    """The ids of `Project.objects.filter(pk__in=[...])` (a page's projects), or None for any other
    queryset: a list of ids is written into the statement as it is, instead of a query selecting them."""
    query = projects.query
    where = query.where
    if (
        query.model is not Project
        or len(query.alias_map) != 1
        or query.is_sliced
        or query.distinct
        or where.negated
        or len(where.children) != 1
    ):
        return None
    lookup = where.children[0]
    if not isinstance(lookup, In) or getattr(lookup.lhs, "target", None) is not Project._meta.pk:
        return None
    if not isinstance(lookup.rhs, (list, tuple, set, frozenset)):
        return None
    try:
        return sorted({int(pk) for pk in lookup.rhs if pk is not None})
    except (TypeError, ValueError):
        return None


def _projects_sql(projects: QuerySet) -> tuple[str, tuple] | None:
    """The SQL of the caller's projects (their ids, or a query selecting them), compiled once for all
    the providers it is given to; None when it can match none (`pk__in=[]`)."""
    if "_warnings_sql" not in projects.__dict__:
        ids = _ids(projects)
        if ids is not None:
            found = (", ".join(map(str, ids)), ()) if ids else None
        else:
            query = projects.values("pk").query
            # As Django writes a queryset used as `__in=`: its ordering dropped where that is safe (a
            # DISTINCT query would otherwise select the ordering's columns too).
            if not query.is_sliced and not query.distinct_fields and not query.select_for_update:
                query.clear_ordering(force=True)
            try:
                found = query.get_compiler(using=projects.db).as_sql()
            except EmptyResultSet:
                found = None
        projects.__dict__["_warnings_sql"] = found
    return projects.__dict__["_warnings_sql"]


def read(projects: QuerySet, key: tuple, build: Callable[[QuerySet], QuerySet]) -> list[tuple]:
    """The rows of `build(projects)`, a values_list queryset, as tuples in its fields' order.

    Its SQL is compiled once per process under `key`, which must name everything the statement depends
    on beyond the projects (the kind, the year, the day: `build` is called with a stand-in for the
    projects and its result is kept, lib.statements.around); the projects' own SQL (or their ids) is
    bound in on every call. One query."""
    projects_sql = _projects_sql(projects)
    if projects_sql is None:
        return []

    def make() -> QuerySet:
        return build(Project.objects.filter(pk__in=RawSQL(statements.SLOT, ())))

    return statements.around(Project, ("warnings", *key), projects_sql, make, _unwrapped, using=projects.db)


def forget_statements() -> None:
    """Drop every kept statement (tests; nothing else needs it: no data is kept)."""
    statements.forget()
