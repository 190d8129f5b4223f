"""Read a key-project list into a preview: rows to create, rows to update, and every problem.

Nothing here writes; services.import_confirm writes what a preview says, in one transaction.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.money import ZERO
from lib.tabular import Table
from projects.models import Project, clean_national_code
from regions.models import Region

from . import cells
from .cells import DECIDE, ERROR, WARNING, CellError, Problem
from .headers import Header, find_header, is_banner
from .matching import LEADER, SECTOR, UNIT, Directory, Ref
from .preview import Check, Preview, ProjectPreview, Row, SectorChoice, summarise, summary_line
from .project_changes import PLAN_FIELDS, apply_choices, resolve_existing
from .project_columns import FIELDS, LEVELS, MONEY_KEYS, STAGES
from .sectors import propose_sector

__all__ = ["PLAN_FIELDS", "Preview", "Row", "preview_projects", "summarise", "summary_line"]

TOTAL_WORDS = ("合计", "总计", "全部", "total")
SUBTOTAL_WORDS = ("小计", "subtotal")


def preview_projects(
    tables: list[Table], *, year: int, region: Region, accepted: dict | None = None
) -> Preview:
    """Every sheet with a recognisable header is read; the others are ignored."""
    accepted = accepted or {}
    preview = ProjectPreview(year=year, region=region)
    directory = Directory(region, accepted)
    preview.sectors = dict(sorted(directory.names[SECTOR].items(), key=lambda kv: kv[1]))
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
        _SheetReader(table, header, preview, directory, accepted.get("sectors") or {}).read()
    preview.proposals = {k: dict(v) for k, v in directory.proposals.items() if v}
    preview.matches = directory.open_matches()
    _find_duplicates(preview)
    resolve_existing(preview)
    _check_national_codes(preview)
    apply_choices(preview, accepted)
    return preview


def _check_national_codes(preview: Preview) -> None:
    """A national project code is one project's: twice in the file, or another project's already,
    is an error on the row (one query)."""
    coded = [row for row in preview.rows if row.get("national_code")]
    holders = dict(
        Project.objects.filter(national_code__in={row.get("national_code") for row in coded}).values_list(
            "national_code", "pk"
        )
    )
    seen: set[str] = set()
    for row in coded:
        code = str(row.get("national_code"))
        if code in seen:
            message = _("The project code %(code)s appears twice in the file.") % {"code": code}
        elif holders.get(code, row.project_id) != row.project_id:
            message = _("Another project has the project code %(code)s.") % {"code": code}
        else:
            seen.add(code)
            continue
        preview.problems.append(Problem(ERROR, row.sheet, row.row, message=message))


class _SheetReader:
    def __init__(
        self, table: Table, header: Header, preview: Preview, directory: Directory, chosen: dict[str, int]
    ) -> None:
        self.table, self.header, self.preview, self.directory = table, header, preview, directory
        self.chosen = chosen  # {"sheet!row": sector pk} the office chose for rows without a sector
        sheet_sector = directory.find(SECTOR, table.name)
        self.sector: Ref | None = Ref(SECTOR, table.name, sheet_sector) if sheet_sector else None
        # Every project row read on this sheet, with or without errors: what subtotals are checked against.
        self.counted: list[dict[str, object]] = []
        self.group_start = 0
        self.sheet_start = 0
        self.pending: list[tuple[int, str, dict[str, Decimal], dict[str, Decimal], int | None, int]] = []
        # Total rows met before any project (under the header, or above it): checked at the sheet's end.
        self.totals_ahead: list[tuple[int, str, dict[str, Decimal], dict[str, Decimal], int | None]] = []
        self.has_groups = False

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
        for r in range(self.header.top):  # a total row above the header: "合计" in the name column
            label = cells.text(self.get(r, "name")) or cells.text(self.get(r, "seq"))
            if self._is_total(label) and not is_banner(self.table.rows[r]):
                self._total_ahead(r, label)
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
            if self._is_total(label) and len(self.counted) == self.sheet_start:
                self._total_ahead(r, label)  # under the header, before the rows it sums
            elif self._is_total(label):
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
        for r, label, stated, tolerance, count in self.totals_ahead:
            self._compare(r, label, stated, tolerance, count, self.sheet_start, len(self.counted))

    @staticmethod
    def _is_total(label: str) -> bool:
        lowered = label.lower().replace(" ", "")
        return any(lowered.startswith(w) for w in TOTAL_WORDS)

    def _total_ahead(self, r: int, label: str) -> None:
        stated, tolerance = self._stated(r)
        self.totals_ahead.append((r, label, stated, tolerance, cells.group_label(label)[1]))

    def _money(self, r: int, key: str) -> Decimal | None:
        col = self.header.columns.get(key)
        if col is None:
            return None
        return cells.amount(self.table.cell(r, col), self.header.factors[col])

    def _group(self, r: int, label: str) -> None:
        self._close_group()
        self.has_groups = True
        sector_name, count = cells.group_label(label)
        pk = self.directory.find(SECTOR, sector_name) if sector_name else None
        if "sector" not in self.header.columns and sector_name:
            self.sector = self.directory.ref(SECTOR, sector_name, r + 1)
            if self.sector is None:
                # One error here rather than one on every row below; the rows stay in the preview.
                self._decide(
                    r + 1,
                    None,
                    _("Unknown sector “%(name)s”: accept it as new above, or correct the file.")
                    % {"name": sector_name},
                )
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
        precision: dict[str, object] = {}
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
                precision[_VALUE_KEYS[key]] = self._tolerance(r, key)
        ok &= self._texts(r, values, precision)
        self._references(r, values)
        if ok:
            self.preview.rows.append(Row(self.table.name, line, values, precision=precision))
        self.counted.append(values)

    def _tolerance(self, r: int, key: str) -> Decimal:
        """How far the database may differ from the cell before an update writes it: nothing for a
        number in 万元 (the spreadsheet keeps it exactly), half a unit of the last digit written for
        text ("6.2万") and for 亿元 ("6.22" 亿元 says nothing of the last 50 万元)."""
        col = self.header.columns[key]
        raw, factor = self.table.cell(r, col), self.header.factors[col]
        if isinstance(raw, Decimal) and factor == 1:
            return ZERO
        return cells.precision(raw, factor)

    def _texts(self, r: int, values: dict[str, object], precision: dict[str, object]) -> bool:
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
        if "national_code" in self.header.columns:
            typed = cells.text(self.get(r, "national_code"))
            try:
                values["national_code"] = clean_national_code(typed) if typed.strip() else ""
            except ValidationError as exc:
                self.problem(r + 1, "national_code", " ".join(exc.messages))
                ok = False
        if "period" in self.header.columns:
            try:
                span = cells.period(self.get(r, "period"))
            except CellError as exc:
                self.problem(r + 1, "period", str(exc))
                ok = False
            else:
                values.update(planned_start=span.start, planned_end=span.end)
                precision.update(planned_start=span.start_precision, planned_end=span.end_precision)
        if "start_month" in self.header.columns:
            try:
                values["planned_start_month"] = cells.month(self.get(r, "start_month"), self.preview.year)
            except CellError as exc:
                self.problem(r + 1, "start_month", str(exc))
                ok = False
        for column in ("stage", "nature"):
            if column not in self.header.columns:
                continue
            raw = cells.text(self.get(r, column))
            key = raw.lower().replace(" ", "")
            found = [(target, v) for words, target, v in STAGES if any(w in key for w in words)]
            for target, value in found[:2]:
                values.setdefault(target, value)
            if raw and not found:
                self.problem(
                    r + 1,
                    column,
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

    def _decide(self, line: int, key: str | None, message: str) -> None:
        self.problem(line, key, message, DECIDE)

    def _pending(self, line: int, key: str, ref: Ref) -> None:
        known = self.directory.names[ref.kind].get(ref.proposed, "")
        self._decide(
            line,
            key,
            _("“%(name)s” may be “%(known)s”: tick the match above, or accept the name as new.")
            % {"name": ref.name, "known": known},
        )

    def _references(self, r: int, values: dict[str, object]) -> None:
        """Units, leader, townships and sector. An unknown or tolerantly matched name is a decision
        for the office (the row stays in the preview, and blocks confirming until decided)."""
        line = r + 1
        unit_name = cells.text(self.get(r, "lead_unit"))
        values["lead_unit"] = None
        if not unit_name:
            self.problem(line, "lead_unit", _("The responsible unit is missing."))
        else:
            # Several units in the lead column: the first leads, the others cooperate.
            first, *others = cells.names(unit_name) or [unit_name]
            lead = self.directory.ref(UNIT, first, line)
            if lead is None:
                self._decide(
                    line,
                    "lead_unit",
                    _("Unknown responsible unit “%(name)s”: accept it as new above, or correct the file.")
                    % {"name": first},
                )
            elif lead.is_pending:
                self._pending(line, "lead_unit", lead)
            values["lead_unit"] = lead
            if others:
                values["cooperating_units"] = others
        if "cooperating" in self.header.columns or values.get("cooperating_units"):
            refs = []
            for name in [*values.get("cooperating_units", []), *cells.names(self.get(r, "cooperating"))]:
                ref = self.directory.ref(UNIT, name, line)
                if ref is None:
                    self._decide(
                        line,
                        "cooperating",
                        _("Unknown cooperating unit “%(name)s”: accept it as new above, or correct the file.")
                        % {"name": name},
                    )
                elif ref.is_pending:
                    self._pending(line, "cooperating", ref)
                if ref is not None and ref != values.get("lead_unit") and ref not in refs:
                    refs.append(ref)
            values["cooperating_units"] = tuple(refs)
        if "leader" in self.header.columns:
            title = cells.text(self.get(r, "leader"))
            values["leader"] = self.directory.ref(LEADER, title, line) if title else None
            if title and values["leader"] is None:
                self._decide(
                    line,
                    "leader",
                    _(
                        "Unknown leader in charge “%(name)s”: accept the post as new above, or correct the file."
                    )
                    % {"name": title},
                )
            elif values["leader"] is not None and values["leader"].is_pending:
                self._pending(line, "leader", values["leader"])
        self._places(r, line, values)
        values["sector"] = self._sector(r, line, values)

    def _places(self, r: int, line: int, values: dict[str, object]) -> None:
        """Townships from their own column, else from 建设地点; what is not a township stays as text.
        A township matched only tolerantly ("洪安" for 洪安镇) counts once the office ticks it."""
        own = "townships" in self.header.columns
        if not own and "location" not in self.header.columns:
            return
        place = cells.text(self.get(r, "townships" if own else "location"))
        parts = cells.names(place)
        found = [self.directory.township(p, line) for p in parts]
        values["townships"] = tuple(sorted({ref.pk for ref in found if ref and ref.pk}))
        if own:
            values["location"] = (
                cells.text(self.get(r, "location"))[:120] if "location" in self.header.columns else None
            )
            if values["location"] is None:
                del values["location"]
        else:
            values["location"] = "" if parts and all(ref and ref.pk for ref in found) else place[:120]

    def _sector(self, r: int, line: int, values: dict[str, object]) -> Ref | None:
        name = cells.text(self.get(r, "sector"))
        if name:
            ref = self.directory.ref(SECTOR, name, line)
            if ref is None:
                self._decide(
                    line,
                    "sector",
                    _("Unknown sector “%(name)s”: accept it as new above, or correct the file.")
                    % {"name": name},
                )
            return ref
        if self.sector is not None:
            return None if self.sector.pk == -1 else self.sector
        return self._propose_sector(line, values)

    def _propose_sector(self, line: int, values: dict[str, object]) -> Ref | None:
        """No sector column, no group row: a sector proposed for the office to confirm in the preview."""
        key = f"{self.table.name}!{line}"
        names = self.directory.names[SECTOR]
        known = self.directory.project_sectors
        existing = known.get(f"code:{values.get('code')}") if values.get("code") else None
        existing = existing or known.get(f"name:{values['name']}")
        if existing is not None:  # a project already in the county keeps its sector
            return Ref(SECTOR, names.get(existing, ""), existing)
        lead = values.get("lead_unit")
        unit_id = (lead.pk or lead.proposed) if isinstance(lead, Ref) else None
        proposal = propose_sector(self.directory, str(values["name"]), unit_id)
        proposed, evidence = proposal if proposal else (None, "")
        chosen = self.chosen.get(key)
        if chosen not in names:
            chosen = None
        self.preview.sector_choices.append(
            SectorChoice(key, self.table.name, line, str(values["name"]), proposed, evidence, chosen)
        )
        if chosen is not None:
            return Ref(SECTOR, names[chosen], chosen)
        self._decide(
            line,
            None,
            _(
                "No sector is given (no sector column, no group row such as “一、交通（12个）”): confirm or choose one above."
            ),
        )
        return Ref(SECTOR, names.get(proposed, ""), proposed=proposed) if proposed else None


_VALUE_KEYS = {"total": "total_investment", "planned": "planned_investment", "before": "invested_before"}


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
