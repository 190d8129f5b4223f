"""The cadence documents as Word files laid out as government documents (see lib/docx.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from approvals.readiness import summary
from lib.docx import GovDocument, cn_date
from lib.money import fmt
from lib.text import clause
from regions.models import Region

from .selectors import MonthlyData, QuarterlyData, WeeklyData

OFFICE = "重点项目办公室"
GAP = "序时差距（百分点）"
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "": "—"}


@dataclass(frozen=True)
class Head:
    """What makes a document issued or a draft: its number (none for a draft), the day it is dated,
    the bodies it is copied to, and the adjustments to the last issued one it prints."""

    on: dt.date
    number: str = ""
    copy_to: str = ""
    adjustments: list[str] = field(default_factory=list)


def issuer(region: Region) -> str:
    return f"{region.name}{OFFICE}"


def whole(region: Region) -> str:
    """全县 (全区, 全市): how a county's own document names the county as a whole."""
    return "全" + (region.name[-1:] if region.name[-1:] in "县区市旗" else "县")


def _start(region: Region, title: str, subtitle: str, head: Head) -> GovDocument:
    return GovDocument(
        title=title,
        issuer=issuer(region),
        date=head.on,
        subtitle=subtitle,
        doc_number=head.number,
        draft=not head.number,
    )


def _finish(doc: GovDocument, region: Region, head: Head) -> bytes:
    if head.adjustments:
        doc.section("上期数据调整")
        for line in head.adjustments:
            doc.paragraph(line)
    doc.signature()
    if head.number:  # a draft is not yet 印发
        doc.imprint(copy_to=head.copy_to, printer=issuer(region), printed_on=head.on)
    return doc.to_bytes()


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def gap(value: Decimal | None) -> str:
    """A gap in a table cell, signed in points (+4.60, −5.64): the words of `points` do not fit a column;
    the column heading says 序时差距（百分点）."""
    if value is None:
        return "—"
    return f"+{value:.2f}" if value > 0 else f"\u2212{-value:.2f}" if value < 0 else "0.00"


def points(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value >= 0:
        return f"超序时{value:.2f}个百分点"
    return f"滞后序时{-value:.2f}个百分点"


def weekly_docx(region: Region, data: WeeklyData, *, head: Head) -> bytes:
    doc = _start(region, "重点项目周汇总", data.period.label, head)
    doc.section("总体情况")
    doc.paragraph(
        f"本周{whole(region)}重点项目共报送月报{data.reports_filed}份；新增卡点{data.blockers_opened}个，"
        f"解决卡点{data.blockers_resolved}个，截至周末仍未解决卡点{data.blockers_open}个，其中逾期{data.blockers_overdue}个；"
        f"本周到期督办事项{data.tasks_due}项，办结{data.tasks_closed}项，逾期未办结{data.tasks_overdue}项；"
        f"开展日督查{data.inspections}次。"
    )
    doc.section("月报报送")
    if data.reports_by_unit:
        doc.table(["责任单位", "报送份数"], [[u, n] for u, n in data.reports_by_unit], widths_cm=[10, 4])
    else:
        doc.paragraph("本周无月报报送。")
    doc.section("卡点难点堵点")
    if data.opened_by_kind:
        doc.paragraph("本周新增卡点按类别：" + "，".join(f"{k}{n}个" for k, n in data.opened_by_kind) + "。")
    if data.overdue_blockers:
        doc.subsection("逾期未解决的卡点")
        doc.table(
            ["序号", "项目", "类别", "牵头单位", "完成时限"],
            [
                [i, b.project.name, b.get_kind_display(), b.lead_unit.name, cn_date(b.deadline)]
                for i, b in enumerate(data.overdue_blockers, start=1)
            ],
            widths_cm=[1.2, 5.2, 2.2, 3.6, 3.4],
        )
    else:
        doc.paragraph("无逾期卡点。")
    doc.section("督办事项")
    if data.overdue_tasks:
        doc.table(
            ["序号", "督办事项", "责任单位", "完成时限"],
            [
                [i, t.title, t.assignee_unit.name, cn_date(t.deadline)]
                for i, t in enumerate(data.overdue_tasks, start=1)
            ],
            widths_cm=[1.2, 7, 4, 3.4],
        )
    else:
        doc.paragraph("无逾期督办事项。")
    doc.section("日督查情况")
    if data.inspection_rows:
        doc.table(
            ["日期", "项目", "发现问题"],
            [[cn_date(i.date), i.project.name, i.findings] for i in data.inspection_rows],
            widths_cm=[3.4, 4.6, 7.6],
        )
    else:
        doc.paragraph("本周未开展日督查。")
    return _finish(doc, region, head)


def monthly_docx(region: Region, data: MonthlyData, *, head: Head) -> bytes:
    doc = _start(region, "重点项目月度研究材料", data.period.label, head)
    doc.section("总体进度")
    s = data.summary
    if s is not None:
        doc.paragraph(
            f"截至{data.period.month}月底，{whole(region)}{s.projects}个重点项目年度计划投资{fmt(s.planned)}万元，"
            f"累计完成投资{fmt(s.ytd)}万元，完成率{pct(s.rate)}，序时进度{pct(s.target)}，{points(s.gap)}。"
            f"已开工{s.started}个，未开工{s.not_started}个；红灯{s.lights.get('red', 0)}个、"
            f"黄灯{s.lights.get('yellow', 0)}个、绿灯{s.lights.get('green', 0)}个。"
        )
    doc.paragraph(f"{as_of(data.as_of)}未解决卡点{data.blockers_open}个，其中逾期{data.blockers_overdue}个。")
    if data.sectors:
        doc.section("分行业领域进度")
        doc.table(
            ["行业领域", "项目数", "年度计划", "累计完成", "完成率", "序时进度", GAP],
            [
                [f.label, f.projects, f.planned, f.ytd, pct(f.rate), pct(f.target), gap(f.gap)]
                for f in data.sectors
            ],
            note="单位：万元",
            widths_cm=[2.6, 1.4, 2.8, 2.8, 2, 2, 2],
        )
    doc.section("进度滞后的项目及其卡点")
    _project_table(doc, data.lagging, "无进度滞后项目。")
    doc.section("未开工项目及其卡点")
    _project_table(doc, data.not_started, "无应开未开项目。", missing=True)
    doc.section("待研究决策的卡点")
    if data.awaiting_decision:
        doc.table(
            ["序号", "项目", "类别", "问题", "牵头单位", "提请理由"],
            [
                [
                    i,
                    b.project.name,
                    b.get_kind_display(),
                    b.description,
                    b.lead_unit.name,
                    b.escalation_reason,
                ]
                for i, b in enumerate(data.awaiting_decision, start=1)
            ],
            widths_cm=[1, 3.5, 2, 5, 2.5, 3],
        )
    else:
        doc.paragraph("暂无提请县政府研究的卡点。")
    return _finish(doc, region, head)


def _project_table(doc: GovDocument, lines: list, empty: str, *, missing: bool = False) -> None:
    """Projects with their blockers; for projects not started (`missing`), also what each still lacks to
    start and who owns it (approvals.readiness), in place of the completion rate."""
    if not lines:
        doc.paragraph(empty)
        return
    rows = []
    for i, line in enumerate(lines, start=1):
        blockers = "；".join(f"{b.get_kind_display()}：{clause(b.description)}" for b in line.blockers) or "—"
        middle = [summary(line.missing) or "具备开工条件"] if missing else [pct(line.rate)]
        rows.append(
            [
                i,
                line.project.name,
                line.project.lead_unit.name,
                line.planned,
                *middle,
                LIGHTS.get(line.light, "—"),
                blockers,
            ]
        )
    doc.table(
        ["序号", "项目", "责任单位", "年度计划", "缺少的开工条件" if missing else "完成率", "灯号", "卡点"],
        rows,
        note="单位：万元",
        widths_cm=[1, 3, 2.2, 1.8, 3.8, 1.2, 4] if missing else [1, 3.5, 2.5, 2, 1.6, 1.2, 5],
    )


def as_of(on: dt.date | None) -> str:
    """截至10月11日，: the day counts were taken on (blockers.selectors.counts_as_of)."""
    return "当前" if on is None else f"截至{on.month}月{on.day}日，"


def _number(value: Decimal) -> str:
    """10 for 10.00, 7.5 for 7.50: a threshold as a rule is written."""
    return f"{Decimal(value).normalize():f}"


def criticise_rule(data: QuarterlyData) -> str:
    """The year's criticism rule as the dispatch prints it (YearSetting, set by the office)."""
    rule, year = data.rule, data.period.year
    if rule.criticise_by == rule.Criticise.GAP:
        what = f"完成率滞后序时进度超过{_number(rule.criticise_gap)}个百分点的参与排名单位"
    else:
        what = f"排名后{rule.criticise_count}位的单位（并列者同列）"
    return f"按照{year}年度通报规则，{what}"


def commend_rule(data: QuarterlyData) -> str:
    rule, year = data.rule, data.period.year
    if rule.commend_by == rule.Commend.RATE:
        what = f"完成率达到{_number(rule.commend_rate)}%及以上的参与排名单位"
    else:
        what = f"排名前{rule.commend_count}位的单位（并列者同列）"
    return f"按照{year}年度通报规则，{what}"


def _apart(doc: GovDocument, rows: list) -> None:
    if rows:
        names = "、".join(r.label for r in rows)
        doc.paragraph(f"{names}仅有开工时间未到的前期项目，本期无序时进度要求，不参与排名。")


def quarterly_docx(region: Region, data: QuarterlyData, *, head: Head) -> bytes:
    doc = _start(region, "关于重点项目推进情况的通报", data.period.label, head)
    s = data.summary
    doc.section("总体情况")
    if s is not None:
        doc.paragraph(
            f"{data.period.label}，{whole(region)}重点项目累计完成投资{fmt(s.ytd)}万元，"
            f"完成年度计划的{pct(s.rate)}，{points(s.gap)}。"
        )
    doc.paragraph(
        f"应开工项目{data.starts_planned}个，实际开工{data.starts_made}个；"
        f"本季度解决卡点{data.resolved}个，其中按期解决{data.resolved_on_time}个。"
    )
    doc.section("责任单位排名")
    if data.units:
        doc.table(
            ["名次", "责任单位", "项目数", "完成率", GAP, "应开工", "已开工", "解决卡点", "按期解决"],
            [
                [
                    r.rank,
                    r.label,
                    r.projects,
                    pct(r.rate),
                    gap(r.gap),
                    r.starts_planned,
                    r.starts_made,
                    r.resolved,
                    r.resolved_on_time,
                ]
                for r in data.units
            ],
            widths_cm=[1.1, 3.6, 1.3, 1.7, 2.0, 1.3, 1.3, 1.6, 1.7],
        )
    _apart(doc, data.units_apart)
    doc.section("乡镇（街道）排名")
    if data.townships:
        doc.table(
            ["名次", "乡镇（街道）", "项目数", "完成率", GAP],
            [[r.rank, r.label, r.projects, pct(r.rate), gap(r.gap)] for r in data.townships],
            widths_cm=[1.2, 5.4, 2, 2.5, 4.5],
        )
        _apart(doc, data.townships_apart)
    else:
        doc.paragraph("无乡镇（街道）数据。")
    doc.section("通报表扬名单")
    if data.commended:
        doc.paragraph(
            f"{commend_rule(data)}，予以通报表扬：" + "、".join(r.label for r in data.commended) + "。"
        )
    else:
        doc.paragraph(f"{commend_rule(data)}予以通报表扬。本季度无单位达到表扬条件。")
    doc.section("红灯预警名单")
    if data.red_list:
        doc.paragraph(f"{criticise_rule(data)}，予以通报批评，请限期整改：")
        doc.table(
            ["责任单位", "完成率", GAP, "应开工", "已开工"],
            [[r.label, pct(r.rate), gap(r.gap), r.starts_planned, r.starts_made] for r in data.red_list],
            widths_cm=[5.1, 2.5, 3.5, 2.2, 2.3],
        )
    else:
        doc.paragraph(f"{criticise_rule(data)}予以通报批评。本季度无通报批评单位。")
    return _finish(doc, region, head)
