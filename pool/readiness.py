"""Ready to start (具备开工条件) for reserve candidates, as the app that owns the rule computes it.

The one readiness rule lives in approvals.readiness (the approval nodes and the land a project needs
to start), above the pool, which may not import it. So the approvals app provides it here at start-up
(ApprovalsConfig.ready), as it receives `signals.candidate_promoted`:

    pool.readiness.provide(lambda candidates: missing(candidates, of="candidate"))

and the pool's pages, and the draft list's picker, ask `lacking(candidates)`: candidate id → what it
still lacks (each item prints as "环评批复（县生态环境局）"); a candidate ready to start is absent. A
fixed number of queries whatever the number of candidates. With no provider (the approvals app not
installed) nothing is known and it answers None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Provider = Callable[[Iterable], dict[int, list]]

_provider: Provider | None = None


def provide(provider: Provider) -> None:
    """Set the function that says what candidates lack (idempotent: the last one set answers)."""
    global _provider
    _provider = provider


def lacking(candidates: Iterable) -> dict[int, list] | None:
    """Candidate id → what it lacks to start (candidates or their ids); None when nobody provides it."""
    if _provider is None:
        return None
    return _provider(candidates)


def mark(candidates: list) -> None:
    """Set on each candidate still in the pool `lacks` (what it lacks to start, [] when ready) and
    `readiness_known`, for templates/pool/_readiness.html; a promoted candidate's node plan and land
    are its project's, so it is not marked. A fixed number of queries whatever their number."""
    in_pool = [c for c in candidates if c.project_id is None]
    found = lacking([c.pk for c in in_pool]) if in_pool else {}
    for c in candidates:
        c.readiness_known = found is not None and c.project_id is None
        c.lacks = (found or {}).get(c.pk, [])
