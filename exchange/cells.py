"""Cell values as office tables write them: amounts, year spans, months, names; and problems."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lib.money import CENT, AmountError, parse_amount
from lib.xlsx import FORMULA_STARTS

ERROR, WARNING = "error", "warning"
DECIDE = "decide"  # cleared in the preview (accept a name, tick a match, choose a sector), not in the file
MONTH = re.compile(r"(?:(\d{4})\s*[年./-]\s*)?(\d{1,2})\s*月?(?:份|底|初|中旬|上旬|下旬)?")
SPLIT = re.compile(r"[、,，;；/\n]+")
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Problem:
    level: str
    sheet: str
    row: int  # 1-based, as Excel numbers rows; 0 for the whole file
    column: str = ""  # letter, "F"
    label: str = ""  # the column's header as the file shows it
    message: str = ""

    def __str__(self) -> str:
        where = []
        if self.row:
            where.append(_("Row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(col)s “%(label)s”") % {"col": self.column, "label": self.label})
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


class CellError(ValueError):
    """A value that cannot be read; the message says what was expected."""


def text(value: object) -> str:
    """A cell as one line of text; a leading apostrophe that escaped a formula is dropped."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    result = str(value).strip()
    if result.startswith("'") and result[1:2] and result[1] in FORMULA_STARTS:
        result = result[1:]
    return result


def amount(value: object, factor: Decimal) -> Decimal | None:
    """A money cell in 万元 (after multiplying by `factor` for 亿元), or None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        raw = value
    else:
        cleaned = str(value).strip().replace(" ", "")
        cleaned = cleaned.removesuffix("万元").removesuffix("万")
        if cleaned in {"", "-", "—", "/", "无"}:
            return None
        try:
            raw = parse_amount(cleaned, cents=False)  # the forms' reading; 亿元 cells have more places
        except AmountError:
            if cleaned.startswith("-"):
                raise CellError(_("“%(value)s” is negative") % {"value": value})
            raise CellError(_("“%(value)s” is not an amount") % {"value": value})
    if not raw.is_finite():
        raise CellError(_("“%(value)s” is not an amount") % {"value": value})
    if raw < 0:
        raise CellError(_("“%(value)s” is negative") % {"value": value})
    return (raw * factor).quantize(CENT, rounding=ROUND_HALF_UP)


def precision(value: object, factor: Decimal) -> Decimal:
    """Half a unit of the last digit written, in 万元: how far a rounded subtotal may be off."""
    try:
        raw = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ""))
        exponent = raw.as_tuple().exponent
    except (InvalidOperation, TypeError):
        return CENT
    if not isinstance(exponent, int):
        return CENT
    return max(Decimal(5) * Decimal(10) ** (exponent - 1) * factor, CENT)


DAY, MONTH_PRECISION, YEAR = "day", "month", "year"
DATE = re.compile(r"(\d{4})(?:\s*[年./-]\s*(\d{1,2})(?:\s*[月./-]\s*(\d{1,2})\s*日?)?)?\s*月?")
SIDES = re.compile(r"\s*(?:[~～至到—–]+|(?<=[\d年月日])-(?=\d{4}(?!\d)))\s*")


@dataclass(frozen=True)
class Period:
    """A construction period as the file wrote it: each end a date and how precisely it was given."""

    start: dt.date | None = None
    end: dt.date | None = None
    start_precision: str = DAY
    end_precision: str = DAY


def _end_of(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _side(raw: str, *, end: bool) -> tuple[dt.date, str]:
    match = DATE.fullmatch(raw.strip().removesuffix("年"))
    if not match:
        raise ValueError(raw)
    year, month, day = match.groups()
    y = int(year)
    if month is None:
        return (dt.date(y, 12, 31) if end else dt.date(y, 1, 1)), YEAR
    m = int(month)
    if day is None:
        return (_end_of(y, m) if end else dt.date(y, m, 1)), MONTH_PRECISION
    return dt.date(y, m, int(day)), DAY


def period(value: object) -> Period:
    """ "2019-2021", "2019—2021年", "2019.3-2021.12", "2019-04-02~2022-07-31", a single year, or a date.

    A year alone reads as 1 January to 31 December and says so (precision "year"), so that an update
    never replaces exact dates by a year's bounds (see project_import._same)."""
    if value is None or value == "":
        return Period()
    if isinstance(value, dt.date):
        return Period(start=value)
    raw = text(value)
    compact = raw.replace(" ", "")
    parts = SIDES.split(compact, maxsplit=1)
    try:
        if len(parts) == 2:
            start, start_precision = _side(parts[0], end=False) if parts[0] else (None, DAY)
            end, end_precision = _side(parts[1], end=True) if parts[1] else (None, DAY)
        else:
            single = re.fullmatch(r"(\d{4})\s*年?", compact)
            if not single:
                raise ValueError(raw)
            year = int(single.group(1))
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), YEAR, YEAR)
    except ValueError:
        raise CellError(_("“%(value)s” is not a construction period such as 2019-2021") % {"value": raw})
    if start and end and end < start:
        raise CellError(_("“%(value)s” ends before it starts") % {"value": raw})
    return Period(start, end, start_precision, end_precision)


def month(value: object, year: int) -> int | None:
    """A planned start month: 3, "3月", "2020年3月", "2020.03" or a date; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value.month
    raw = text(value)
    if raw in {"已开工", "已建", "续建", "—", "-", "/"}:
        return None
    match = MONTH.fullmatch(raw.replace(" ", ""))
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(2))
    raise CellError(_("“%(value)s” is not a month") % {"value": raw})


def names(value: object) -> list[str]:
    """Several names in one cell: "县水利局、县交通局"."""
    return [part for part in SPLIT.split(text(value)) if part]


def group_label(value: str) -> tuple[str, int | None]:
    """ "一、交通（12个）" → ("交通", 12); "交通 (12 projects)" → ("交通", 12)."""
    label = re.sub(rf"^[{NUMERALS}]+\s*[、.．]\s*", "", value.strip())
    count = None
    match = re.search(r"[（(]\s*(?:共)?\s*(\d+)\s*(?:个项目|个|项|projects?)?\s*[)）]\s*$", label)
    if match:
        count = int(match.group(1))
        label = label[: match.start()]
    label = re.sub(r"(类项目|项目|类)$", "", label.strip())
    return label.strip(), count


def is_numeral(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(rf"[{NUMERALS}]+\s*[、.．]?", value.strip()) is not None


COUNT = re.compile(r"[（(]\s*(?:共)?\s*\d+\s*(?:个项目|个|项|projects?)\s*[)）]\s*$")


def is_group_row(seq: str, label: str, *, has_unit: bool) -> bool:
    """A sector group row: "一" in 序号 or "一、交通（12个）" as the name, or "交通类（12个）" with no unit."""
    if is_numeral(seq) or re.match(rf"^[{NUMERALS}]+\s*[、.．]", label):
        return True
    return not has_unit and not seq and COUNT.search(label) is not None
