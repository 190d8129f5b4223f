"""The demo county's land (征地拆迁): a plan for every project whose blockers are 征地拆迁, consistent
with those blockers.

A land blocker reads "征地拆迁尚有{n}户未签订补偿协议…": the project's plan has n households still to
relocate (households to relocate − relocated = n). A project whose land blocker is still open is behind:
its hand-over date (before the county's meeting) has passed with part of the land still to hand over,
so it carries the land_behind warning and lacks land to start. A project whose land blockers were all
resolved has its land handed over and its households relocated. Deterministic: projects in code order,
every figure by position. Months are in-month figures, spread over June to September 2020.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from blockers.models import Blocker
from land.models import LandMonth, LandPlan
from projects.models import Project
from regions.models import Region, Township

HOUSEHOLDS_LEFT = re.compile(r"(\d+)户")
OPEN = (Blocker.Status.OPEN, Blocker.Status.COORDINATING)
MONTHS = (6, 7, 8, 9)
TWO = Decimal("0.01")


def _split(total: Decimal | int, parts: int) -> list:
    """`total` in `parts` nearly equal shares (the last takes what rounding leaves)."""
    if isinstance(total, int):
        share = total // parts
        return [share] * (parts - 1) + [total - share * (parts - 1)]
    share = (total / parts).quantize(TWO, rounding=ROUND_HALF_UP)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def _left(blocker: Blocker) -> int:
    found = HOUSEHOLDS_LEFT.search(blocker.description)
    return int(found.group(1)) if found else 0


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if LandPlan.objects.filter(project__region=region).exists():
        stdout.write("land demo: nothing to do\n")
        return
    blockers = Blocker.objects.filter(project__region=region, kind=Blocker.Kind.LAND).order_by(
        "raised_at", "pk"
    )
    per_project: dict[int, list[Blocker]] = {}
    for b in blockers:
        per_project.setdefault(b.project_id, []).append(b)
    projects = Project.objects.filter(pk__in=per_project).prefetch_related("townships").order_by("code")
    fallback = Township.objects.filter(region=region).order_by("sort", "name").first()
    plans, months = [], []
    for i, project in enumerate(projects):
        townships = list(project.townships.all()) or [fallback]
        township = townships[0]
        open_ = [b for b in per_project[project.pk] if b.status in OPEN]
        left = _left(open_[-1]) if open_ else 0
        needed = Decimal(40 + (i * 37) % 180).quantize(TWO)
        households = left + 6 + (i * 5) % 19
        buildings = households + (i % 4)
        compensation = (needed * Decimal("6.80")).quantize(TWO)
        if open_:
            # Behind: the hand-over date has passed, part of the land is still to hand over.
            due = dt.date(year, 7, 31) + dt.timedelta(days=(i * 11) % 60)
            handed = (needed * Decimal(55 + (i * 7) % 30) / 100).quantize(Decimal("1"))
            acquired = min(needed, handed + 10)
            done_households = households - left
            done_buildings = max(0, buildings - left - (i % 3))
            paid = (compensation * Decimal(done_households) / households).quantize(TWO)
        else:
            due = dt.date(year, 8, 31)
            handed = acquired = needed
            done_households, done_buildings, paid = households, buildings, compensation
        plan = LandPlan(
            project=project,
            township=township,
            area_needed=needed,
            farmland=(needed * Decimal("0.60")).quantize(TWO),
            approval=LandPlan.Approval.APPROVED if i % 3 else LandPlan.Approval.SUBMITTED,
            approved_on=dt.date(year, 4, 10) + dt.timedelta(days=i) if i % 3 else None,
            approval_number=f"渝府地〔{year}〕{120 + i}号" if i % 3 else "",
            households=households,
            buildings=buildings,
            compensation_needed=compensation,
            handover_due=due,
        )
        plans.append(plan)
        spread = zip(
            MONTHS,
            _split(acquired, len(MONTHS)),
            _split(handed, len(MONTHS)),
            _split(done_households, len(MONTHS)),
            _split(done_buildings, len(MONTHS)),
            _split(paid, len(MONTHS)),
            strict=True,
        )
        for month, a, h, hh, bb, p in spread:
            months.append(
                LandMonth(
                    plan=plan,
                    year=year,
                    month=month,
                    acquired=a,
                    handed_over=h,
                    households_relocated=hh,
                    buildings_relocated=bb,
                    compensation_paid=p,
                )
            )
    LandPlan.objects.bulk_create(plans)
    LandMonth.objects.bulk_create(months)
    stdout.write(f"land demo: {len(plans)} land plans, {len(months)} months\n")
