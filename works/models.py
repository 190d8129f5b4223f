"""Bidding (招投标): a project's tender packages and the process supervision (过程监督) of each.

A `TenderPackage` (标段/招标项目) is one procurement of a project: construction, supervision, design,
survey, equipment or other, by one method (公开招标, 邀请招标, 竞争性谈判, 竞争性磋商, 单一来源, 直接发包;
the last two need the legal basis that allows them). Its state follows from the dates filled in —
announced (发布公告), opened (开标), awarded (定标, with the winner and the contract price) — and is
never stored (`TenderPackage.state`, `TenderPackageQuerySet.in_state`: one rule, two readers of the
same ordered conditions). The supervising unit (监理单位) of a project is the winner of its supervision
package, and that package carries the chief supervising engineer (总监理工程师): a project may let
supervision in several sections, each with its own unit and chief, and the unit's name is then written
in one place only.

A `SupervisionRecord` is one check of a package's procedure by the supervision office or a department:
the stage checked, the findings, whether a problem was found and what follows.

The discount rate (下浮率) is works.rates.discount_rate — the one computation.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.money import CENT
from lib.today import now, today
from projects.models import Project, visible_to

if TYPE_CHECKING:
    from accounts.models import User

MONEY = {"max_digits": 14, "decimal_places": 2}


class Kind(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction")
    SUPERVISION = "supervision", _("Construction supervision")
    DESIGN = "design", _("Design")
    SURVEY = "survey", _("Survey")
    EQUIPMENT = "equipment", _("Equipment and goods")
    OTHER = "other", _("Other")


class Method(models.TextChoices):
    OPEN = "open", _("Open tender")
    INVITED = "invited", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    CONSULTATION = "consultation", _("Competitive consultation")
    SINGLE_SOURCE = "single_source", _("Single source")
    DIRECT = "direct", _("Direct award")


# The methods that bypass competition: the law allows them only in named cases, so the package says which.
NEEDS_LEGAL_BASIS = frozenset({Method.SINGLE_SOURCE, Method.DIRECT})


class State(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("tender state", "Planned")
    ANNOUNCED = "announced", pgettext_lazy("tender state", "Announced")
    OPENED = "opened", pgettext_lazy("tender state", "Bids opened")
    AWARDED = "awarded", pgettext_lazy("tender state", "Awarded")


# The state rule, latest step first: a package is in the first state whose date is filled in.
STATE_DATES = [(State.AWARDED, "awarded_on"), (State.OPENED, "opened_on"), (State.ANNOUNCED, "announced_on")]


def state_condition(state: str, prefix: str = "") -> Q:
    """The condition "a package is in `state`", on TenderPackage (`prefix` "") or through a relation."""
    at = f"{prefix}__" if prefix else ""
    later = Q()
    for value, date in STATE_DATES:
        if value == state:
            return later & Q(**{f"{at}{date}__isnull": False})
        later &= Q(**{f"{at}{date}__isnull": True})
    return later  # planned: no date at all


class TenderPackageQuerySet(models.QuerySet):
    def for_user(self, user: User) -> TenderPackageQuerySet:
        """The packages of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))

    def editable_by(self, user: User) -> TenderPackageQuerySet:
        return self.filter(project__in=Project.objects.editable_by(user).values("pk"))

    def in_state(self, state: str) -> TenderPackageQuerySet:
        return self.filter(state_condition(state))

    def awarded_with_price(self) -> TenderPackageQuerySet:
        return self.filter(awarded_on__isnull=False, contract_price__isnull=False)


class TenderPackage(Versioned):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="tender_packages", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("package name"), max_length=200)
    method = models.CharField(_("procurement method"), max_length=14, choices=Method.choices)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    budget = models.DecimalField(_("ceiling price (10k yuan)"), validators=[MinValueValidator(CENT)], **MONEY)
    agency = models.CharField(_("tendering agency"), max_length=200, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    opened_on = models.DateField(_("bids opened on"), null=True, blank=True)
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    winner = models.CharField(_("winning bidder"), max_length=200, blank=True)
    contract_price = models.DecimalField(
        _("contract price (10k yuan)"), null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )
    chief_engineer = models.CharField(_("chief supervising engineer"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=now)

    history = HistoricalRecords()
    objects = TenderPackageQuerySet.as_manager()

    class Meta:
        ordering = ["project", "kind", "pk"]
        indexes = [models.Index(fields=["project", "kind"])]
        verbose_name = _("tender package")
        verbose_name_plural = _("tender packages")

    def __str__(self) -> str:
        return self.name

    @property
    def state(self) -> str:
        for value, date in STATE_DATES:
            if getattr(self, date) is not None:
                return value
        return State.PLANNED

    def get_state_display(self) -> str:
        return str(State(self.state).label)

    @property
    def awarded(self) -> bool:
        return self.state == State.AWARDED

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        return self.changed_by, self.changed_at


class Stage(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("Announcement")
    OPENING = "opening", _("Bid opening")
    EVALUATION = "evaluation", _("Bid evaluation")
    AWARD = "award", _("Award")
    CONTRACT = "contract", _("Contract")


class SupervisionRecordQuerySet(models.QuerySet):
    def for_user(self, user: User) -> SupervisionRecordQuerySet:
        return self.filter(visible_to(user, via="package__project"))


class SupervisionRecord(Versioned):
    package = models.ForeignKey(
        TenderPackage, models.CASCADE, related_name="records", verbose_name=_("tender package")
    )
    date = models.DateField(_("date checked"), default=today)
    checker = models.CharField(_("checked by"), max_length=50)
    department = models.CharField(_("department"), max_length=100)
    stage = models.CharField(pgettext_lazy("tender", "stage"), max_length=12, choices=Stage.choices)
    findings = models.TextField(pgettext_lazy("tender", "findings"))
    problem_found = models.BooleanField(_("problem found"), default=False)
    follow_up = models.TextField(_("follow-up"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=now)

    history = HistoricalRecords()
    objects = SupervisionRecordQuerySet.as_manager()

    class Meta:
        ordering = ["package", "-date", "-pk"]
        verbose_name = _("process supervision record")
        verbose_name_plural = _("process supervision records")

    def __str__(self) -> str:
        return f"{self.date} · {self.get_stage_display()}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        return self.changed_by, self.changed_at
