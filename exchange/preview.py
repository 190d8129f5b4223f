"""What a preview holds: the rows read (to create, to update, unchanged), their changes old → new,
the problems, the subtotal checks and the decisions left to the office."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from lib.money import ZERO
from regions.models import Region

from .cells import DECIDE, WARNING, Problem
from .matching import Match
from .project_columns import CHANGE_LABELS


@dataclass
class Change:
    """One field an update would write: the database's value and the file's, as the office reads them."""

    key: str
    old: str
    new: str
    left_out: bool = False  # the office unticked it in the preview

    @property
    def label(self) -> str:
        return str(CHANGE_LABELS.get(self.key, self.key))


@dataclass
class Row:
    """One project as the file states it, resolved against the database."""

    sheet: str
    row: int
    values: dict[str, object]
    action: str = "create"  # create, update or unchanged (the file agrees with the database)
    project_id: int | None = None
    diffs: list[Change] = field(default_factory=list)  # every field that differs, old → new
    # How precisely the file gives a value: a Decimal tolerance for amounts, "year"/"month"/"day" for dates.
    precision: dict[str, object] = field(default_factory=dict)
    left_out: bool = False  # the office left the whole row out in the preview

    def get(self, key: str) -> object:
        return self.values.get(key)

    @property
    def key(self) -> str:
        """The row's name in the office's choices: "sheet!row"."""
        return f"{self.sheet}!{self.row}"

    @property
    def changes(self) -> list[str]:
        """The keys an update writes: the differences the office kept."""
        return [c.key for c in self.diffs if not c.left_out]

    @property
    def change_labels(self) -> list[str]:
        return [c.label for c in self.diffs if not c.left_out]


@dataclass
class SectorChoice:
    """A row of a list without sectors: the sector proposed for it, and the one the office chose."""

    key: str
    sheet: str
    row: int
    name: str
    proposed: int | None
    evidence: str
    chosen: int | None = None


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
    matches: list[Match] = field(default_factory=list)
    sector_choices: list[SectorChoice] = field(default_factory=list)
    sectors: dict[int, str] = field(default_factory=dict)  # every sector, for the choices' lists

    @property
    def errors(self) -> list[Problem]:
        """Problems only a corrected file clears."""
        return [p for p in self.problems if p.is_error]

    @property
    def decisions(self) -> list[Problem]:
        """Problems the office clears in the preview: accept a name, tick a match, choose a sector."""
        return [p for p in self.problems if p.level == DECIDE]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    @property
    def creates(self) -> list[Row]:
        return [r for r in self.rows if r.action == "create" and not r.left_out]

    @property
    def updates(self) -> list[Row]:
        return [r for r in self.rows if r.action == "update" and not r.left_out]

    @property
    def unchanged(self) -> list[Row]:
        return [r for r in self.rows if r.action == "unchanged" and not r.left_out]

    @property
    def create_rows(self) -> list[Row]:
        """The create tab: rows to create, those left out among them."""
        return [r for r in self.rows if r.action == "create"]

    @property
    def update_rows(self) -> list[Row]:
        """The update tab: rows that differ from their project, those left out among them."""
        return [r for r in self.rows if r.action == "update" or (r.left_out and r.project_id)]

    @property
    def left_out(self) -> list[Row]:
        return [r for r in self.rows if r.left_out]

    @property
    def can_confirm(self) -> bool:
        return bool(self.creates or self.updates) and not self.errors and not self.decisions

    row_template = "exchange/_rows_projects.html"
    # Whether the office may leave rows and fields out (the project list's preview, not the monthly).
    choosable = False

    @property
    def sums(self) -> list[tuple[str, Decimal]]:
        return [
            (_("Total investment"), self.total("total_investment")),
            (_("Annual planned investment"), self.total("planned_investment")),
        ]

    def total(self, key: str) -> Decimal:
        return sum((r.values.get(key) or ZERO for r in self.rows), ZERO)

    def fingerprint(self) -> str:
        """Changes when what confirming would write changes (the file, choices or the database)."""
        digest = hashlib.sha256()
        for r in self.rows:
            state = (
                r.action,
                r.project_id,
                r.left_out,
                r.changes,
                sorted(r.values.items(), key=lambda kv: kv[0]),
            )
            digest.update(repr(state).encode())
        return digest.hexdigest()


def summarise(preview: Preview) -> dict[str, object]:
    """Counts and sums for the batch list, the confirm page and the command line."""
    unchanged = getattr(preview, "unchanged", [])
    return {
        "rows": len(preview.rows),
        "create": len(preview.creates),
        "update": len(preview.updates),
        "unchanged": len(unchanged) + len(getattr(preview, "left_out", [])),
        "errors": len(preview.errors),
        "decisions": len(getattr(preview, "decisions", [])),
        "warnings": len(preview.warnings),
        "sums": [[str(label), str(value)] for label, value in preview.sums],
    }


def summary_line(summary: dict[str, object]) -> str:
    """The command's last line and the confirm page's counts (not translated: tools read it)."""
    return "created {create}, updated {update}, unchanged {unchanged}, errors {errors}".format(**summary)


class ProjectPreview(Preview):
    """A key-project list's preview: rows and fields may be left out, names matched, sectors chosen."""

    choosable = True
