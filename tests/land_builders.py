"""Land plans and their months for tests: `land_plan(project, township, needed="120", handed=[...])`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from land.models import LandMonth, LandPlan


def land_plan(
    project,
    township,
    *,
    needed: str = "120.00",
    farmland: str = "0",
    households: int = 0,
    buildings: int = 0,
    compensation: str = "0",
    due: dt.date | None = None,
    months: list[dict] | None = None,
    **fields,
) -> LandPlan:
    """A plan, with months given as dicts: {"year": 2020, "month": 6, "acquired": "80", "handed_over": "80",
    "households_relocated": 3, ...} (in-month figures)."""
    plan = LandPlan.objects.create(
        project=project,
        township=township,
        area_needed=Decimal(needed),
        farmland=Decimal(farmland),
        households=households,
        buildings=buildings,
        compensation_needed=Decimal(compensation),
        handover_due=due,
        **fields,
    )
    for entry in months or []:
        figures = dict(entry)
        for name in ("acquired", "handed_over", "compensation_paid"):
            if name in figures:
                figures[name] = Decimal(figures[name])
        LandMonth.objects.create(plan=plan, **figures)
    return plan
