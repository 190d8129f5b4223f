"""Writes of funds: a source's plan and one month's arrivals and payments, each validated whole and
saved in one transaction, or refused with a message and nothing changed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lib.money import ZERO

from .models import FundMonth, FundPlan


@transaction.atomic
def month_record(*, plan: FundPlan, month: int, arrived: Decimal, paid: Decimal) -> FundMonth:
    """Record (or correct) what arrived and was paid in one month of a plan. Refused when the payments
    to date would exceed the money arrived to date in any month from this one on."""
    plan = FundPlan.objects.select_for_update().get(pk=plan.pk)
    months = {m.month: m for m in plan.months.all()}
    entry = months.get(month) or FundMonth(plan=plan, month=month)
    entry.arrived, entry.paid = arrived, paid
    months[month] = entry
    arrived_to_date = paid_to_date = ZERO
    for m in sorted(months):
        arrived_to_date += months[m].arrived
        paid_to_date += months[m].paid
        if paid_to_date > arrived_to_date:
            raise ValidationError(
                {
                    "paid": _(
                        "Paid to date (%(paid)s) would exceed the money arrived to date (%(arrived)s) in month %(month)s."
                    )
                    % {"paid": paid_to_date, "arrived": arrived_to_date, "month": m}
                }
            )
    entry.full_clean()
    entry.save()
    return entry
