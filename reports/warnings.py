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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise


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
