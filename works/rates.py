"""The discount rate (下浮率): how far a contract price came in under its ceiling price — the one
computation every page, export, endpoint and warning of works uses."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from lib.money import CENT

HUNDRED = Decimal(100)


def discount_rate(budget: Decimal | None, price: Decimal | None) -> Decimal | None:
    """(budget − price) ÷ budget × 100, two places (half up); negative when the price is above the
    budget; None when there is no price yet or no budget to compare with (shown as "—")."""
    if price is None or budget is None or budget <= 0:
        return None
    return ((Decimal(budget) - Decimal(price)) * HUNDRED / Decimal(budget)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )
