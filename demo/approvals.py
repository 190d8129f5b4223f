"""The demo county's approvals (前期手续): the standard templates, and a node plan for every 2020 project
not yet started, some nodes overdue.

Deterministic, projects in code order, everything by position. Each plan is the 审批类 template (the
filing template for a platform company's project) planned from a start between March and May 2020. The
first nodes were submitted and approved within their limits; then, by position, the next node is held
by its department past its limit (a department_late warning, "环评批复超期12个工作日"), or not yet
submitted after its planned date (an owner_late warning), or in hand and on time. The nodes after it are
planned from the meeting day on. The reserve pool's candidates in approvals or ready to start have
node plans too (`_candidate_plans`).
"""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from approvals.models import ApprovalNode
from approvals.services import plan_apply_template, templates_load_standard
from pool.models import Candidate
from projects.models import Project, YearPlan
from regions.models import Region, Unit
from workdays.calendar import WorkCalendar


def seed(*, region: Region, year: int, stdout: TextIO) -> None:
    if ApprovalNode.objects.filter(project__region=region).exists():
        stdout.write("approvals demo: nothing to do\n")
        return
    templates_load_standard(region=region)
    meeting = dt.date(year, 10, 11)
    calendar = WorkCalendar.load()
    projects = (
        Project.objects.filter(region=region, actual_start__isnull=True, plans__year=year)
        .exclude(plans__stage=YearPlan.Stage.COMPLETING)
        .select_related("lead_unit")
        .order_by("code")
        .distinct()
    )
    planned = late = 0
    for i, project in enumerate(projects):
        procedure = "filing" if project.lead_unit.kind == Unit.Kind.COMPANY else "approval"
        start = dt.date(year, 3, 2) + dt.timedelta(days=7 * (i % 10))
        plan_apply_template(project=project, procedure=procedure, start=start)
        nodes = list(project.approval_nodes.order_by("sort", "pk"))
        # The first nodes, approved within their limits, as far as the weeks before the meeting allow.
        wanted, done, day = 1 + i % 4, 0, start
        for n, node in enumerate(nodes[: len(nodes) - 1]):
            submitted = calendar.add_workdays(max(day, node.planned_on), i % 2)
            approved = calendar.add_workdays(submitted, max(node.time_limit - 1 - (i + n) % 4, 1))
            if n >= wanted or approved > meeting - dt.timedelta(days=40):
                break
            node.submitted_on, node.approved_on = submitted, approved
            node.doc_number = f"秀审〔{year}〕{100 + i * 10 + n}号"
            day, done = approved, done + 1
        current = nodes[done]
        mode = i % 3
        if mode == 0:  # held by the department past its limit
            current.submitted_on = max(
                day, meeting - dt.timedelta(days=7 * current.time_limit // 5 + 24 + 3 * (i % 5))
            )
            current.planned_on = current.submitted_on  # on time: the lateness is the department's
            late += 1
        elif mode == 1:  # the owner has not submitted it by its planned date
            current.planned_on = meeting - dt.timedelta(days=12 + i % 9)
            late += 1
        else:  # in hand, on time
            current.submitted_on = max(day, dt.date(year, 9, 28))
            current.planned_on = current.submitted_on
        following = meeting
        for node in nodes[done + 1 :]:
            following = calendar.add_workdays(following, 10)
            node.planned_on = following
        for node in nodes:
            node.save()
        planned += 1
    stdout.write(f"approvals demo: {planned} node plans, {late} with a late node\n")
    ready, preparing = _candidate_plans(region=region, year=year, calendar=calendar)
    stdout.write(
        f"approvals demo: {ready + preparing} reserve candidates' node plans, {ready} all approved\n"
    )


def _candidate_plans(*, region: Region, year: int, calendar: WorkCalendar) -> tuple[int, int]:
    """The reserve pool's candidates in approvals (前期) or ready to start (可开工) get node plans, so
    the pool's ready-to-start column agrees with their maturity: a ready candidate has every node
    approved, on time, before the meeting; one in approvals its first nodes approved and the rest
    planned after the meeting. Candidates still ideas or being packaged have none."""
    meeting = dt.date(year, 10, 11)
    candidates = (
        Candidate.objects.filter(
            region=region,
            project__isnull=True,
            maturity__in=[Candidate.Maturity.READY, Candidate.Maturity.PREPARATORY],
        )
        .select_related("lead_unit")
        .order_by("pk")
    )
    ready = preparing = 0
    for i, candidate in enumerate(candidates):
        procedure = "filing" if candidate.lead_unit.kind == Unit.Kind.COMPANY else "approval"
        is_ready = candidate.maturity == Candidate.Maturity.READY
        start = dt.date(year - 1, 9, 2) if is_ready else dt.date(year, 5, 11)
        start += dt.timedelta(days=7 * (i % 8))
        plan_apply_template(candidate=candidate, procedure=procedure, start=start)
        nodes = list(candidate.approval_nodes.order_by("sort", "pk"))
        approve = len(nodes) if is_ready else 1 + i % 3
        day = start
        for n, node in enumerate(nodes):
            if n < approve:
                node.planned_on = node.submitted_on = calendar.add_workdays(day, 0 if n == 0 else 1)
                node.approved_on = calendar.add_workdays(
                    node.submitted_on, max(node.time_limit - 1 - i % 3, 1)
                )
                node.doc_number = f"秀审〔{node.approved_on.year}〕{300 + i * 10 + n}号"
                day = node.approved_on
            else:
                day = calendar.add_workdays(max(day, meeting), 10)
                node.planned_on = day
            node.save()
        ready += is_ready
        preparing += not is_ready
    return ready, preparing
