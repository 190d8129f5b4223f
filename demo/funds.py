"""The demo county's funds by source (资金), consistent with its reports.

Every 2020 project with investment planned has two or three sources sharing its annual plan (by
position in code order: 县级财政 + 专项债 + 自筹; 中央预算内 + 县级财政 + 银行贷款; 社会资本 + 自筹).
The money arrives in March, June and September: for most projects a tenth more than the investment
their counted reports give for the year, so no warning; for every sixth project with investment
reported, seven tenths of it — those carry the funds_behind warning on 11 October 2020. Nine tenths of
what arrived is paid. Deterministic: every figure by position.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from simple_history.utils import bulk_create_with_history

from funds.models import FundMonth, FundPlan, Source
from funds.selectors import reported_ytd
from lib.money import ZERO
from projects.models import YearPlan
from regions.models import Region

CENT = Decimal("0.01")
SPLITS = (
    ((Source.COUNTY, "0.4"), (Source.BOND, "0.4"), (Source.OWN, "0.2")),
    ((Source.CENTRAL, "0.3"), (Source.COUNTY, "0.3"), (Source.LOAN, "0.4")),
    ((Source.SOCIAL, "0.7"), (Source.OWN, "0.3")),
)
ARRIVAL_MONTHS = (3, 6, 9)


def _shares(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split by `weights` to the cent; the last share takes what rounding leaves."""
    parts = [(total * w).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights[:-1]]
    return [*parts, total - sum(parts, ZERO)]


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if FundPlan.objects.filter(project__region=region).exists():
        stdout.write("funds demo: nothing to do\n")
        return
    plans = list(
        YearPlan.objects.filter(project__region=region, year=year, planned_investment__gt=0)
        .select_related("project")
        .order_by("project__code")
    )
    invested = reported_ytd([p.project_id for p in plans], year)
    made: list[FundPlan] = []
    arrivals: list[tuple[FundPlan, Decimal]] = []
    behind = reported = 0
    for i, plan in enumerate(plans):
        split = SPLITS[i % len(SPLITS)]
        planned = _shares(plan.planned_investment, [Decimal(w) for _, w in split])
        ytd = invested.get(plan.project_id, ZERO)
        if ytd > 0:
            reported += 1
        late = ytd > 0 and reported % 6 == 0
        behind += late
        arrived = min((ytd * Decimal("0.7" if late else "1.1")).quantize(CENT), plan.planned_investment)
        for (source, _), amount, share in zip(
            split, planned, _shares(arrived, [Decimal(w) for _, w in split]), strict=True
        ):
            fund = FundPlan(project=plan.project, year=year, source=source, planned=amount)
            made.append(fund)
            arrivals.append((fund, share))
    bulk_create_with_history(made, FundPlan)
    months = []
    for fund, share in arrivals:
        if share <= 0:
            continue
        thirds = _shares(share, [Decimal(1) / 3] * 3)
        for month, amount in zip(ARRIVAL_MONTHS, thirds, strict=True):
            months.append(
                FundMonth(
                    plan=fund, month=month, arrived=amount, paid=(amount * Decimal("0.9")).quantize(CENT)
                )
            )
    bulk_create_with_history(months, FundMonth)
    stdout.write(f"funds demo: {len(made)} sources for {len(plans)} projects, {behind} with funds behind\n")
