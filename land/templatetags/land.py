from decimal import Decimal

from django import template

from land.selectors import mu as mu_text

register = template.Library()


@register.filter
def mu(value: Decimal | None) -> str:
    """An area in 亩 as people write it: 120, 12.5."""
    return mu_text(value)


@register.filter
def minus(value: Decimal | int | None, other: Decimal | int | None) -> Decimal | int:
    """What is left: needed minus done (for the project's land table)."""
    return (value or 0) - (other or 0)
