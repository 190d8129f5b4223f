"""Funds by source (资金): what each source is to provide a project in a year, and what arrived and was
paid, month by month.

A `FundPlan` is one source's planned amount for a project's year (中央预算内, 市级财政, 县级财政,
专项债, 银行贷款, 社会资本, 自筹, 其他). A `FundMonth` records what arrived (到位) and was paid (支付) IN
that month — not a running total: to-date figures are the sums of the months (funds.selectors), so a
corrected month changes every total after it with no second place to update. Amounts in 万元.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from projects.models import Project, visible_to

if TYPE_CHECKING:
    from accounts.models import User

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class Source(models.TextChoices):
    CENTRAL = "central", _("Central budget")
    PROVINCE = "province", _("Provincial funds")
    CITY = "city", _("City funds")
    COUNTY = "county", _("County finance")
    BOND = "bond", _("Special-purpose bonds")
    LOAN = "loan", _("Bank loans")
    SOCIAL = "social", _("Private capital")
    OWN = "own", _("Own funds")
    OTHER = "other", _("Other")


class FundPlanQuerySet(models.QuerySet):
    def for_user(self, user: User) -> FundPlanQuerySet:
        """The fund plans of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))

    def editable_by(self, user: User) -> FundPlanQuerySet:
        return self.filter(project__in=Project.objects.editable_by(user).values("pk"))


class FundPlan(Versioned):
    project = models.ForeignKey(Project, models.CASCADE, related_name="fund_plans", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source of funds"), max_length=10, choices=Source.choices)
    planned = models.DecimalField(_("planned (10k yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = FundPlanQuerySet.as_manager()

    class Meta:
        ordering = ["project", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "source"], name="fundplan_unique_source"),
        ]
        indexes = [models.Index(fields=["year", "project"])]
        verbose_name = _("fund plan")
        verbose_name_plural = _("fund plans")

    def __str__(self) -> str:
        return f"{self.project} · {self.year} · {self.get_source_display()}"


class FundMonth(Versioned):
    plan = models.ForeignKey(FundPlan, models.CASCADE, related_name="months", verbose_name=_("fund plan"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    arrived = models.DecimalField(_("arrived (10k yuan)"), default=0, **MONEY)
    paid = models.DecimalField(_("paid (10k yuan)"), default=0, **MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="fundmonth_unique_month")]
        verbose_name = _("month of funds")
        verbose_name_plural = _("months of funds")

    def __str__(self) -> str:
        return f"{self.plan} · {self.month}"
