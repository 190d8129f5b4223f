"""Builders for reserve-pool tests: candidates, channels, applications."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from pool.models import Candidate, FundingApplication, FundingChannel
from projects.models import Leader, Sector, Unit
from regions.models import Region

_seq = itertools.count(1)


def candidate(
    *,
    region: Region,
    lead_unit: Unit,
    sector: Sector,
    name: str | None = None,
    investment: str = "1000.00",
    year: int = 2021,
    maturity: str = Candidate.Maturity.IDEA,
    leader: Leader | None = None,
    entered_on: dt.date = dt.date(2020, 5, 1),
    **fields,
) -> Candidate:
    n = next(_seq)
    return Candidate.objects.create(
        region=region,
        lead_unit=lead_unit,
        sector=sector,
        name=name or f"储备项目{n}",
        content=fields.pop("content", "建设内容"),
        estimated_investment=Decimal(investment),
        proposed_start_year=year,
        maturity=maturity,
        leader=leader,
        entered_on=entered_on,
        **fields,
    )


def channel(region: Region, name: str, **fields) -> FundingChannel:
    return FundingChannel.objects.get_or_create(region=region, name=name, defaults=fields)[0]


def application(
    candidate: Candidate, channel: FundingChannel, applied: str, approved="0", arrived="0", **fields
):
    return FundingApplication.objects.create(
        candidate=candidate,
        channel=channel,
        amount_applied=Decimal(applied),
        amount_approved=Decimal(approved),
        amount_arrived=Decimal(arrived),
        **fields,
    )
