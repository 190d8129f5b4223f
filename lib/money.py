"""Money is Decimal in 万元 with two places, end to end; amounts typed by people read one way."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
WAN_PER_YI = Decimal("10000")


def to_wan(value: object) -> Decimal:
    """Parse a number (str, int, Decimal) into 万元 with two places; never through float."""
    if value is None or value == "":
        return ZERO
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def q2(value: Decimal | int | None) -> Decimal:
    """Quantize an aggregate result (which may be None) to two places."""
    if value is None:
        return ZERO
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """'614,700.00' — thousands separators, two places."""
    return f"{q2(value):,.2f}"


def has_at_most_two_places(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2 or value == value.quantize(CENT)


# What an office types for an amount: ASCII or full-width digits (a Chinese input method gives
# "１，３２５．４５", its full stop may be "。"), thousands separated by commas or not, at most
# two decimals. Decimal() alone would also read "1e3", "Infinity" and "1_000".
_TYPED = str.maketrans("０１２３４５６７８９，．。\u3000", "0123456789,.. ")
MAX_WHOLE_DIGITS = 16
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


class AmountError(ValueError):
    """An amount that cannot be read; str() is the message for the person who typed it."""


def parse_amount(text: str, *, cents: bool = True) -> Decimal:
    """The amount in `text` as an office types it, exactly as written (not rounded).

    Accepts 1325.45, 1,325.45 and the full-width １，３２５．４５; refuses a sign, an exponent, words
    ("约3亿", "3亿"), misplaced commas and, when `cents`, more than two decimals (trailing zeros
    aside). The Excel import reads with cents=False: its 亿元 columns have more.
    """
    cleaned = str(text).translate(_TYPED).strip()
    if cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:].strip()):
        raise AmountError(_("The amount cannot be negative."))
    if not _AMOUNT.fullmatch(cleaned):
        raise AmountError(_("Enter the amount in digits, e.g. 1325.45 or 1,325.45 (10k yuan)."))
    whole = cleaned.replace(",", "").partition(".")[0]
    # Past this the decimal arithmetic below (28 digits) overflows; no amount in 万元 comes near it.
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        raise AmountError(_("The amount is too large."))
    amount = Decimal(cleaned.replace(",", ""))
    if cents and amount != amount.quantize(CENT):
        raise AmountError(_("Give the amount to at most two decimal places."))
    return amount
