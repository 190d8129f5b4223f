"""The pool's figures, in one place: every pool page, export and endpoint asks these functions.

Each takes the candidates already scoped and filtered (`Candidate.objects.for_user(user)` and the
page's filters), and lets the database count and sum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lib.money import q2
from projects.models import Sector

from .models import Candidate, FundingApplication, FundingChannel

ZERO = Decimal("0.00")
MATURITIES = [value for value, _label in Candidate.Maturity.choices]


@dataclass
class Cell:
    count: int = 0
    investment: Decimal = ZERO


@dataclass
class SectorRow:
    sector: Sector
    cells: list[Cell]
    total: Cell

    @property
    def empty(self) -> bool:
        """No candidate in this sector: the matrix shows it as a gap to fill (无储备项目)."""
        return self.total.count == 0


@dataclass
class Matrix:
    rows: list[SectorRow]
    totals: list[Cell]
    total: Cell
    empty_sectors: list[Sector] = field(default_factory=list)


def sector_maturity(candidates: QuerySet[Candidate]) -> Matrix:
    """Count and estimated investment by sector (every sector, with or without candidates) and
    maturity; one query for the sums, one for the sectors."""
    sums = {
        (r["sector_id"], r["maturity"]): Cell(r["n"], q2(r["inv"]))
        for r in candidates.order_by()
        .values("sector_id", "maturity")
        .annotate(n=Count("pk"), inv=Coalesce(Sum("estimated_investment"), ZERO))
    }
    rows = []
    for sector in Sector.objects.all():
        cells = [sums.get((sector.pk, m), Cell()) for m in MATURITIES]
        rows.append(SectorRow(sector, cells, _total(cells)))
    totals = [_total([row.cells[i] for row in rows]) for i in range(len(MATURITIES))]
    return Matrix(rows, totals, _total(totals), [row.sector for row in rows if row.empty])


def _total(cells: list[Cell]) -> Cell:
    return Cell(sum(c.count for c in cells), q2(sum((c.investment for c in cells), ZERO)))


def by_unit(candidates: QuerySet[Candidate]) -> list[dict]:
    """Per proposing unit: candidates, estimated investment, how many are accepted and ready."""
    return list(
        candidates.order_by()
        .values("lead_unit_id", "lead_unit__name")
        .annotate(
            count=Count("pk"),
            investment=Coalesce(Sum("estimated_investment"), ZERO),
            accepted=Count("pk", filter=Q(review_state=Candidate.Review.ACCEPTED)),
            ready=Count("pk", filter=Q(maturity=Candidate.Maturity.READY)),
        )
        .order_by("-investment", "lead_unit__name")
    )


@dataclass
class ChannelRow:
    channel: FundingChannel
    applications: int
    applied: Decimal
    approved: Decimal
    arrived: Decimal
    aligned: int  # candidates aligned with the channel


def by_channel(candidates: QuerySet[Candidate], channels: QuerySet[FundingChannel]) -> list[ChannelRow]:
    """Per channel: the applications of these candidates and their sums applied, approved and
    arrived, and how many candidates are aligned with it. Channels with nothing still show."""
    ids = candidates.values("pk")
    sums = {
        r["channel_id"]: r
        for r in FundingApplication.objects.filter(candidate__in=ids)
        .order_by()
        .values("channel_id")
        .annotate(
            n=Count("pk"),
            applied=Coalesce(Sum("amount_applied"), ZERO),
            approved=Coalesce(Sum("amount_approved"), ZERO),
            arrived=Coalesce(Sum("amount_arrived"), ZERO),
        )
    }
    aligned = {
        r["channels"]: r["n"]
        for r in candidates.order_by()
        .filter(channels__isnull=False)
        .values("channels")
        .annotate(n=Count("pk"))
    }
    rows = []
    for channel in channels:
        r = sums.get(channel.pk, {})
        rows.append(
            ChannelRow(
                channel,
                r.get("n", 0),
                q2(r.get("applied", ZERO)),
                q2(r.get("approved", ZERO)),
                q2(r.get("arrived", ZERO)),
                aligned.get(channel.pk, 0),
            )
        )
    return rows


@dataclass
class Quarter:
    label: str  # 2020Q3
    count: int
    investment: Decimal
    cumulative_count: int
    cumulative_investment: Decimal


def growth_by_quarter(candidates: QuerySet[Candidate]) -> list[Quarter]:
    """Candidates and estimated investment entering the pool per quarter (by `entered_on`), and the
    pool's size at each quarter's end; every quarter from the first to the last, empty ones too."""
    rows = (
        candidates.order_by()
        .values("entered_on")
        .annotate(n=Count("pk"), inv=Coalesce(Sum("estimated_investment"), ZERO))
    )
    per: dict[tuple[int, int], list] = {}
    for r in rows:  # one row per distinct day, a few hundred at most
        key = (r["entered_on"].year, (r["entered_on"].month - 1) // 3 + 1)
        slot = per.setdefault(key, [0, ZERO])
        slot[0] += r["n"]
        slot[1] += r["inv"]
    if not per:
        return []
    out, total_n, total_inv = [], 0, ZERO
    year, quarter = min(per)
    last = max(per)
    while (year, quarter) <= last:
        n, inv = per.get((year, quarter), (0, ZERO))
        total_n, total_inv = total_n + n, total_inv + inv
        out.append(Quarter(f"{year}Q{quarter}", n, q2(inv), total_n, q2(total_inv)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return out


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"
