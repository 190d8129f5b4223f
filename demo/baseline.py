"""The demo county's baselines (原始基线): every project's as it was written, then a handful revised.

The ledger is written in bulk (no post_save), so the baselines are recorded here from the values the
projects entered with. Five revisions approved by the office in 2020, with the reasons offices give
(design change, land acquisition late, material prices, geology, a scale cut at the preliminary
design), and one request from 县水利局 waiting for the office. Only total investment and planned
completion change — never a year plan, so the annual plan total stays 614,700.00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from accounts.models import User
from lib.months import month_end
from projects import baseline
from projects.models import Baseline, BaselineRevision, Project, YearPlan
from regions.models import Region

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Revision:
    sector: str  # the first project of this sector (by code) with a planned completion is revised
    factor: Decimal  # total investment × factor
    months: int  # planned completion moved by this many months
    reason: str
    authority: str
    number: str
    on: dt.date  # when it was decided (requests: filed)


REVISIONS = [
    Revision(
        "交通",
        Decimal("1.086"),
        0,
        "设计变更增加投资：路线局部改线，新增中桥1座",
        "县发展改革委",
        "秀发改投〔2020〕112号",
        dt.date(2020, 5, 18),
    ),
    Revision(
        "水利",
        Decimal("1"),
        6,
        "征地拆迁滞后顺延工期：库区移民安置房未交付",
        "县人民政府",
        "秀府办〔2020〕45号",
        dt.date(2020, 6, 22),
    ),
    Revision(
        "城市建设",
        Decimal("1.055"),
        0,
        "材料价格上涨：钢材、水泥价格较概算编制时上涨，调增概算",
        "县发展改革委",
        "秀发改投〔2020〕137号",
        dt.date(2020, 7, 9),
    ),
    Revision(
        "工业",
        Decimal("1.12"),
        3,
        "地质条件变化：增加基础处理工程，调增投资并顺延工期",
        "县发展改革委",
        "秀发改投〔2020〕151号",
        dt.date(2020, 8, 14),
    ),
    Revision(
        "文化旅游",
        Decimal("0.94"),
        0,
        "初步设计批复调减建设规模，核减投资",
        "县发展改革委",
        "秀发改投〔2020〕160号",
        dt.date(2020, 9, 3),
    ),
]
REQUEST = Revision(
    "水利", Decimal("1"), 4, "汛期施工受限，主体工程顺延，申请调整竣工日期", "", "", dt.date(2020, 9, 28)
)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10, 0))


def _moved(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


def _candidates(region: Region, year: int) -> dict[str, list[Project]]:
    by_sector: dict[str, list[Project]] = {}
    for p in (
        Project.objects.filter(region=region, planned_end__isnull=False, plans__year=year)
        .select_related("sector", "lead_unit")
        .order_by("code")
    ):
        by_sector.setdefault(p.sector.name, []).append(p)
    return by_sector


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    recorded = baseline.record_missing(Project.objects.filter(region=region))
    # The demo's projects are written at seed time, but they entered the county's list when the year's
    # list was published: their baselines date from then, before the year's revisions.
    Baseline.objects.filter(project__region=region, as_of__gt=_at(dt.date(year, 1, 6))).update(
        as_of=_at(dt.date(year, 1, 6))
    )
    if BaselineRevision.objects.filter(project__region=region).exists():
        stdout.write(f"baseline demo: {recorded} baselines recorded, revisions there already\n")
        return
    office = User.objects.get(username="office")
    water = User.objects.get(username="water")
    floor = {
        plan.project_id: plan.planned_investment + plan.invested_before
        for plan in YearPlan.objects.filter(project__region=region, year=year)
    }
    by_sector = _candidates(region, year)
    used: set[int] = set()
    made = 0
    for r in REVISIONS:
        project = next(p for p in by_sector.get(r.sector, []) if p.pk not in used)
        used.add(project.pk)
        before = baseline.values_of(project)
        total = max((project.total_investment * r.factor).quantize(CENT), floor.get(project.pk, Decimal("0")))
        project.total_investment = total
        project.planned_end = _moved(project.planned_end, r.months) if r.months else project.planned_end
        project._history_user = office
        project.save()
        BaselineRevision.objects.create(
            project=project,
            state=BaselineRevision.State.APPROVED,
            **{f"old_{name}": before[name] for name in before},
            **{f"new_{name}": getattr(project, name) for name in before},
            reason=r.reason,
            approving_authority=r.authority,
            approval_number=r.number,
            requested_by=office,
            requested_at=_at(r.on),
            decided_by=office,
            decided_at=_at(r.on),
        )
        made += 1
    mine = Project.objects.editable_by(water).filter(pk__in=[p.pk for p in by_sector.get(REQUEST.sector, [])])
    project = next(p for p in mine.order_by("code") if p.pk not in used)
    BaselineRevision.objects.create(
        project=project,
        **{f"old_{name}": value for name, value in baseline.values_of(project).items()},
        new_total_investment=project.total_investment,
        new_planned_start=project.planned_start,
        new_planned_end=_moved(project.planned_end, REQUEST.months),
        reason=REQUEST.reason,
        requested_by=water,
        requested_at=_at(REQUEST.on),
    )
    stdout.write(f"baseline demo: {recorded} baselines, {made} revisions approved, 1 request waiting\n")
