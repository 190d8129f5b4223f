"""The demo county's key milestones (关键节点): three for every 2020 project under construction.

Each started project has its year's milestones in planned order — a first stage in June, the main
works in September, the year's target in December. Deterministic, by position in code order: the June
milestone is reached (every seventh a fortnight late); the September one is reached for most, slipped
(not reached by the county's meeting on 11 October 2020) for every fifth project — those carry the
milestone_slipped warning; December's is not yet due.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from simple_history.utils import bulk_create_with_history

from milestones.models import Milestone
from projects.models import YearPlan
from regions.models import Region

STAGES = {
    YearPlan.Stage.NEW: ("完成施工准备并进场", "主体工程完成过半", "完成年度形象进度"),
    YearPlan.Stage.CONTINUING: ("完成上年结转工程", "主体工程完工", "完成年度形象进度"),
    YearPlan.Stage.COMPLETING: ("主体工程完工", "附属工程完工", "竣工验收"),
}


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if Milestone.objects.filter(project__region=region).exists():
        stdout.write("milestones demo: nothing to do\n")
        return
    plans = (
        YearPlan.objects.filter(project__region=region, year=year, project__actual_start__isnull=False)
        .exclude(stage=YearPlan.Stage.PREPARATORY)
        .select_related("project")
        .order_by("project__code")
    )
    made = []
    for i, plan in enumerate(plans):
        first, main, last = STAGES.get(plan.stage, STAGES[YearPlan.Stage.CONTINUING])
        june, september, december = dt.date(year, 6, 30), dt.date(year, 9, 30), dt.date(year, 12, 31)
        start = plan.project.actual_start
        reached_june = max(june + dt.timedelta(days=14 if i % 7 == 3 else -5), start)
        made += [
            Milestone(
                project=plan.project, year=year, name=first, planned_date=june, actual_date=reached_june
            ),
            Milestone(
                project=plan.project,
                year=year,
                name=main,
                planned_date=september,
                actual_date=None if i % 5 == 2 else max(september - dt.timedelta(days=3), start),
                note="受征地拆迁影响，正在加快推进" if i % 5 == 2 else "",
            ),
            Milestone(project=plan.project, year=year, name=last, planned_date=december),
        ]
    bulk_create_with_history(made, Milestone)
    slipped = sum(1 for m in made if m.actual_date is None and m.planned_date.month == 9)
    stdout.write(f"milestones demo: {len(made)} milestones, {slipped} slipped\n")
