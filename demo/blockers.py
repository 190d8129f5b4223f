"""The demo county's blockers, the county executive meeting of 11 October 2020, its decisions and tasks,
an earlier dispatch meeting with tasks now overdue, and a month of daily inspections.

Called by the demo seed after the projects (and reports) exist: `seed(region=county, year=2020, stdout=...)`.
Deterministic: projects are taken in code order and every choice is by position, never random.
Leaders appear by title only; the demo users (office, supervisor) are used when present.
"""

from __future__ import annotations

import datetime as dt
from itertools import cycle
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from blockers.models import Blocker, BlockerEvent
from lib.text import join_clauses
from meetings.models import BlockerEventMeeting, Decision, DecisionTask, Meeting
from projects.models import Leader, Project, Unit, YearPlan
from regions.models import Region
from reports.services import commit_start as commit
from supervision.models import Inspection, InspectionBlocker, SupervisionTask, TaskFeedback

K = Blocker.Kind
MEETING_DAY = dt.date(2020, 10, 11)
DISPATCH_DAY = dt.date(2020, 9, 15)
# Land acquisition and demolition is the most common blocker, as in reality.
L = K.LAND
# Every kind early on, then land acquisition most often.
KINDS = [L, K.APPROVALS, K.FUNDS, K.PLANNING, K.ENVIRONMENT, K.CONSTRUCTION, K.POLICY, K.OTHER] + [
    L,
    L,
    K.APPROVALS,
    L,
    K.FUNDS,
    L,
    K.APPROVALS,
    L,
    K.PLANNING,
    L,
    K.APPROVALS,
    L,
    K.FUNDS,
    L,
    L,
    K.APPROVALS,
    L,
    K.FUNDS,
    K.PLANNING,
    L,
    K.ENVIRONMENT,
    K.CONSTRUCTION,
    K.POLICY,
    L,
]
TEXTS = {
    K.LAND: (
        "征地拆迁尚有{n}户未签订补偿协议，影响施工场地移交。",
        "逐户开展政策宣讲，属地乡镇牵头包户推进签约。",
    ),
    K.APPROVALS: (
        "项目用地预审和环评批复尚未取得，施工许可无法办理。",
        "建立审批专班，并联办理用地、环评手续。",
    ),
    K.FUNDS: (
        "年度资金缺口约{n}00万元，专项债资金尚未到位。",
        "积极争取专项债券和中央预算内资金，协调银行贷款。",
    ),
    K.PLANNING: ("初步设计需按审查意见修改，施工图审查滞后。", "督促设计单位加派力量，限期完成修改送审。"),
    K.ENVIRONMENT: (
        "项目涉及生态保护红线，需调整选址或办理论证。",
        "委托第三方开展不可避让论证，同步优化线位。",
    ),
    K.CONSTRUCTION: ("施工单位人员机械投入不足，现场进度滞后。", "约谈施工单位，增加作业面，实行倒排工期。"),
    K.POLICY: ("电力、通信管线迁改费用分担政策不明确。", "提请县政府明确迁改费用分担办法。"),
    K.OTHER: ("周边群众对施工噪声有意见，影响夜间施工。", "属地乡镇做好群众工作，优化施工时段。"),
}
UNITS_AT_MEETING = [
    "县水利局",
    "县生态环境局",
    "县交通局",
    "县文化旅游委",
    "县工业园区管委会",
    "县边城文化旅游开发中心",
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _event(blocker: Blocker, day: dt.date, by: User | None, kind: str, **fields) -> BlockerEvent:
    return BlockerEvent(blocker=blocker, at=_at(day, 11), by=by, kind=kind, **fields)


def _leader(region: Region, title: str) -> Leader | None:
    return (
        Leader.objects.filter(region=region, title=title).first()
        or Leader.objects.filter(region=region).first()
    )


@transaction.atomic
def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    projects = list(
        Project.objects.filter(region=region).select_related("lead_unit", "leader").order_by("code")
    )
    if not projects or Blocker.objects.filter(project__region=region).exists():
        stdout.write("blockers demo: nothing to do\n")
        return
    office = User.objects.filter(region=region, role=User.Role.OFFICE).order_by("pk").first()
    supervisor = User.objects.filter(region=region, role=User.Role.SUPERVISOR).order_by("pk").first()
    leader_user = User.objects.filter(region=region, role=User.Role.LEADER).order_by("pk").first()
    not_started = list(
        YearPlan.objects.filter(
            project__region=region,
            year=year,
            project__actual_start__isnull=True,
            planned_start_month__isnull=False,
            planned_start_month__lte=MEETING_DAY.month,
        )
        .select_related("project__lead_unit", "project__leader")
        .order_by("project__code")
    )
    stuck = [p.project for p in not_started]
    others = [p for p in projects if p not in stuck]
    # Every not-started project gets a blocker first (they go to the meeting), then others in turn.
    chosen = (stuck + others[:: max(1, len(others) // max(1, len(KINDS) - len(stuck)))])[
        : max(len(KINDS), len(stuck))
    ]
    township_units = {u.township_id: u for u in Unit.objects.filter(region=region, township__isnull=False)}

    blockers: list[Blocker] = []
    events: list[BlockerEvent] = []
    kinds = cycle(KINDS)
    for i, project in enumerate(chosen):
        kind = K.LAND if project in stuck and i % 3 == 0 else next(kinds)
        text, measures = TEXTS[kind]
        raised = dt.date(year, 7, 1) + dt.timedelta(days=(i * 3) % 95)
        deadline = raised + dt.timedelta(days=30 + (i % 5) * 15)
        status, level = Blocker.Status.OPEN, Blocker.Level.UNIT
        resolved = None
        if project in stuck:
            level = Blocker.Level.MEETING
            status = Blocker.Status.COORDINATING
        elif i % 4 == 1:
            status, resolved = (
                Blocker.Status.RESOLVED,
                min(raised + dt.timedelta(days=20 + (i % 6) * 8), MEETING_DAY - dt.timedelta(days=3)),
            )
        elif i % 4 == 2:
            status, resolved = (
                Blocker.Status.CLOSED,
                min(raised + dt.timedelta(days=15 + (i % 5) * 9), MEETING_DAY - dt.timedelta(days=2)),
            )
        elif i % 8 == 7:
            # Escalated to the executive meeting after its agenda was set: awaiting a decision.
            level = Blocker.Level.MEETING
            status = Blocker.Status.COORDINATING
        elif i % 4 == 3:
            level = Blocker.Level.LEADER
            status = Blocker.Status.COORDINATING
        blocker = Blocker(
            project=project,
            source=Blocker.Source.REPORT if i % 2 else Blocker.Source.PROJECT,
            kind=kind,
            description=text.format(n=3 + i % 9),
            raised_by=office,
            raised_at=_at(raised),
            lead_unit=project.lead_unit,
            leader=project.leader,
            deadline=deadline,
            measures=measures,
            status=status,
            level=level,
            resolved_at=_at(resolved, 16) if resolved else None,
            closed_at=_at(resolved + dt.timedelta(days=1), 16) if status == Blocker.Status.CLOSED else None,
        )
        if level > Blocker.Level.UNIT:
            blocker.escalated_by = leader_user if level == Blocker.Level.MEETING else office
            blocker.escalated_at = _at(min(deadline, MEETING_DAY - dt.timedelta(days=4)))
            blocker.escalation_reason = (
                "涉及多个部门，需提请县长办公会研究决定。"
                if level == Blocker.Level.MEETING
                else "单位协调未果，提请分管领导协调。"
            )
        blockers.append(blocker)
    Blocker.objects.bulk_create(blockers)
    for b in blockers:
        day = b.raised_at.date()
        events.append(
            _event(
                b, day, office, BlockerEvent.Kind.CREATED, to_status=Blocker.Status.OPEN, text=b.description
            )
        )
        events.append(
            _event(b, day + dt.timedelta(days=2), None, BlockerEvent.Kind.MEASURES, text=b.measures)
        )
        if b.status != Blocker.Status.OPEN:
            events.append(
                _event(
                    b,
                    day + dt.timedelta(days=3),
                    office,
                    BlockerEvent.Kind.STATUS,
                    from_status=Blocker.Status.OPEN,
                    to_status=Blocker.Status.COORDINATING,
                )
            )
        if b.escalated_at:
            events.append(
                _event(
                    b,
                    b.escalated_at.date(),
                    b.escalated_by,
                    BlockerEvent.Kind.ESCALATED,
                    level=b.level,
                    text=b.escalation_reason,
                )
            )
        if b.resolved_at:
            events.append(
                _event(
                    b,
                    b.resolved_at.date(),
                    office,
                    BlockerEvent.Kind.STATUS,
                    from_status=Blocker.Status.COORDINATING,
                    to_status=Blocker.Status.RESOLVED,
                )
            )
        if b.closed_at:
            events.append(
                _event(
                    b,
                    b.closed_at.date(),
                    supervisor or office,
                    BlockerEvent.Kind.STATUS,
                    from_status=Blocker.Status.RESOLVED,
                    to_status=Blocker.Status.CLOSED,
                    text="经督查室现场核实，予以销号。",
                )
            )
        township = next(iter(b.project.townships.all()), None)
        if (
            township is not None
            and township.pk in township_units
            and township_units[township.pk] != b.lead_unit
        ):
            b.cooperating_units.add(township_units[township.pk])
    BlockerEvent.objects.bulk_create(events)

    tasks = _dispatch_meeting(region, year, blockers, office, supervisor)
    tasks += _executive_meeting(region, year, stuck, blockers, office)
    inspections = _inspections(region, year, projects, blockers, supervisor)
    stdout.write(
        f"blockers demo: {len(blockers)} blockers, 2 meetings, {len(tasks)} supervision tasks, "
        f"{inspections} inspections\n"
    )


def _task(
    region,
    *,
    title,
    unit,
    deadline,
    source,
    created,
    by,
    project=None,
    blocker=None,
    decision=None,
    leader=None,
    status=SupervisionTask.Status.OPEN,
) -> SupervisionTask:
    task = SupervisionTask.objects.create(
        region=region,
        title=title,
        requirement=title,
        assignee_unit=unit,
        deadline=deadline,
        source=source,
        project=project,
        blocker=blocker,
        leader=leader or (project.leader if project else None),
        created_by=by,
        created_at=_at(created, 15),
        status=status,
    )
    TaskFeedback.objects.create(
        task=task, kind=TaskFeedback.Kind.CREATED, by=by, at=_at(created, 15), text=title
    )
    if decision is not None:
        DecisionTask.objects.create(decision=decision, task=task)
    return task


def _meeting_event(meeting, blocker, kind, by, at, text="") -> None:
    """A line of the blocker's timeline about the meeting (put on its agenda, decided at it)."""
    event = BlockerEvent.objects.create(blocker=blocker, kind=kind, by=by, at=at, text=text)
    BlockerEventMeeting.objects.create(event=event, meeting=meeting)


def _dispatch_meeting(region, year, blockers, office, supervisor) -> list[SupervisionTask]:
    """A dispatch meeting in September whose tasks are partly done, partly overdue on 11 October."""
    meeting = Meeting.objects.create(
        region=region,
        type=Meeting.Type.DISPATCH,
        title="重点项目专题调度会",
        date=DISPATCH_DAY,
        location="县政府第三会议室",
        chair=_leader(region, "常务副县长"),
        created_by=office,
        created_at=_at(DISPATCH_DAY),
        minutes="会议听取了重点项目推进情况汇报，逐一研究了征地拆迁、审批手续等卡点问题。",
    )
    level2 = [b for b in blockers if b.level == Blocker.Level.LEADER][:6]
    meeting.blockers.set(level2)
    for b in level2:
        _meeting_event(meeting, b, BlockerEvent.Kind.AGENDA, office, _at(DISPATCH_DAY))
    meeting.projects.set({b.project for b in level2})
    meeting.attending_units.set({b.lead_unit for b in level2})
    tasks = []
    for n, b in enumerate(level2, start=1):
        decision = Decision.objects.create(
            meeting=meeting,
            number=n,
            project=b.project,
            blocker=b,
            text=join_clauses(f"{b.lead_unit.name}牵头", b.measures),
            created_at=_at(DISPATCH_DAY),
        )
        _meeting_event(meeting, b, BlockerEvent.Kind.DECIDED, office, _at(DISPATCH_DAY), decision.text)
        task = _task(
            region,
            title=f"{b.project.name}：{b.get_kind_display()}问题限期解决",
            unit=b.lead_unit,
            deadline=DISPATCH_DAY + dt.timedelta(days=15),
            source=SupervisionTask.Source.DECISION,
            created=DISPATCH_DAY,
            by=office,
            project=b.project,
            blocker=b,
            decision=decision,
        )
        if n % 3 == 0:  # done and verified
            task.status, task.reported_at, task.closed_at = (
                SupervisionTask.Status.CLOSED,
                _at(dt.date(year, 9, 28)),
                _at(dt.date(year, 9, 29)),
            )
            task.save()
            TaskFeedback.objects.create(
                task=task,
                kind=TaskFeedback.Kind.REPORTED,
                text="已按要求完成。",
                at=_at(dt.date(year, 9, 28)),
            )
            TaskFeedback.objects.create(
                task=task,
                kind=TaskFeedback.Kind.CLOSED,
                by=supervisor,
                text="核实无误。",
                at=_at(dt.date(year, 9, 29)),
            )
        elif n % 3 == 1:  # progress reported, still overdue
            TaskFeedback.objects.create(
                task=task,
                kind=TaskFeedback.Kind.FEEDBACK,
                text="正在推进，已完成约60%。",
                at=_at(dt.date(year, 9, 25)),
            )
        tasks.append(task)
    return tasks


def _executive_meeting(region, year, stuck, blockers, office) -> list[SupervisionTask]:
    """县长办公会, 11 October 2020: the not-started projects and their blockers; a decision and a task each,
    and a committed start date for each project."""
    meeting = Meeting.objects.create(
        region=region,
        type=Meeting.Type.EXECUTIVE,
        title="县长办公会（重点项目专题）",
        date=MEETING_DAY,
        location="县政府常务会议室",
        chair=_leader(region, "县长"),
        created_by=office,
        created_at=_at(MEETING_DAY, 9),
        minutes=(
            "会议听取了县水利局、县生态环境局、县交通局、县文化旅游委、县工业园区管委会、县边城文化旅游开发中心"
            "关于未开工重点项目的汇报，逐一研究了项目卡点、难点、堵点问题。会议要求，各责任单位要做到心中有数、手中有策，"
            "组建专班、明确专人、挂图作战，按序时推进项目建设。"
        ),
    )
    meeting.attending_units.set(Unit.objects.filter(region=region, name__in=UNITS_AT_MEETING))
    on_agenda = [b for b in blockers if b.level == Blocker.Level.MEETING and b.project in stuck]
    meeting.blockers.set(on_agenda)
    for b in on_agenda:
        _meeting_event(meeting, b, BlockerEvent.Kind.AGENDA, office, _at(MEETING_DAY, 9))
    meeting.projects.set(stuck)
    tasks = []
    by_project = {b.project_id: b for b in on_agenda}
    for n, project in enumerate(stuck, start=1):
        b = by_project.get(project.pk)
        start = dt.date(year, 11 if n % 2 else 12, 1 + (n * 3) % 25)
        decision = Decision.objects.create(
            meeting=meeting,
            number=n,
            project=project,
            blocker=b,
            committed_start=start,
            created_at=_at(MEETING_DAY, 11),
            text=join_clauses(
                f"{project.lead_unit.name}牵头",
                b.measures if b else "加快前期工作",
                f"确保{start.month}月{start.day}日前开工",
            ),
        )
        if b is not None:
            _meeting_event(meeting, b, BlockerEvent.Kind.DECIDED, office, _at(MEETING_DAY, 11), decision.text)
        tasks.append(
            _task(
                region,
                title=f"{project.name}：解决卡点并按期开工",
                unit=project.lead_unit,
                deadline=start,
                source=SupervisionTask.Source.DECISION,
                created=MEETING_DAY,
                by=office,
                project=project,
                blocker=b,
                decision=decision,
            )
        )
        if office is not None:
            commit(project=project, date=start, by=office, note=decision.text[:200], source=str(meeting))
    return tasks


def _inspections(region, year, projects, blockers, supervisor) -> int:
    """A month of daily inspections, 11 September to 10 October 2020, working days only."""
    day = dt.date(year, 9, 11)
    findings = cycle(
        [
            "现场施工人员{n}人，机械{m}台，进度基本正常。",
            "现场未见施工人员，项目尚未进场。",
            "安全文明施工措施落实不到位，要求立即整改。",
            "征地范围内仍有{n}户未搬迁，影响施工。",
            "施工进度滞后于节点计划，要求增加作业面。",
        ]
    )
    with_blockers = {b.project_id: b for b in blockers}
    made = 0
    i = 0
    while day < MEETING_DAY:
        if day.weekday() < 5:
            project = projects[(i * 7) % len(projects)]
            text = next(findings).format(n=5 + i % 20, m=1 + i % 6)
            inspection = Inspection.objects.create(
                project=project,
                date=day,
                inspector=supervisor,
                findings=text,
                created_at=_at(day, 17),
                follow_up=Inspection.FollowUp.BLOCKER
                if project.pk in with_blockers and i % 2
                else Inspection.FollowUp.NONE,
            )
            if inspection.follow_up == Inspection.FollowUp.BLOCKER:
                blocker = with_blockers[project.pk]
                if not InspectionBlocker.objects.filter(blocker=blocker).exists():
                    InspectionBlocker.objects.create(inspection=inspection, blocker=blocker)
                    Blocker.objects.filter(pk=blocker.pk).update(source=Blocker.Source.INSPECTION)
            made += 1
            i += 1
        day += dt.timedelta(days=1)
    return made
