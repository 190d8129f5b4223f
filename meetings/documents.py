"""A meeting's minutes (会议纪要) as a Word document."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from lib.docx import GovDocument, cn_date
from lib.text import clause, join_clauses
from supervision.models import SupervisionTask

from .models import Meeting


def issuer(meeting: Meeting) -> str:
    return f"{meeting.region.name}人民政府办公室"


def minutes_docx(
    meeting: Meeting,
    *,
    projects=None,
    blockers=None,
    decisions=None,
    number: str = "",
    copy_to: str = "",
    printed_on: dt.date | None = None,
    part: str = "",
) -> bytes:
    """会议纪要: who met, what was on the agenda, what was decided and who does what by when.

    `projects`, `blockers` and `decisions` narrow the minutes to a reader's part (`part` names whose: a
    unit's or a leader's projects); by default the whole meeting. With a `number` the minutes are the
    issued ones (number under the masthead, 版记 with `copy_to`); without, a draft marked 征求意见稿."""
    if decisions is None:
        decisions = meeting.decisions.select_related("project", "blocker").prefetch_related(
            Prefetch("tasks", queryset=SupervisionTask.objects.select_related("assignee_unit"))
        )
    if projects is None:
        projects = meeting.projects.select_related("lead_unit")
    if blockers is None:
        blockers = meeting.blockers.select_related("project", "lead_unit")
    doc = GovDocument(
        title=f"{meeting.title}纪要",
        issuer=issuer(meeting),
        date=meeting.date,
        subtitle=f"（{cn_date(meeting.date)}）",
        doc_number=number,
        draft=not number,
    )
    if part:
        doc.paragraph(f"本件摘录纪要中与{part}有关的项目、卡点和议定事项。")
    chair = meeting.chair.title if meeting.chair else ""
    units = "、".join(u.name for u in meeting.attending_units.all())
    where = f"在{clause(meeting.location)}" if meeting.location else ""
    held = f"{chair}{where}主持召开" if chair else f"{where}召开"
    intro = f"{cn_date(meeting.date)}，{held}{meeting.get_type_display()}"
    intro += f"，{units}等单位参加会议。" if units else "。"
    doc.paragraph(intro)
    if meeting.minutes:
        for line in meeting.minutes.splitlines():
            if line.strip():
                doc.paragraph(line.strip())
    doc.section("研究的项目和卡点")
    rows = [[n, p.name, p.lead_unit.name] for n, p in enumerate(projects, start=1)]
    if rows:
        doc.table(["序号", "项目名称", "责任单位"], rows, widths_cm=[1.5, 9, 5])
    if blockers:
        doc.table(
            ["序号", "项目", "卡点类别", "问题", "牵头单位"],
            [
                [n, b.project.name, b.get_kind_display(), b.description, b.lead_unit.name]
                for n, b in enumerate(blockers, start=1)
            ],
            widths_cm=[1.2, 4, 2.4, 6, 2.8],
        )
    doc.section("会议议定事项")
    for d in decisions:
        text = join_clauses(d.text)
        if d.committed_start:
            text = f"{clause(text)}（承诺开工时间：{cn_date(d.committed_start)}）。"
        doc.paragraph(f"{d.number}. {text}")
        for task in d.tasks.all():
            doc.paragraph(f"责任单位：{task.assignee_unit.name}；完成时限：{cn_date(task.deadline)}。")
    doc.signature()
    if number:  # a draft is not yet 印发
        doc.imprint(copy_to=copy_to, printer=issuer(meeting), printed_on=printed_on or meeting.date)
    return doc.to_bytes()
