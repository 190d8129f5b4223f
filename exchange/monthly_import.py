"""A unit's monthly figures (month investment, physical progress, completion %, workers, problems).

Each row becomes the project's monthly report for the batch's month, saved as a draft through
reports.services.report_save (so the reports workflow, its permissions and its history apply).
A unit reaches only the projects it files reports for; a report already submitted or approved
is an error, not silently overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as __

from accounts.models import User
from lib.tabular import Table
from projects.models import Project

from . import cells
from .cells import ERROR, CellError, Problem
from .headers import FieldSpec, Header, find_header, is_banner
from .models import ImportBatch
from .project_import import Preview, Row

FIELDS = [
    FieldSpec("seq", __("No."), (r"序号", r"No\.?")),
    FieldSpec("code", __("Code"), (r"项目(编号|编码|代码)", r"编号|编码|代码", r"(project)?code")),
    FieldSpec("name", __("Project name"), (r"项目名称", r"名称", r"(project)?name")),
    FieldSpec(
        "amount",
        __("Investment in the month"),
        (
            r"(本月|当月|\d{1,2}月(份)?)(完成|实际完成)?投资(额)?",
            r"月完成投资(额)?",
            r"(investment|amount)inthemonth",
            r"monthinvestment",
        ),
        required=True,
    ),
    FieldSpec(
        "progress",
        __("Physical progress"),
        (r"(本月|当月)?形象进度", r"(工程|项目)?进展情况|工程进度|项目进度", r"physicalprogress"),
    ),
    FieldSpec(
        "completion_pct",
        __("Completion %"),
        (r"(形象进度)?完成(率|比例|百分比)", r"形象进度百分比", r"(physical)?completion%?"),
    ),
    FieldSpec("started", __("Started"), (r"是否开工|开工情况", r"(constructionstarted|started)")),
    FieldSpec("start_date", __("Actual start date"), (r"(实际)?开工(日期|时间)", r"actualstartdate")),
    FieldSpec("workers", __("Workers on site"), (r"(施工|在岗|务工|用工|现场)人数", r"workers(onsite)?")),
    FieldSpec(
        "problems", __("Problems"), (r"(存在的?|主要)?(问题|困难)(和|及)?(困难|问题)?(及建议)?", r"problems")
    ),
]
YES = {"是", "已开工", "已", "开工", "√", "yes", "y", "true", "1"}
NO = {"否", "未开工", "未", "no", "n", "false", "0", "×"}


class MonthlyPreview(Preview):
    row_template = "exchange/_rows_monthly.html"

    @property
    def sums(self) -> list[tuple[str, Decimal]]:
        return [(_("Investment in the month"), self.total("amount"))]


def reachable(user: User) -> Project.objects:
    """The projects whose monthly reports the user files (as reports.services.can_file allows)."""
    if user.is_office:
        return Project.objects.for_user(user)
    if user.is_unit and user.unit_id:
        return Project.objects.for_user(user).filter(lead_unit_id=user.unit_id)
    return Project.objects.none()


def preview_monthly(tables: list[Table], *, batch: ImportBatch) -> MonthlyPreview:
    from reports.models import MonthlyReport
    from reports.services import can_edit, projects_started_before

    preview = MonthlyPreview(year=batch.year, region=batch.region)
    found = [(t, h) for t in tables if (h := find_header(t, FIELDS))]
    if not found:
        preview.problems.append(
            Problem(
                ERROR,
                tables[0].name if tables else "",
                0,
                message=_(
                    "No header row with a “项目名称” (project name) column was found in the first rows of any sheet."
                ),
            )
        )
        return preview
    scoped = reachable(batch.user).filter(region__path__startswith=batch.region.path)
    projects = list(scoped)
    started = projects_started_before(projects=scoped, year=batch.year, month=batch.month, user=batch.user)
    by_code = {p.code: p for p in projects}
    by_name = {p.name: p for p in projects}
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(
            project__in=projects, year=batch.year, month=batch.month
        ).select_related("project__lead_unit")
    }
    seen: dict[int, int] = {}
    for table, header in found:
        if "amount" not in header.columns:
            preview.problems.append(
                Problem(
                    ERROR,
                    table.name,
                    header.top + 1,
                    message=_("The required column “%(label)s” is missing.") % {"label": FIELDS[3].label},
                )
            )
            continue
        for r in range(header.first_data_row, len(table.rows)):
            values = table.rows[r]
            if not any(v is not None for v in values) or is_banner(values):
                continue
            if all(isinstance(v, Decimal) for v in values if v is not None):
                continue
            row = _read_row(table, header, r, preview)
            if row is None:
                continue
            project = by_code.get(str(row.values.get("code") or "")) or by_name.get(str(row.values["name"]))
            if project is None:
                _problem(
                    preview,
                    table,
                    header,
                    r,
                    "name",
                    _("“%(name)s” is not one of the projects you report for.")
                    % {"name": row.values["name"] or row.values.get("code")},
                )
                continue
            if project.pk in seen:
                _problem(
                    preview,
                    table,
                    header,
                    r,
                    "name",
                    _("The project appears twice: also on row %(other)d.") % {"other": seen[project.pk]},
                )
                continue
            seen[project.pk] = r + 1
            report = reports.get(project.pk)
            if report is not None and not can_edit(batch.user, report):
                _problem(
                    preview,
                    table,
                    header,
                    r,
                    "name",
                    _("The %(month)s report of “%(name)s” is %(status)s and cannot be changed by an import.")
                    % {
                        "month": f"{batch.year}-{batch.month:02d}",
                        "name": project.name,
                        "status": report.get_status_display(),
                    },
                )
                continue
            if row.values.get("started") is False and project.pk in started:
                # As on the report page: a started project stays started unless a correction, with
                # its reason, says otherwise — and that is made on the report page, not by a file.
                _problem(
                    preview,
                    table,
                    header,
                    r,
                    "started",
                    _("“%(name)s” has already started; correct that on its report page, with the reason.")
                    % {"name": project.name},
                )
                continue
            row.project_id = project.pk
            row.values.update(code=project.code, name=project.name)
            row.action = "update" if report else "create"
            preview.rows.append(row)
    return preview


def _problem(preview, table: Table, header: Header, r: int, key: str | None, message: str) -> None:
    column = header.letter(key) if key and key in header.columns else ""
    label = header.label(key) if column else ""
    preview.problems.append(Problem(ERROR, table.name, r + 1, column, label, message))


def _read_row(table: Table, header: Header, r: int, preview: MonthlyPreview) -> Row | None:
    def get(key: str) -> object:
        col = header.columns.get(key)
        return None if col is None else table.cell(r, col)

    name, code = cells.text(get("name")), cells.text(get("code"))
    seq = cells.text(get("seq"))
    label = (name or seq).lower().replace(" ", "")
    if not name and not code:
        return None
    if (
        label.startswith(("合计", "总计", "total"))
        or "小计" in label
        or cells.is_group_row(seq, name, has_unit=True)
    ):
        return None
    values: dict[str, object] = {"name": name, "code": code}
    ok = True
    parsers = {
        "amount": lambda v: cells.amount(v, header.factors[header.columns["amount"]]),
        "completion_pct": _percent,
        "started": _yes_no,
        "start_date": _date,
        "workers": _count,
    }
    for key, parse in parsers.items():
        if key not in header.columns:
            continue
        try:
            values[key] = parse(get(key))
        except CellError as exc:
            _problem(preview, table, header, r, key, str(exc))
            ok = False
    if values.get("amount") is None:
        if "amount" in values:
            _problem(preview, table, header, r, "amount", _("The amount is missing."))
        ok = False
    for key in ("progress", "problems"):
        if key in header.columns:
            values[key] = cells.text(get(key))
    if not values.get("progress"):
        _problem(
            preview,
            table,
            header,
            r,
            "progress" if "progress" in header.columns else None,
            _("The physical progress is missing."),
        )
        ok = False
    if values.get("start_date") and "started" not in values:
        values["started"] = True
    if values.get("started") and not values.get("start_date"):
        _problem(
            preview,
            table,
            header,
            r,
            "start_date" if "start_date" in header.columns else "started",
            _("Give the date construction actually started."),
        )
        ok = False
    if values.get("started") is None:
        values.pop("started", None)
    return Row(table.name, r + 1, values) if ok else None


def _percent(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    raw = cells.text(value).replace("%", "").replace("％", "")
    try:
        pct = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a percentage") % {"value": value})
    if not (0 <= pct <= 100):
        raise CellError(_("“%(value)s” is not between 0 and 100") % {"value": value})
    return pct.quantize(Decimal("0.01"))


def _yes_no(value: object) -> bool | None:
    raw = cells.text(value).lower()
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(_("“%(value)s” is not 是 or 否") % {"value": value})


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", cells.text(value))
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        pass
    raise CellError(_("“%(value)s” is not a date such as 2020-03-15") % {"value": value})


def _count(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(cells.text(value).removesuffix("人"))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number of people") % {"value": value})
    if number < 0 or number != number.to_integral_value():
        raise CellError(_("“%(value)s” is not a number of people") % {"value": value})
    return int(number)


def write_monthly(preview: MonthlyPreview, *, batch: ImportBatch, user: User) -> None:
    """Save every row as the month's report (a draft, or the report's current editable state).

    Only through report_save, which also refreshes the project's ProjectMonth rows in the import's
    transaction: the import writes no report and no summary row of its own.
    """
    from reports.services import REPORT_FIELDS, report_save

    projects = {p.pk: p for p in Project.objects.filter(pk__in=[r.project_id for r in preview.rows])}
    for row in preview.rows:
        data = {k: v for k, v in row.values.items() if k in REPORT_FIELDS and v is not None}
        report_save(project=projects[row.project_id], year=batch.year, month=batch.month, data=data, by=user)
