"""Read a key-project list into a preview: rows to create, rows to update, and every problem.

Nothing here writes; services.import_confirm writes what a preview says, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lib.money import ZERO
from lib.tabular import Table
from projects.models import Project, YearPlan
from regions.models import Region

from . import cells
from .cells import ERROR, WARNING, CellError, Problem
from .headers import Header, find_header, is_banner
from .matching import LEADER, SECTOR, UNIT, Directory, Ref
from .project_columns import CHANGE_LABELS, FIELDS, LEVELS, MONEY_KEYS, STAGES

TOTAL_WORDS = ("合计", "总计", "全部", "total")
SUBTOTAL_WORDS = ("小计", "subtotal")


@dataclass
class Row:
    """One project as the file states it, resolved against the database."""

    sheet: str
    row: int
    values: dict[str, object]
    action: str = "create"
    project_id: int | None = None
    changes: list[str] = field(default_factory=list)

    def get(self, key: str) -> object:
        return self.values.get(key)

    @property
    def change_labels(self) -> list[str]:
        return [str(CHANGE_LABELS.get(key, key)) for key in self.changes]


@dataclass
class Check:
    """A subtotal, group or total row of the file compared with the rows it covers."""

    sheet: str
    row: int
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Preview:
    year: int
    region: Region
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    proposals: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def creates(self) -> list[Row]:
        return [r for r in self.rows if r.action == "create"]

    @property
    def updates(self) -> list[Row]:
        return [r for r in self.rows if r.action == "update"]

    @property
    def can_confirm(self) -> bool:
        return bool(self.rows) and not self.errors

    row_template = "exchange/_rows_projects.html"

    @property
    def sums(self) -> list[tuple[str, Decimal]]:
        return [
            (_("Total investment"), self.total("total_investment")),
            (_("Annual planned investment"), self.total("planned_investment")),
        ]

    def total(self, key: str) -> Decimal:
        return sum((r.values.get(key) or ZERO for r in self.rows), ZERO)

    def fingerprint(self) -> str:
        """Changes when what confirming would write changes (the file, acceptances or the database)."""
        digest = hashlib.sha256()
        for r in self.rows:
            digest.update(
                repr((r.action, r.project_id, sorted(r.values.items(), key=lambda kv: kv[0]))).encode()
            )
        return digest.hexdigest()


def preview_projects(
    tables: list[Table], *, year: int, region: Region, accepted: dict | None = None
) -> Preview:
    """Every sheet with a recognisable header is read; the others are ignored."""
    preview = Preview(year=year, region=region)
    directory = Directory(region, accepted)
    headers = [(t, h) for t in tables if (h := find_header(t, FIELDS))]
    if not headers:
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
    for table, header in headers:
        missing = [spec for spec in FIELDS if spec.required and spec.key not in header.columns]
        for spec in missing:
            preview.problems.append(
                Problem(
                    ERROR,
                    table.name,
                    header.top + 1,
                    message=_("The required column “%(label)s” is missing.") % {"label": spec.label},
                )
            )
        if missing:
            continue
        _SheetReader(table, header, preview, directory).read()
    preview.proposals = {k: dict(v) for k, v in directory.proposals.items() if v}
    _find_duplicates(preview)
    _resolve_existing(preview)
    return preview


class _SheetReader:
    def __init__(self, table: Table, header: Header, preview: Preview, directory: Directory) -> None:
        self.table, self.header, self.preview, self.directory = table, header, preview, directory
        sheet_sector = directory.find(SECTOR, table.name)
        self.sector: Ref | None = Ref(SECTOR, table.name, sheet_sector) if sheet_sector else None
        # Every project row read on this sheet, with or without errors: what subtotals are checked against.
        self.counted: list[dict[str, object]] = []
        self.group_start = 0
        self.sheet_start = 0
        self.pending: list[tuple[int, str, dict[str, Decimal], dict[str, Decimal], int | None, int]] = []

    def problem(self, row: int, key: str | None, message: str, level: str = ERROR) -> None:
        column = self.header.letter(key) if key and key in self.header.columns else ""
        label = self.header.label(key) if column else ""
        self.preview.problems.append(Problem(level, self.table.name, row, column, label, message))

    def get(self, r: int, key: str) -> object:
        col = self.header.columns.get(key)
        return None if col is None else self.table.cell(r, col)

    def read(self) -> None:
        col = self.header.columns["planned"]
        year = self.header.header_years.get(col)
        if year and year != self.preview.year:
            self.problem(
                self.header.first_data_row,
                "planned",
                _("The column is for %(col)d but the import is for %(year)d.")
                % {"col": year, "year": self.preview.year},
                WARNING,
            )
        for r in range(self.header.first_data_row, len(self.table.rows)):
            values = self.table.rows[r]
            if not any(v is not None for v in values) or is_banner(values):
                continue
            if all(isinstance(v, Decimal) for v in values if v is not None):
                continue  # a "1 2 3 ..." column-numbering row
            name = cells.text(self.get(r, "name"))
            seq = cells.text(self.get(r, "seq"))
            label = name or seq
            lowered = label.lower().replace(" ", "")
            if any(lowered.startswith(w) for w in TOTAL_WORDS):
                self._check(r, label, start=self.sheet_start, count=cells.group_label(label)[1])
            elif any(w in lowered for w in SUBTOTAL_WORDS):
                self._check(r, label, start=self.group_start, count=cells.group_label(label)[1])
                self.group_start = len(self.counted)
            elif cells.is_group_row(seq, label, has_unit=self.get(r, "lead_unit") is not None):
                self._group(r, label)
            elif not name:
                if any(self.get(r, k) is not None for k in MONEY_KEYS):
                    self.problem(r + 1, "name", _("The project name is missing."))
            else:
                self._project(r, name)
        self._close_group()

    def _money(self, r: int, key: str) -> Decimal | None:
        col = self.header.columns.get(key)
        if col is None:
            return None
        return cells.amount(self.table.cell(r, col), self.header.factors[col])

    def _group(self, r: int, label: str) -> None:
        self._close_group()
        sector_name, count = cells.group_label(label)
        pk = self.directory.find(SECTOR, sector_name) if sector_name else None
        if "sector" not in self.header.columns and sector_name:
            self.sector = self.directory.ref(SECTOR, sector_name, r + 1)
            if self.sector is None:
                # One error here rather than one on every row below; the rows stay in the preview.
                self.problem(r + 1, None, _("Unknown sector “%(name)s”.") % {"name": sector_name})
                self.sector = Ref(SECTOR, sector_name, -1)
        elif pk:
            self.sector = Ref(SECTOR, sector_name, pk)
        self.group_start = len(self.counted)
        stated, tolerance = self._stated(r)
        self.pending.append((r, label, stated, tolerance, count, self.group_start))

    def _close_group(self) -> None:
        for r, label, stated, tolerance, count, start in self.pending:
            self._compare(r, label, stated, tolerance, count, start, len(self.counted))
        self.pending = []

    def _stated(self, r: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
        stated: dict[str, Decimal] = {}
        tolerance: dict[str, Decimal] = {}
        for key in MONEY_KEYS:
            col = self.header.columns.get(key)
            if col is None:
                continue
            raw = self.table.cell(r, col)
            try:
                value = cells.amount(raw, self.header.factors[col])
            except CellError:
                continue  # a subtotal cell with text is not worth an error of its own
            if value is not None:
                stated[key] = value
                tolerance[key] = cells.precision(raw, self.header.factors[col])
        return stated, tolerance

    def _check(self, r: int, label: str, *, start: int, count: int | None) -> None:
        self._close_group()
        stated, tolerance = self._stated(r)
        self._compare(r, label, stated, tolerance, count, start, len(self.counted))

    def _compare(self, r, label, stated, tolerance, count, start, end) -> None:
        rows = self.counted[start:end]
        wrong = []
        if count is not None and count != len(rows):
            wrong.append(
                _("it says %(stated)d projects, %(read)d were read") % {"stated": count, "read": len(rows)}
            )
        for key, value in stated.items():
            read = sum((row.get(_VALUE_KEYS[key]) or ZERO for row in rows), ZERO)
            if abs(read - value) > tolerance[key]:
                wrong.append(
                    _("%(label)s: it says %(stated)s, the rows add up to %(read)s")
                    % {"label": self.header.label(key), "stated": f"{value:,.2f}", "read": f"{read:,.2f}"}
                )
        self.preview.checks.append(Check(self.table.name, r + 1, label, not wrong, "; ".join(wrong)))
        if wrong:
            self.problem(
                r + 1,
                None,
                _("“%(label)s” does not match the rows read: %(detail)s")
                % {"label": label, "detail": "; ".join(wrong)},
                WARNING,
            )

    def _project(self, r: int, name: str) -> None:
        line = r + 1
        values: dict[str, object] = {"name": name}
        ok = True
        if len(name) > 120:
            self.problem(line, "name", _("The text is longer than %(size)d characters.") % {"size": 120})
            ok = False
        for key in MONEY_KEYS:
            try:
                value = self._money(r, key)
            except CellError as exc:
                self.problem(line, key, str(exc))
                ok = False
                continue
            if key in ("total", "planned") and value is None:
                self.problem(line, key, _("The amount is missing."))
                ok = False
            if key in self.header.columns:
                values[_VALUE_KEYS[key]] = value if value is not None else ZERO
        ok &= self._texts(r, values)
        ok &= self._references(r, values)
        if ok:
            self.preview.rows.append(Row(self.table.name, line, values))
        self.counted.append(values)

    def _texts(self, r: int, values: dict[str, object]) -> bool:
        ok = True
        simple = {
            "code": ("code", 30),
            "content": ("content", 10000),
            "owner": ("owner", 100),
            "funding": ("funding_sources", 200),
            "contact": ("contact_person", 40),
            "phone": ("contact_phone", 40),
            "progress_target": ("progress_target", 10000),
        }
        for key, (target, size) in simple.items():
            if key in self.header.columns:
                values[target] = cells.text(self.get(r, key))
                if len(values[target]) > size:
                    self.problem(
                        r + 1, key, _("The text is longer than %(size)d characters.") % {"size": size}
                    )
                    ok = False
        parsers = {
            "period": lambda v: dict(zip(("planned_start", "planned_end"), cells.period(v), strict=True)),
            "start_month": lambda v: {"planned_start_month": cells.month(v, self.preview.year)},
        }
        for key, parse in parsers.items():
            if key in self.header.columns:
                try:
                    values.update(parse(self.get(r, key)))
                except CellError as exc:
                    self.problem(r + 1, key, str(exc))
                    ok = False
        if "stage" in self.header.columns:
            raw = cells.text(self.get(r, "stage"))
            key = raw.lower().replace(" ", "")
            found = [(target, v) for words, target, v in STAGES if any(w in key for w in words)]
            for target, value in found[:2]:
                values.setdefault(target, value)
            if raw and not found:
                self.problem(
                    r + 1,
                    "stage",
                    _("“%(value)s” is not a stage (新开工, 续建, 竣工, 前期) or nature (新建, 改扩建)")
                    % {"value": raw},
                )
                ok = False
        if "level" in self.header.columns:
            raw = cells.text(self.get(r, "level")).lower()
            level = next((v for words, v in LEVELS if any(w in raw for w in words)), None)
            if raw and level is None:
                self.problem(
                    r + 1,
                    "level",
                    _("“%(value)s” is not a level (县级, 市级, 省级)") % {"value": raw},
                    WARNING,
                )
            values["level"] = level or Project.Level.COUNTY
        return ok

    def _references(self, r: int, values: dict[str, object]) -> bool:
        line, ok = r + 1, True
        unit_name = cells.text(self.get(r, "lead_unit"))
        if "lead_unit" not in self.header.columns or not unit_name:
            self.problem(line, "lead_unit", _("The responsible unit is missing."))
            ok = False
        else:
            # Several units in the lead column: the first leads, the others cooperate.
            first, *others = cells.names(unit_name) or [unit_name]
            lead = self.directory.ref(UNIT, first, line)
            if lead is None:
                self.problem(line, "lead_unit", _("Unknown responsible unit “%(name)s”.") % {"name": first})
                ok = False
            values["lead_unit"] = lead
            if others:
                values["cooperating_units"] = others
        if "cooperating" in self.header.columns or values.get("cooperating_units"):
            refs = []
            for name in [*values.get("cooperating_units", []), *cells.names(self.get(r, "cooperating"))]:
                ref = self.directory.ref(UNIT, name, line)
                if ref is None:
                    self.problem(
                        line, "cooperating", _("Unknown cooperating unit “%(name)s”.") % {"name": name}
                    )
                    ok = False
                elif ref != values.get("lead_unit") and ref not in refs:
                    refs.append(ref)
            values["cooperating_units"] = tuple(refs)
        if "leader" in self.header.columns:
            title = cells.text(self.get(r, "leader"))
            values["leader"] = self.directory.ref(LEADER, title, line) if title else None
            if title and values["leader"] is None:
                self.problem(line, "leader", _("Unknown leader in charge “%(name)s”.") % {"name": title})
                ok = False
        if "location" in self.header.columns:
            place = cells.text(self.get(r, "location"))
            parts = cells.names(place)
            found = [self.directory.find("township", p) for p in parts]
            values["townships"] = tuple(sorted({pk for pk in found if pk}))
            values["location"] = "" if parts and all(found) else place[:120]
        sector = self._sector(r, line)
        if sector is None:
            ok = False
        values["sector"] = sector
        return ok

    def _sector(self, r: int, line: int) -> Ref | None:
        name = cells.text(self.get(r, "sector"))
        if name:
            ref = self.directory.ref(SECTOR, name, line)
            if ref is None:
                self.problem(line, "sector", _("Unknown sector “%(name)s”.") % {"name": name})
            return ref
        if self.sector is None:
            self.problem(
                line,
                "sector" if "sector" in self.header.columns else None,
                _("No sector: neither a sector column nor a group row such as “一、交通（12个）” gives one."),
            )
        return self.sector


_VALUE_KEYS = {"total": "total_investment", "planned": "planned_investment", "before": "invested_before"}
PLAN_FIELDS = ("stage", "planned_investment", "invested_before", "planned_start_month", "progress_target")


def _find_duplicates(preview: Preview) -> None:
    seen: dict[tuple[str, str], Row] = {}
    kept = []
    for row in preview.rows:
        keys = [("name", str(row.get("name")))]
        if row.get("code"):
            keys.append(("code", str(row.get("code"))))
        twin = next((seen[k] for k in keys if k in seen), None)
        if twin:
            preview.problems.append(
                Problem(
                    ERROR,
                    row.sheet,
                    row.row,
                    message=_("“%(name)s” appears twice: it is also on row %(other)d of sheet %(sheet)s.")
                    % {"name": row.get("name"), "other": twin.row, "sheet": twin.sheet},
                )
            )
            continue
        seen.update({k: row for k in keys})
        kept.append(row)
    preview.rows = kept


def _resolve_existing(preview: Preview) -> None:
    """Rows whose code (else name) exists in the region update that project; codes are given to new rows."""
    plans = YearPlan.objects.filter(year=preview.year)
    existing = list(
        Project.objects.filter(region=preview.region).prefetch_related(
            "cooperating_units", "townships", Prefetch("plans", queryset=plans, to_attr="year_plans")
        )
    )
    by_code = {p.code: p for p in existing}
    by_name = {p.name: p for p in existing}
    used = set(by_code)
    for row in preview.rows:
        project = (by_code.get(str(row.get("code"))) if row.get("code") else None) or by_name.get(
            str(row.get("name"))
        )
        plan = project.year_plans[0] if project and project.year_plans else None
        if "stage" not in row.values:
            before = row.values.get("invested_before") or ZERO
            fallback = YearPlan.Stage.CONTINUING if before > 0 else YearPlan.Stage.NEW
            row.values["stage"] = YearPlan.Stage(plan.stage) if plan else fallback
        if project is None:
            continue
        row.action, row.project_id = "update", project.pk
        if not row.get("code") or (row.get("code") != project.code and row.get("code") in used):
            row.values["code"] = project.code
        used.add(str(row.get("code")))
        row.changes = _changes(project, plan, row)
    n = 0
    for row in preview.creates:
        if not row.get("code"):
            while (code := f"{preview.year}{n + 1:03d}") in used:
                n += 1
            row.values["code"] = code
            used.add(code)


def _changes(project: Project, plan: YearPlan | None, row: Row) -> list[str]:
    changed = []
    for key, value in row.values.items():
        if key in PLAN_FIELDS:
            current = getattr(plan, key, None) if plan else None
        elif key in ("cooperating_units",):
            current = tuple(sorted(u.pk for u in project.cooperating_units.all()))
            value = tuple(sorted(ref.pk or 0 for ref in value))
        elif key == "townships":
            current = tuple(sorted(t.pk for t in project.townships.all()))
        elif key in ("sector", "lead_unit", "leader"):
            current = getattr(project, f"{key}_id")
            value = value.pk if isinstance(value, Ref) else None
        else:
            current = getattr(project, key, None)
        if isinstance(current, dt.date) and isinstance(value, dt.date):
            same = current == value
        else:
            same = (current or "") == (value or "") if not isinstance(value, Decimal) else current == value
        if not same:
            changed.append(key)
    if plan is None:
        changed.append("plan")
    return changed


def summarise(preview: Preview) -> dict[str, object]:
    """Counts and sums for the batch list and the command line."""
    return {
        "rows": len(preview.rows),
        "create": len(preview.creates),
        "update": len(preview.updates),
        "errors": len(preview.errors),
        "warnings": len(preview.warnings),
        "sums": [[str(label), str(value)] for label, value in preview.sums],
    }
