"""Money is Decimal in 万元 with two places, end to end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

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
