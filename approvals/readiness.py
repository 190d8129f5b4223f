"""Ready to start (具备开工条件): what a project still lacks before construction may begin, and who owns it.

A project is ready when every node its kind of project needs to start (the node plan's
`required_for_start` nodes, from the office's template) is approved and, when it needs land, all of
it is handed over in every township (land.selectors.gaps). A project with no node plan is not ready:
nothing says which approvals it has. The not-started board, the monthly study pack and the meeting
pages all ask `missing()`, so they say the same thing; so do the reserve pool's list and candidate
page, the draft list's picker (through pool.readiness, which this app provides) for candidates:

    missing(projects)  →  {project_id: [Missing("环评批复", "县生态环境局"), Missing("交地 12 亩", "洪安镇")]}
    missing(candidates, of="candidate")  →  {candidate_id: [...]}

Its three reads (which holders have a node plan, their unapproved nodes required to start, their land
not all handed over) are compiled once per process and run again with the holders' ids (lib.statements):
building them cost the not-started board more Python than the rest of its rows (docs/benchmarks.md,
session 7). They read what approvals.selectors.missing_nodes and land.selectors.gaps read, the land
through the same to-date totals (land.selectors.with_totals); tests/test_readiness_kept.py holds
`missing()` equal to those two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from land.models import LandPlan
from land.selectors import mu, with_totals
from lib import statements

from .models import ApprovalNode


@dataclass(frozen=True)
class Missing:
    what: str
    owner: str

    def __str__(self) -> str:
        return summarizer()([self])


def _ids(projects: QuerySet | Iterable) -> list[int]:
    if isinstance(projects, QuerySet):
        return list(projects.values_list("pk", flat=True))
    return [getattr(p, "pk", p) for p in projects]


def missing(holders: QuerySet | Iterable, *, of: str = "project") -> dict[int, list[Missing]]:
    """Project id → what it lacks to start (nodes first, in plan order, then land by township);
    projects ready to start are absent. With `of="candidate"` the same for reserve candidates, by
    candidate id (their node plans and land, kept until promotion). Four queries whatever the number
    (their ids, those with a node plan, the unapproved nodes, the land not handed over)."""
    if of not in ("project", "candidate"):
        raise ValueError(of)
    ids = _ids(holders)
    if not ids:
        return {}
    planned = {pk for (pk,) in statements.by_ids(ApprovalNode, ("readiness planned", of), ids, _planned(of))}
    nodes: dict[int, list[Missing]] = {}
    for pk, name, department in statements.by_ids(ApprovalNode, ("readiness nodes", of), ids, _nodes(of)):
        nodes.setdefault(pk, []).append(Missing(name, department or ""))
    land: dict[int, list[Missing]] = {}
    for pk, needed, handed, township in statements.by_ids(LandPlan, ("readiness land", of), ids, _land(of)):
        what = _("hand-over of %(area)s mu") % {"area": mu(needed - handed)}
        land.setdefault(pk, []).append(Missing(what, township))
    found: dict[int, list[Missing]] = {}
    no_plan = None
    for pk in ids:
        lacks = nodes.get(pk, [])
        if pk not in planned:
            no_plan = no_plan or Missing(_("approval node plan"), _("key project office"))
            lacks = [*lacks, no_plan]
        if pk in land:
            lacks = [*lacks, *land[pk]]
        if lacks:
            found[pk] = lacks
    return found


# The statements, given the stand-in for the holders' ids (see lib.statements).
def _planned(of: str):
    return lambda ids: (
        ApprovalNode.objects.filter(**{f"{of}_id__in": ids}).values_list(f"{of}_id").distinct().order_by()
    )


def _nodes(of: str):
    """approvals.selectors.missing_nodes: the nodes required to start not yet approved, in plan order."""
    return lambda ids: (
        ApprovalNode.objects.filter(
            **{f"{of}_id__in": ids}, required_for_start=True, approved_on__isnull=True
        )
        .order_by(f"{of}_id", "sort", "pk")
        .values_list(f"{of}_id", "name", "department__name")
    )


def _land(of: str):
    """land.selectors.gaps: each township's plan whose land is not all handed over, by township order."""
    return lambda ids: (
        with_totals(LandPlan.objects.filter(**{f"{of}_id__in": ids}))
        .filter(handed_total__lt=F("area_needed"))
        .order_by(f"{of}_id", "township__sort", "township__name")
        .values_list(f"{of}_id", "area_needed", "handed_total", "township__name")
    )


def summary(lacks: Iterable[Missing]) -> str:
    """One line: "环评批复（县生态环境局）；交地 12 亩（洪安镇）"."""
    return summarizer()(lacks)


def summarizer() -> Callable[[Iterable[Missing]], str]:
    """summary() with its words translated once, for a page that writes it on every row."""
    separator, owned = _("; "), _("%(what)s (%(owner)s)")
    return lambda lacks: separator.join(
        [owned % {"what": m.what, "owner": m.owner} if m.owner else m.what for m in lacks]
    )
