"""Ready to start (具备开工条件): what a project still lacks before construction may begin, and who owns it.

A project is ready when every node its kind of project needs to start (the node plan's
`required_for_start` nodes, from the office's template) is approved and, when it needs land, all of
it is handed over in every township (land.selectors.gaps). A project with no node plan is not ready:
nothing says which approvals it has. The not-started board, the monthly study pack and the meeting
pages all ask `missing()`, so they say the same thing; so do the reserve pool's list and candidate
page, the draft list's picker (through pool.readiness, which this app provides) for candidates:

    missing(projects)  →  {project_id: [Missing("环评批复", "县生态环境局"), Missing("交地 12 亩", "洪安镇")]}
    missing(candidates, of="candidate")  →  {candidate_id: [...]}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from land.selectors import gaps

from .models import ApprovalNode
from .selectors import missing_nodes


@dataclass(frozen=True)
class Missing:
    what: str
    owner: str

    def __str__(self) -> str:
        if not self.owner:
            return self.what
        return _("%(what)s (%(owner)s)") % {"what": self.what, "owner": self.owner}


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
    planned = set(
        ApprovalNode.objects.filter(**{f"{of}_id__in": ids}).values_list(f"{of}_id", flat=True).distinct()
    )
    nodes = missing_nodes(ids, of=of)
    land = gaps(ids, of=of)
    found: dict[int, list[Missing]] = {}
    for pk in ids:
        lacks = [
            Missing(node.name, node.department.name if node.department else "") for node in nodes.get(pk, [])
        ]
        if pk not in planned:
            lacks.append(Missing(_("approval node plan"), _("key project office")))
        lacks += [Missing(gap.what, gap.owner) for gap in land.get(pk, [])]
        if lacks:
            found[pk] = lacks
    return found


def summary(lacks: Iterable[Missing]) -> str:
    """One line: "环评批复（县生态环境局）；交地 12 亩（洪安镇）"."""
    return _("; ").join(str(item) for item in lacks)
