"""The figures of bidding — each package's discount rate, the totals of a set of packages — read by every
page, export and endpoint of works."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from lib.money import ZERO, q2

from .models import TenderPackage
from .rates import discount_rate


def decorate(package: TenderPackage) -> TenderPackage:
    """The package with `rate`, its discount rate (None until awarded)."""
    package.rate = discount_rate(package.budget, package.contract_price)
    return package


@dataclass
class Totals:
    count: int = 0
    budget: Decimal = ZERO
    awarded_budget: Decimal = ZERO  # the ceiling prices of the packages that have a contract price
    contract_price: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        """The overall discount rate: of the awarded packages only, the budget of a package not yet
        let having no price to compare with."""
        return discount_rate(self.awarded_budget, self.contract_price if self.awarded_budget else None)


def totals_of(packages: QuerySet) -> Totals:
    """The totals of a (scoped, filtered) queryset of packages, in one query whatever its size."""
    priced = Q(contract_price__isnull=False)
    found = packages.order_by().aggregate(
        n=Count("pk"),
        budgets=Sum("budget"),
        awarded_budgets=Sum("budget", filter=priced),
        prices=Sum("contract_price", filter=priced),
    )
    return Totals(
        count=found["n"],
        budget=q2(found["budgets"]),
        awarded_budget=q2(found["awarded_budgets"]),
        contract_price=q2(found["prices"]),
    )
