"""Writes to node plans: a template applied, a node recorded. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pool.models import Candidate
from projects.models import Project
from workdays.calendar import WorkCalendar

from .models import ApprovalNode, NodeTemplate

# The county's standard template for government-invested projects (审批类), in order; nodes in the same
# group run in parallel. (name, department name, time limit in working days, parallel group, required
# to start construction). The department is looked up among the region's units by name.
STANDARD = {
    "approval": [
        ("项目建议书", "县发展改革委", 5, None, True),
        ("可研批复", "县发展改革委", 10, None, True),
        ("用地预审与选址意见书", "县规划自然资源局", 20, None, True),
        ("建设用地规划许可证", "县规划自然资源局", 20, 1, True),
        ("环评批复", "县生态环境局", 30, 1, True),
        ("节能审查", "县发展改革委", 10, 1, True),
        ("初步设计及概算批复", "县发展改革委", 20, None, True),
        ("施工图审查", "县住房城乡建委", 10, None, True),
        ("建设工程规划许可证", "县规划自然资源局", 20, None, True),
        ("施工许可证", "县住房城乡建委", 7, None, True),
    ],
    "ratification": [
        ("用地预审与选址意见书", "县规划自然资源局", 20, None, True),
        ("项目核准", "县发展改革委", 20, None, True),
        ("环评批复", "县生态环境局", 30, 1, True),
        ("节能审查", "县发展改革委", 10, 1, True),
        ("建设工程规划许可证", "县规划自然资源局", 20, None, True),
        ("施工许可证", "县住房城乡建委", 7, None, True),
    ],
    "filing": [
        ("项目备案", "县发展改革委", 3, None, True),
        ("环评批复", "县生态环境局", 30, 1, True),
        ("建设工程规划许可证", "县规划自然资源局", 20, 1, True),
        ("施工许可证", "县住房城乡建委", 7, None, True),
    ],
}


@transaction.atomic
def templates_load_standard(*, region) -> int:
    """Give the region the standard templates for the kinds it has none of; returns nodes added."""
    units = {u.name: u for u in region.units.all()}
    added = 0
    for procedure, rows in STANDARD.items():
        if NodeTemplate.objects.filter(region=region, procedure=procedure).exists():
            continue
        for sort, (name, department, limit, group, required) in enumerate(rows, start=1):
            NodeTemplate.objects.create(
                region=region,
                procedure=procedure,
                sort=sort * 10,
                name=name,
                department=units.get(department),
                time_limit=limit,
                parallel_group=group,
                required_for_start=required,
            )
            added += 1
    return added


def planned_dates(templates: list[NodeTemplate], start: dt.date, calendar: WorkCalendar) -> list[dt.date]:
    """Each template node's planned submission: the first on `start`, the next once the one before has
    had its time limit (working days); nodes of one parallel group share a date and wait for the
    longest of them."""
    dates: list[dt.date] = []
    current, group, longest = start, None, 0
    for template in templates:
        if template.parallel_group is not None and template.parallel_group == group:
            longest = max(longest, template.time_limit)
        else:
            current = calendar.add_workdays(current, longest) if dates else current
            group, longest = template.parallel_group, template.time_limit
        dates.append(current)
    return dates


@transaction.atomic
def plan_apply_template(
    *, project: Project | None = None, candidate: Candidate | None = None, procedure: str, start: dt.date
) -> int:
    """Add the region's template for `procedure` to the plan of a project or of a reserve candidate
    (exactly one), planned from `start`; nodes the plan already has (by name) are left as they are.
    Returns the nodes added."""
    if (project is None) == (candidate is None):
        raise ValueError("a node plan belongs to a project or to a candidate")
    holder = project or candidate
    templates = list(
        NodeTemplate.objects.filter(region_id=holder.region_id, procedure=procedure).order_by("sort", "pk")
    )
    if not templates:
        raise ValidationError({"procedure": _("The office has no template for this kind of project yet.")})
    # Two people applying at once would both add the nodes: lock the holder's row while we do.
    type(holder).objects.select_for_update().filter(pk=holder.pk).first()
    owner = {"project": project} if project is not None else {"candidate": candidate}
    have = set(ApprovalNode.objects.filter(**owner).values_list("name", flat=True))
    dates = planned_dates(templates, start, WorkCalendar.load())
    added = 0
    for template, planned in zip(templates, dates, strict=True):
        if template.name in have:
            continue
        ApprovalNode.objects.create(
            **owner,
            procedure=procedure,
            sort=template.sort,
            name=template.name,
            department=template.department,
            planned_on=planned,
            time_limit=template.time_limit,
            limit_basis=template.limit_basis,
            parallel_group=template.parallel_group,
            required_for_start=template.required_for_start,
        )
        added += 1
    return added


def nodes_follow_promotion(*, candidate, project: Project) -> int:
    """A promoted candidate's nodes move onto its project (inside the publishing transaction, from
    pool.signals.candidate_promoted), with their history and files; a node the project already has by
    name stays the project's and the candidate's copy is dropped. Returns the nodes moved."""
    have = set(project.approval_nodes.values_list("name", flat=True))
    moved = 0
    for node in ApprovalNode.objects.filter(candidate=candidate).order_by("sort", "pk"):
        if node.name in have:
            node.soft_delete(by=None)  # the candidate's copy, dropped by the promotion: recorded
            continue
        node.project, node.candidate = project, None
        node.save()
        moved += 1
    return moved
