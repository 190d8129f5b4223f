"""The demo county's quality and safety (质量安全): inspections over 2020 on its started projects.

Deterministic, by position in code order. Every started project had a supervising unit's inspection
(监理单位) between March and August, each finding one general hazard since rectified and verified.
Every second one was inspected again by a regulator, a station or the supervision office between late
August and early October: most of those hazards are verified, every fifth is still open (those whose
deadline has passed are overdue on 11 October 2020), the next one rectified and awaiting verification.
Two of the later inspections also found a 重大隐患 still open — one past its deadline, one not — so two
projects carry the hazard_major_open warning. One general accident (one worker injured), closed.
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from simple_history.utils import bulk_create_with_history

from accounts.models import User
from projects.models import YearPlan
from regions.models import Region
from safety.models import Accident, Body, Hazard, InspectionKind, SafetyInspection

Category = Hazard.Category
FOUND = [
    (
        Category.FALL,
        "临边防护栏杆缺失，高处作业人员未系安全带",
        "已补设临边防护栏杆，对作业人员开展安全教育并落实安全带佩戴检查",
    ),
    (
        Category.ELECTRICITY,
        "临时用电线路私拉乱接，配电箱未做接地保护",
        "已按“三级配电、两级保护”整改线路，配电箱重新接地并检测合格",
    ),
    (
        Category.EXCAVATION,
        "基坑边坡未按方案放坡，坑边堆载距离过近",
        "已按专项方案修坡，清理坑边堆载并设置警示标志",
    ),
    (
        Category.SCAFFOLD,
        "脚手架连墙件设置不足，剪刀撑不连续",
        "已补设连墙件和剪刀撑，脚手架经验收合格后投入使用",
    ),
    (
        Category.QUALITY,
        "混凝土试块留置数量不足，部分钢筋保护层厚度偏差超标",
        "已补做实体检测，调整保护层垫块，加强隐蔽工程验收",
    ),
    (
        Category.FIRE,
        "施工现场灭火器配置不足，动火作业未办理审批",
        "已按规范配置灭火器，建立动火审批制度并安排专人监护",
    ),
    (
        Category.LIFTING,
        "塔吊高度限位装置失灵，司索信号工未持证上岗",
        "已更换限位装置并经检测合格，更换持证司索信号工",
    ),
    (
        Category.SITE,
        "施工现场围挡不完整，材料堆放混乱，扬尘防治措施不到位",
        "已完善围挡，材料分区堆放，增设喷淋降尘设施",
    ),
]
MAJOR = [
    ("深基坑支护结构出现裂缝，施工单位未停止作业并组织监测", dt.date(2020, 9, 30)),
    ("高边坡开挖未按专项施工方案分级支护，坡顶出现贯通裂缝", dt.date(2020, 10, 20)),
]
LATER_BODIES = [Body.REGULATOR, Body.QUALITY_STATION, Body.SAFETY_STATION, Body.SUPERVISION_OFFICE]
INSPECTORS = {
    Body.SUPERVISING_UNIT: "总监理工程师、安全监理员",
    Body.REGULATOR: "行业主管部门质量安全股工作人员2名",
    Body.QUALITY_STATION: "质监站监督员2名",
    Body.SAFETY_STATION: "安监站监督员2名",
    Body.SUPERVISION_OFFICE: "督查室工作人员2名",
}
CONTRACTOR = "施工单位项目部"


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if SafetyInspection.objects.filter(project__region=region).exists():
        stdout.write("quality and safety demo: nothing to do\n")
        return
    supervisor = User.objects.filter(username="supervisor", region=region).first()
    plans = (
        YearPlan.objects.filter(project__region=region, year=year, project__actual_start__isnull=False)
        .exclude(stage=YearPlan.Stage.PREPARATORY)
        .select_related("project")
        .order_by("project__code")
    )
    projects = [plan.project for plan in plans]
    inspections: list[SafetyInspection] = []
    hazards: list[Hazard] = []
    for i, project in enumerate(projects):
        day = dt.date(year, 3 + i % 6, 3 + i % 20)
        first = SafetyInspection(
            project=project,
            date=day,
            body=Body.SUPERVISING_UNIT,
            inspectors=INSPECTORS[Body.SUPERVISING_UNIT],
            kind=InspectionKind.BOTH,
            notes="月度质量安全检查",
            recorded_by=supervisor,
        )
        inspections.append(first)
        hazards.append(_hazard(first, i, day + dt.timedelta(days=15), Hazard.State.VERIFIED))
    later = 0
    for i, project in enumerate(projects[::2]):
        day = dt.date(year, 8, 24) + dt.timedelta(days=(i * 3) % 45)
        body = LATER_BODIES[i % len(LATER_BODIES)]
        second = SafetyInspection(
            project=project,
            date=day,
            body=body,
            inspectors=INSPECTORS[body],
            kind=InspectionKind.SAFETY if body == Body.SAFETY_STATION else InspectionKind.BOTH,
            notes="秋季质量安全专项检查",
            recorded_by=supervisor,
        )
        inspections.append(second)
        state = {0: Hazard.State.OPEN, 1: Hazard.State.RECTIFIED}.get(later % 5, Hazard.State.VERIFIED)
        deadline = day + dt.timedelta(days=10)
        if state == Hazard.State.VERIFIED and deadline > dt.date(year, 10, 9):
            state = Hazard.State.RECTIFIED  # not verified after the county's meeting day
        hazards.append(_hazard(second, i + 3, deadline, state))
        later += 1
        if i in (1, 6):
            description, due = MAJOR[0 if i == 1 else 1]
            hazards.append(
                Hazard(
                    inspection=second,
                    project=project,
                    level=Hazard.Level.MAJOR,
                    category=Category.EXCAVATION,
                    description=description,
                    deadline=max(due, day),
                    responsible_unit_id=project.lead_unit_id,
                    contractor=CONTRACTOR,
                    changed_by=supervisor,
                )
            )
    bulk_create_with_history(inspections, SafetyInspection, default_user=supervisor)
    for hazard in hazards:
        hazard.inspection_id = hazard.inspection.pk
    bulk_create_with_history(hazards, Hazard, default_user=supervisor)
    accident_project = projects[len(projects) // 3] if projects else None
    if accident_project is not None:
        bulk_create_with_history(
            [
                Accident(
                    project=accident_project,
                    date=dt.date(year, 7, 16),
                    level=Accident.Level.GENERAL,
                    deaths=0,
                    injuries=1,
                    description="钢筋加工作业中一名工人手部被切断机割伤，已送县人民医院治疗，无生命危险",
                    report_status=Accident.Report.CLOSED,
                    changed_by=supervisor,
                )
            ],
            Accident,
            default_user=supervisor,
        )
    open_count = sum(h.state == Hazard.State.OPEN for h in hazards)
    stdout.write(
        f"quality and safety demo: {len(inspections)} inspections, {len(hazards)} hazards ({open_count} open), "
        "1 accident\n"
    )


def _hazard(inspection: SafetyInspection, i: int, deadline: dt.date, state: str) -> Hazard:
    category, description, measures = FOUND[i % len(FOUND)]
    done = state != Hazard.State.OPEN
    verified = state == Hazard.State.VERIFIED
    rectified_on = min(deadline - dt.timedelta(days=2), dt.date(deadline.year, 10, 9)) if done else None
    return Hazard(
        inspection=inspection,
        project=inspection.project,
        level=Hazard.Level.GENERAL,
        category=category,
        description=description,
        deadline=deadline,
        responsible_unit_id=inspection.project.lead_unit_id,
        contractor=CONTRACTOR,
        state=state,
        measures=measures if done else "",
        rectified_on=rectified_on,
        verified_on=rectified_on + dt.timedelta(days=2) if verified else None,
        verified_by=inspection.recorded_by if verified else None,
        changed_by=inspection.recorded_by,
    )
