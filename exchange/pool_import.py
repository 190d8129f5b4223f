"""A reserve-pool list as offices exchange it: each row a candidate, created or updated.

A row is the candidate with the same national project code, else the one of the same name and
proposing unit in the county, else a new one. Names (sector, unit, leader, townships, channels) must
be ones the county already has: a name not found is an error the office corrects in the file (or
adds the channel on the channels page), never created by an import. An import never changes a
review: new candidates are the office's own, accepted; the review column of an export is ignored.
Written through pool.services, all or nothing, with the office in the history.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from lib.money import fmt
from lib.tabular import Table
from pool.models import Candidate, FundingChannel, clean_national_code
from pool.services import candidate_edit, candidate_propose, channels_ensure_defaults
from projects.models import Leader, Sector, Township, Unit

from . import cells
from .cells import ERROR, CellError, Problem
from .headers import Header, find_header, is_banner
from .models import ImportBatch
from .pool_columns import CHANGE_LABELS, FIELDS, SPEC, maturity_words, priority_words
from .preview import Change, Preview, Row

SCALARS = (
    "name",
    "national_code",
    "owner",
    "location",
    "content",
    "proposed_start_year",
    "maturity",
    "priority",
)
REFS = ("sector", "lead_unit", "leader")
SETS = ("townships", "channels")


class PoolChange(Change):
    @property
    def label(self) -> str:
        return str(CHANGE_LABELS.get(self.key, self.key))


class PoolPreview(Preview):
    row_template = "exchange/_rows_pool.html"

    @property
    def sums(self) -> list[tuple[str, Decimal]]:
        return [(_("Estimated total investment"), self.total("estimated_investment"))]


class _Names:
    """The county's names, looked up once for the whole file."""

    def __init__(self, batch: ImportBatch) -> None:
        region = batch.region
        channels_ensure_defaults(region=region)
        self.sectors = {s.name: s.pk for s in Sector.objects.all()}
        self.units = {u.name: u.pk for u in Unit.objects.filter(region=region)}
        self.leaders = {lead.title: lead.pk for lead in Leader.objects.filter(region=region)}
        self.townships = {t.name: t.pk for t in Township.objects.filter(region=region)}
        self.channels = {c.name: c.pk for c in FundingChannel.objects.filter(region=region)}
        self.maturities = maturity_words()
        self.priorities = priority_words()


def preview_pool(tables: list[Table], *, batch: ImportBatch) -> PoolPreview:
    """Read every sheet with a pool header and say what confirming would do; writes nothing."""
    preview = PoolPreview(year=batch.year, region=batch.region)
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
    names = _Names(batch)
    existing = list(
        Candidate.objects.for_user(batch.user)
        .filter(region=batch.region)
        .prefetch_related("townships", "channels")
    )
    by_code = {c.national_code: c for c in existing if c.national_code}
    by_name_unit = {(c.name, c.lead_unit_id): c for c in existing}
    codes_elsewhere = set(
        Candidate.objects.exclude(national_code="")
        .exclude(pk__in=[c.pk for c in existing])
        .values_list("national_code", flat=True)
    )
    seen_codes: dict[str, int] = {}
    seen_rows: dict[int, int] = {}
    for table, header in found:
        missing = [str(s.label) for s in FIELDS if s.required and s.key not in header.columns]
        if missing:
            preview.problems.append(
                Problem(
                    ERROR,
                    table.name,
                    header.top + 1,
                    message=_("The required column “%(label)s” is missing.") % {"label": "、".join(missing)},
                )
            )
            continue
        for r in range(header.first_data_row, len(table.rows)):
            values = table.rows[r]
            if not any(v is not None for v in values) or is_banner(values):
                continue
            row = _read_row(table, header, r, preview, names)
            if row is None:
                continue
            code = row.values["national_code"]
            if code and code in codes_elsewhere:
                _problem(
                    preview, header, r, "national_code", _("Another candidate already has this project code.")
                )
                continue
            if code and code in seen_codes:
                _problem(
                    preview,
                    header,
                    r,
                    "national_code",
                    _("The project code appears twice: also on row %(other)d.") % {"other": seen_codes[code]},
                )
                continue
            if code:
                seen_codes[code] = r + 1
            candidate = by_code.get(code) if code else None
            candidate = candidate or by_name_unit.get((row.values["name"], row.values["lead_unit"]))
            if candidate is not None:
                if candidate.pk in seen_rows:
                    _problem(
                        preview,
                        header,
                        r,
                        "name",
                        _("The candidate appears twice: also on row %(other)d.")
                        % {"other": seen_rows[candidate.pk]},
                    )
                    continue
                seen_rows[candidate.pk] = r + 1
                if candidate.project_id:
                    _problem(
                        preview,
                        header,
                        r,
                        "name",
                        _("“%(name)s” is already on a list; it is not changed by an import.")
                        % {"name": candidate.name},
                    )
                    continue
                row.project_id = candidate.pk  # the preview's name for "the row it updates"
                row.diffs = _diffs(candidate, row.values, names)
                row.action = "update" if row.diffs else "unchanged"
            preview.rows.append(row)
    return preview


def _problem(preview: Preview, header: Header, r: int, key: str | None, message: str) -> None:
    column = header.letter(key) if key and key in header.columns else ""
    label = header.label(key) if column else ""
    preview.problems.append(Problem(ERROR, header.sheet, r + 1, column, label, message))


def _read_row(table: Table, header: Header, r: int, preview: PoolPreview, names: _Names) -> Row | None:
    def get(key: str) -> object:
        col = header.columns.get(key)
        return None if col is None else table.cell(r, col)

    name, seq = cells.text(get("name")), cells.text(get("seq"))
    label = (name or seq).lower().replace(" ", "")
    if not name or label.startswith(("合计", "总计", "total")) or "小计" in label:
        return None
    ok = True

    def fail(key: str, message: str) -> None:
        nonlocal ok
        _problem(preview, header, r, key, message)
        ok = False

    values: dict[str, object] = {"name": name[:120]}
    raw_code = cells.text(get("national_code"))
    values["national_code"] = ""
    if raw_code:
        try:
            values["national_code"] = clean_national_code(raw_code)
        except ValidationError as exc:
            fail("national_code", " ".join(exc.messages))
    for key, table_of, what in (
        ("sector", names.sectors, _("sector")),
        ("lead_unit", names.units, _("unit")),
        ("leader", names.leaders, _("leader in charge")),
    ):
        text = cells.text(get(key))
        values[f"{key}_name"] = text
        if not text:
            values[key] = None
            if SPEC[key].required:
                fail(key, _("The %(what)s is missing.") % {"what": what})
            continue
        values[key] = table_of.get(text)
        if values[key] is None:
            fail(key, _("“%(name)s” is not a %(what)s of the county.") % {"name": text, "what": what})
    for key, table_of, what in (
        ("townships", names.townships, _("township")),
        ("channels", names.channels, _("funding channel")),
    ):
        listed = _names(get(key), key)
        unknown = [n for n in listed if n not in table_of]
        if unknown:
            fail(
                key,
                _("“%(name)s” is not a %(what)s of the county.") % {"name": "、".join(unknown), "what": what},
            )
        values[key] = tuple(sorted({table_of[n] for n in listed if n in table_of}))
        values[f"{key}_names"] = "、".join(listed)
    for key in ("owner", "location", "content"):
        values[key] = cells.text(get(key))
    for key, longest in (("name", 120), ("owner", 100), ("location", 120), ("content", 5000)):
        if len(cells.text(get(key))) > longest:
            fail(key, _("At most %(n)d characters.") % {"n": longest})
    if not values["content"]:
        fail("content", _("The construction content is missing."))
    try:
        amount = cells.amount(
            get("estimated_investment"), header.factors[header.columns["estimated_investment"]]
        )
    except CellError as exc:
        fail("estimated_investment", str(exc))
        amount = None
    else:
        if amount is None:
            fail("estimated_investment", _("The estimated total investment is missing."))
    values["estimated_investment"] = amount
    values["proposed_start_year"] = preview.year
    if "proposed_start_year" in header.columns and get("proposed_start_year") not in (None, ""):
        year = _year(get("proposed_start_year"))
        if year is None:
            fail(
                "proposed_start_year",
                _("“%(value)s” is not a year such as 2021.") % {"value": get("proposed_start_year")},
            )
        values["proposed_start_year"] = year
    maturity = cells.text(get("maturity")).replace(" ", "").lower()
    values["maturity"] = names.maturities.get(maturity, "") if maturity else Candidate.Maturity.IDEA
    if not values["maturity"]:
        fail(
            "maturity",
            _("“%(value)s” is not a maturity: 谋划, 储备, 前期 or 可开工.") % {"value": get("maturity")},
        )
    priority = cells.text(get("priority")).replace(" ", "").lower()
    values["priority"] = names.priorities.get(priority, "") if priority else ""
    if priority and not values["priority"]:
        fail("priority", _("“%(value)s” is not a priority: A, B or C.") % {"value": get("priority")})
    values["entered_on"] = None
    if "entered_on" in header.columns:
        try:
            values["entered_on"] = _date(get("entered_on"))
        except CellError as exc:
            fail("entered_on", str(exc))
    return Row(table.name, r + 1, values) if ok else None


CHANNEL_SPLIT = re.compile(r"[、,，;；\n]+")


def _names(value: object, key: str) -> list[str]:
    """The names of a cell; channel names may hold a slash (PPP/特许经营), so only townships split on it."""
    if key == "townships":
        return cells.names(value)
    return [part.strip() for part in CHANNEL_SPLIT.split(cells.text(value)) if part.strip()]


def _year(value: object) -> int | None:
    match = re.fullmatch(r"(20\d\d)\s*年?", cells.text(value))
    return int(match.group(1)) if match else None


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?", cells.text(value))
    try:
        if match:
            return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        pass
    raise CellError(_("“%(value)s” is not a date such as 2020-03-15") % {"value": value})


def _shown(key: str, value: object, values: dict) -> str:
    if value is None or value == "":
        return "—"
    if key in REFS:
        return str(values.get(f"{key}_name") or "")
    if key in SETS:
        return str(values.get(f"{key}_names") or "—")
    if key == "maturity":
        return str(Candidate.Maturity(value).label)
    if key == "estimated_investment":
        return fmt(value)
    return str(value)


def _diffs(candidate: Candidate, values: dict, names: _Names) -> list[Change]:
    """Each field the file would change on the candidate, old → new, as the office reads them."""
    current = {
        **{k: getattr(candidate, k) for k in SCALARS},
        **{k: getattr(candidate, f"{k}_id") for k in REFS},
        "townships": tuple(sorted(t.pk for t in candidate.townships.all())),
        "channels": tuple(sorted(c.pk for c in candidate.channels.all())),
        "estimated_investment": candidate.estimated_investment,
        "entered_on": candidate.entered_on,
    }
    by_pk = {
        "sector": {v: k for k, v in names.sectors.items()},
        "lead_unit": {v: k for k, v in names.units.items()},
        "leader": {v: k for k, v in names.leaders.items()},
        "townships": {v: k for k, v in names.townships.items()},
        "channels": {v: k for k, v in names.channels.items()},
    }
    diffs = []
    for key, new in values.items():
        if key not in current or (key == "entered_on" and new is None):
            continue
        old = current[key]
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        if key in REFS:
            old_text = by_pk[key].get(old, "—") if old else "—"
        elif key in SETS:
            old_text = "、".join(by_pk[key].get(pk, "") for pk in old) or "—"
        else:
            old_text = _shown(key, old, {})
        diffs.append(PoolChange(key, old_text, _shown(key, new, values)))
    return diffs


def _fields(values: dict) -> dict:
    fields = {k: values[k] for k in SCALARS}
    fields.update({k: values[k] for k in ("estimated_investment",)})
    fields.update(
        sector=Sector.objects.get(pk=values["sector"]),
        lead_unit=Unit.objects.get(pk=values["lead_unit"]),
        leader=Leader.objects.get(pk=values["leader"]) if values["leader"] else None,
    )
    if values.get("entered_on"):
        fields["entered_on"] = values["entered_on"]
    return fields


def write_pool(preview: PoolPreview, *, batch: ImportBatch, user: User) -> None:
    """Create and update the candidates (call inside the confirm's transaction)."""
    for row in [*preview.creates, *preview.updates]:
        values = row.values
        townships = Township.objects.filter(pk__in=values["townships"])
        channels = FundingChannel.objects.filter(pk__in=values["channels"])
        if row.project_id is None:
            candidate_propose(
                by=user, region=batch.region, fields=_fields(values), townships=townships, channels=channels
            )
        else:
            candidate = Candidate.objects.get(pk=row.project_id)
            candidate_edit(
                candidate=candidate, by=user, fields=_fields(values), townships=townships, channels=channels
            )
