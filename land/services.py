"""Writes of land: a project's plan in a township, and a month's figures. Each validates against what
is already recorded, locks the plan and saves in one transaction, or raises ValidationError and
changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from lib.money import ZERO
from lib.today import today

from .models import LandMonth, LandPlan

FIGURES = ("acquired", "handed_over", "households_relocated", "buildings_relocated", "compensation_paid")


def _done(plan: LandPlan, *, leaving_out: tuple[int, int] | None = None) -> dict[str, Decimal | int]:
    """The plan's recorded to-date figures, less one month when it is being replaced."""
    months = LandMonth.objects.filter(plan=plan)
    if leaving_out is not None:
        months = months.exclude(year=leaving_out[0], month=leaving_out[1])
    sums = months.aggregate(**{name: Sum(name) for name in FIGURES})
    return {name: sums[name] if sums[name] is not None else 0 for name in FIGURES}


def _check_within(plan: LandPlan, done: dict) -> None:
    """Done never exceeds needed, and no more land is handed over than has been acquired."""
    errors: dict[str, str] = {}
    if done["acquired"] > plan.area_needed:
        errors["acquired"] = _(
            "Acquired to date (%(done)s mu) would exceed the area needed (%(needed)s mu)."
        ) % {
            "done": done["acquired"],
            "needed": plan.area_needed,
        }
    if done["handed_over"] > done["acquired"]:
        errors["handed_over"] = _(
            "Handed over to date (%(handed)s mu) would exceed the area acquired (%(acquired)s mu)."
        ) % {"handed": done["handed_over"], "acquired": done["acquired"]}
    if done["households_relocated"] > plan.households:
        errors["households_relocated"] = _(
            "Households relocated to date (%(done)s) would exceed the households to relocate (%(needed)s)."
        ) % {"done": done["households_relocated"], "needed": plan.households}
    if done["buildings_relocated"] > plan.buildings:
        errors["buildings_relocated"] = _(
            "Buildings relocated to date (%(done)s) would exceed the buildings to relocate (%(needed)s)."
        ) % {"done": done["buildings_relocated"], "needed": plan.buildings}
    if errors:
        raise ValidationError(errors)


def plan_problems(
    *, area_needed, farmland, approval: str, approved_on, approval_number: str
) -> dict[str, str]:
    """What is wrong with a plan's own figures (field → message); the form asks too, so its messages
    sit on their fields."""
    errors: dict[str, str] = {}
    if farmland is not None and area_needed is not None and farmland > area_needed:
        errors["farmland"] = _("Farmland cannot exceed the area needed.")
    if approval == LandPlan.Approval.APPROVED and approved_on is None:
        errors["approved_on"] = _("Give the date the land use was approved.")
    if approval != LandPlan.Approval.APPROVED and (approved_on or approval_number):
        errors["approval"] = _("An approval date or document number is given: set the state to approved.")
    return errors


@transaction.atomic
def plan_save(*, plan: LandPlan) -> LandPlan:
    """Create or change a plan (of a project or of a reserve candidate). Its needs may not fall below
    what is already done."""
    errors = plan_problems(
        area_needed=plan.area_needed,
        farmland=plan.farmland,
        approval=plan.approval,
        approved_on=plan.approved_on,
        approval_number=plan.approval_number,
    )
    holder = plan.project or plan.candidate
    if plan.township.region_id != holder.region_id:
        errors["township"] = _("The township is not in the project's region.")
    if errors:
        raise ValidationError(errors)
    if plan.pk:
        # Locked so that a month recorded meanwhile is counted in the check below.
        LandPlan.objects.select_for_update().get(pk=plan.pk)
        done = _done(plan)
        try:
            _check_within(plan, done)
        except ValidationError as exc:
            raise ValidationError(
                _("The plan cannot need less than is already done: %(detail)s")
                % {"detail": " ".join(exc.messages)}
            ) from exc
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"township": _("This project already has a land plan in that township.")}
        ) from exc
    return plan


@transaction.atomic
def month_record(*, plan: LandPlan, year: int, month: int, figures: dict) -> LandMonth:
    """Record (or correct) what was done in a month: in-month figures, replacing the month's earlier
    entry. A month after the current one is refused, and so is a month that would take a to-date
    figure past what the plan needs."""
    current = today()
    if (year, month) > (current.year, current.month):
        raise ValidationError({"month": _("A month that has not begun cannot be recorded.")})
    plan = LandPlan.objects.select_for_update().get(pk=plan.pk)  # one writer per plan at a time
    done = _done(plan, leaving_out=(year, month))
    totals = {name: done[name] + (figures.get(name) or 0) for name in FIGURES}
    _check_within(plan, totals)
    entry, _created = LandMonth.objects.update_or_create(
        plan=plan,
        year=year,
        month=month,
        defaults={
            name: figures.get(name)
            or (ZERO if name in ("acquired", "handed_over", "compensation_paid") else 0)
            for name in FIGURES
        },
    )
    return entry


def plans_follow_promotion(*, candidate, project) -> int:
    """A promoted candidate's land plans move onto its project, with their months (inside the
    publishing transaction, from pool.signals.candidate_promoted); a township the project already has
    a plan for keeps the project's, and the candidate's copy is dropped. Returns the plans moved."""
    have = set(project.land_plans.values_list("township_id", flat=True))
    moved = 0
    for plan in LandPlan.objects.filter(candidate=candidate).order_by("pk"):
        if plan.township_id in have:
            plan.soft_delete(by=None)  # the candidate's copy, dropped by the promotion: recorded
            continue
        plan.project, plan.candidate = project, None
        plan.save(update_fields=["project", "candidate", "updated"])
        moved += 1
    return moved
