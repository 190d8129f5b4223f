"""Builders for next year's list in tests: a pool candidate ready to start, a draft list."""

from __future__ import annotations

from decimal import Decimal

from pool.models import Candidate, PackagingDocument
from projects.models import Sector, Unit


def ready_candidate(
    *, region, lead_unit: Unit, sector: Sector, name: str = "梅江河防洪堤", **fields
) -> Candidate:
    """An accepted candidate ready to start (可开工), with an approved feasibility study."""
    candidate = Candidate.objects.create(
        region=region,
        name=name,
        sector=sector,
        lead_unit=lead_unit,
        content=fields.pop("content", "新建堤防3公里"),
        estimated_investment=Decimal(fields.pop("estimated", "9000.00")),
        proposed_start_year=fields.pop("proposed_start_year", 2021),
        maturity=fields.pop("maturity", Candidate.Maturity.READY),
        review_state=fields.pop("review_state", Candidate.Review.ACCEPTED),
        **fields,
    )
    PackagingDocument.objects.create(
        candidate=candidate,
        kind=PackagingDocument.Kind.FEASIBILITY,
        state=PackagingDocument.State.APPROVED,
        approving_body="县发展改革委",
    )
    return candidate
