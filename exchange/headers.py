"""Find the header of an office table and map its columns to fields.

Office tables start with a title, perhaps "单位：亿元", then one to three header rows in which a
group ("投资情况") is merged over its columns ("总投资 | 截至上年底完成 | 2020年计划投资") and the
other headers are merged down. lib.tabular copies merged values into every cell they cover, so a
column's header is the distinct texts of its header rows, read top to bottom; a column matches a
field when its most specific text (bottom first) matches one of the field's patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from lib.money import WAN_PER_YI
from lib.tabular import Table

ONE = Decimal(1)
SCAN_ROWS = 20
MAX_DEPTH = 3
YI = re.compile(r"亿元|亿")
WAN = re.compile(r"万元")
TITLE_YI = re.compile(r"单位[:：]\s*亿元|[（(]\s*亿元\s*[)）]|金额单位[:：]?\s*亿元")
UNIT_PART = re.compile(r"\([^()]*?(亿元|万元|元|个|%)[^()]*\)")
SPACES = re.compile(r"[\s\u3000\xa0]+")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    patterns: tuple[str, ...]
    required: bool = False

    def matches(self, text: str) -> bool:
        return any(re.fullmatch(p, text, re.IGNORECASE) for p in self.patterns)


@dataclass
class Header:
    sheet: str
    top: int  # 0-based index of the first header row
    depth: int
    columns: dict[str, int]  # field key → 0-based column
    labels: dict[int, str]  # column → header text as the file shows it
    factors: dict[int, Decimal] = field(default_factory=dict)  # column → multiplier into 万元
    header_years: dict[int, int] = field(default_factory=dict)  # column → year named in its header

    @property
    def first_data_row(self) -> int:
        return self.top + self.depth

    def letter(self, key: str) -> str:
        return get_column_letter(self.columns[key] + 1)

    def label(self, key: str) -> str:
        return self.labels.get(self.columns[key], "")


def normalise(text: str) -> str:
    """Header text without spaces, line breaks, unit notes or required-marks; ASCII brackets."""
    text = (
        SPACES.sub("", str(text)).replace("（", "(").replace("）", ")").replace("：", ":").replace("％", "%")
    )
    return UNIT_PART.sub("", text).strip("*＊")


def is_banner(row: list[object]) -> bool:
    """A row whose cells all hold the same text: a merged title, unit note or footer."""
    values = [v for v in row if v is not None]
    return bool(values) and all(v == values[0] for v in values) and (len(values) > 1 or len(row) <= 1)


def _parts(table: Table, top: int, depth: int, col: int) -> list[str]:
    parts: list[str] = []
    for r in range(top, min(top + depth, len(table.rows))):
        value = table.cell(r, col)
        if isinstance(value, str) and value not in parts:
            parts.append(value)
    return parts


def _match(parts: list[str], specs: list[FieldSpec], taken: set[str]) -> FieldSpec | None:
    candidates = [normalise(p) for p in reversed(parts)]
    if len(parts) > 1:
        candidates.append(normalise("".join(parts)))
    for text in candidates:
        for spec in specs:
            if spec.key not in taken and spec.matches(text):
                return spec
    return None


def _try(table: Table, top: int, depth: int, specs: list[FieldSpec]) -> tuple[dict[str, int], dict[int, str]]:
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for col in range(table.width):
        parts = _parts(table, top, depth, col)
        if not parts:
            continue
        labels[col] = " / ".join(parts)
        spec = _match(parts, specs, set(columns))
        if spec:
            columns[spec.key] = col
    return columns, labels


def find_header(table: Table, specs: list[FieldSpec], *, anchor: str = "name") -> Header | None:
    """The header rows that map the most fields (earliest start, then fewest rows), or None."""
    best: tuple[int, int, int] | None = None
    found: tuple[dict[str, int], dict[int, str]] | None = None
    for top in range(min(SCAN_ROWS, len(table.rows))):
        if is_banner(table.rows[top]):
            continue
        for depth in range(1, MAX_DEPTH + 1):
            last = table.rows[top + depth - 1] if top + depth <= len(table.rows) else None
            # A header is text: a row with amounts (a total row above or under it) ends it.
            if last is None or is_banner(last) or any(isinstance(v, Decimal) for v in last if v is not None):
                break
            columns, labels = _try(table, top, depth, specs)
            if anchor not in columns or len(columns) < 2:
                continue
            key = (len(columns), -top, -depth)
            if best is None or key > best:
                best, found = key, (columns, labels)
    if best is None or found is None:
        return None
    top, depth = -best[1], -best[2]
    columns, labels = found
    header = Header(table.name, top, depth, columns, labels)
    table_factor = WAN_PER_YI if _mentions_yi(table, top) else ONE
    for col in columns.values():
        raw = "".join(_parts(table, top, depth, col))
        header.factors[col] = WAN_PER_YI if YI.search(raw) else ONE if WAN.search(raw) else table_factor
        year = re.search(r"(20\d\d)\s*年", raw)
        if year:
            header.header_years[col] = int(year.group(1))
    return header


def _mentions_yi(table: Table, end: int) -> bool:
    """Whether the rows above the header say amounts are in 亿元 ("单位：亿元", "（亿元）")."""
    for r in range(min(end, len(table.rows))):
        for value in table.rows[r]:
            if isinstance(value, str) and TITLE_YI.search(SPACES.sub("", value)):
                return True
    return False
