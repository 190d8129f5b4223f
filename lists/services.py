"""Writes of next year's list: draft it, add and change entries, freeze rollovers, publish.

Each is one transaction; a refusal raises ValidationError (or lib.concurrency.WrongState) with a
message for the user and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lib.concurrency import WrongState
from pool.models import Candidate
from pool.signals import candidate_promoted
from projects.models import Project, YearPlan

from .models import ListEntry, YearList
from .selectors import candidate_plan, continuing_choices, ready_candidates, rollover


def _locked_draft(user: User, year_list: YearList) -> YearList:
    # Locked so that two offices adding, publishing or changing the same list take turns: a publish
    # never runs while entries are still being added, and it runs once.
    locked = YearList.objects.for_user(user).select_for_update().get(pk=year_list.pk)
    if not user.is_office:
        raise ValidationError(_("Only the key-project office changes a year list."))
    if not locked.is_draft:
        raise WrongState(_("The list is published and can no longer be changed."))
    return locked


@transaction.atomic
def list_draft(*, user: User, year: int) -> YearList:
    """Start the draft of `year` for the office's region, with every continuing project of the year
    before rolled over (completed ones left out) at its default plan."""
    if not user.is_office:
        raise ValidationError(_("Only the key-project office drafts a year list."))
    if YearList.objects.filter(region_id=user.region_id, year=year).exists():
        raise ValidationError(_("A list for %(year)s exists already.") % {"year": year})
    year_list = YearList.objects.create(region_id=user.region_id, year=year, created_by=user)
    entries_add_continuing(user=user, year_list=year_list, project_ids=None)
    return year_list


@transaction.atomic
def entries_add_continuing(*, user: User, year_list: YearList, project_ids: list[int] | None) -> int:
    """Put continuing projects of the year before on the draft (all not on it yet when `project_ids`
    is None), each with its stage and default plan. Returns how many were added."""
    year_list = _locked_draft(user, year_list)
    choices = continuing_choices(user, year_list)
    if project_ids is not None:
        wanted = set(project_ids)
        choices = [(p, r) for p, r in choices if p.pk in wanted]
        if len(choices) != len(wanted):
            raise ValidationError(_("Some of the chosen projects cannot be put on this list."))
    ListEntry.objects.bulk_create(
        ListEntry(
            year_list=year_list,
            project=project,
            stage=rolled.stage,
            planned_investment=rolled.default_plan,
            invested_before=rolled.invested_before if rolled.december_approved else None,
        )
        for project, rolled in choices
    )
    return len(choices)


@transaction.atomic
def entries_add_candidates(*, user: User, year_list: YearList, candidate_ids: list[int]) -> int:
    """Promote candidates ready to start into the draft as new starts. They become projects only
    when the list is published."""
    year_list = _locked_draft(user, year_list)
    chosen = list(ready_candidates(user, year_list).filter(pk__in=candidate_ids))
    if len(chosen) != len(set(candidate_ids)):
        raise ValidationError(_("Some of the chosen candidates are not ready to start or are on a list."))
    ListEntry.objects.bulk_create(
        ListEntry(
            year_list=year_list,
            candidate=candidate,
            stage=YearPlan.Stage.NEW,
            planned_investment=candidate_plan(candidate.estimated_investment),
            invested_before=Decimal("0.00"),
        )
        for candidate in chosen
    )
    return len(chosen)


@transaction.atomic
def entry_update(*, user: User, entry: ListEntry, data: dict) -> ListEntry:
    """Set an entry's plan: stage, annual planned investment, planned start month, progress target."""
    _locked_draft(user, entry.year_list)
    entry = ListEntry.objects.select_for_update().get(pk=entry.pk)
    for name in ("stage", "planned_investment", "planned_start_month", "progress_target"):
        setattr(entry, name, data[name])
    entry._history_user = user
    entry.save()
    return entry


@transaction.atomic
def entry_remove(*, user: User, entry: ListEntry) -> None:
    """Take an entry off the draft (a candidate goes back to the pool as it was)."""
    _locked_draft(user, entry.year_list)
    entry.soft_delete(by=user)


@transaction.atomic
def entries_freeze(*, user: User, year_list: YearList) -> int:
    """Store the rollover of every draft entry whose December report of the year before is
    approved: from then on its completed-before value no longer follows the reports."""
    if not year_list.is_draft or not user.is_office:
        return 0
    live = list(
        ListEntry.objects.filter(year_list=year_list, project__isnull=False, invested_before__isnull=True)
    )
    if not live:
        return 0
    rolled = rollover(user, year_list, project_ids=[e.project_id for e in live])
    frozen = []
    for entry in live:
        r = rolled.get(entry.project_id)
        if r is not None and r.december_approved:
            entry.invested_before = r.invested_before
            frozen.append(entry)
    ListEntry.objects.bulk_update(frozen, ["invested_before"])
    return len(frozen)


def _conflicts(year_list: YearList, entries: list[ListEntry]) -> list[str]:
    planned = set(
        YearPlan.objects.filter(
            year=year_list.year, project_id__in=[e.project_id for e in entries if e.project_id]
        ).values_list("project_id", flat=True)
    )
    codes = [e.candidate.national_code for e in entries if e.candidate_id and e.candidate.national_code]
    taken = set(Project.objects.filter(national_code__in=codes).values_list("national_code", flat=True))
    problems = []
    for entry in entries:
        if entry.project_id in planned:
            problems.append(
                _("%(name)s already has a plan for %(year)s.") % {"name": entry.name, "year": year_list.year}
            )
        if entry.candidate_id and entry.candidate.project_id:
            problems.append(_("%(name)s has been promoted already.") % {"name": entry.name})
        if entry.candidate_id and entry.candidate.national_code in taken:
            problems.append(
                _("The project code %(code)s of %(name)s belongs to a project already.")
                % {"code": entry.candidate.national_code, "name": entry.name}
            )
    return problems


def _next_codes(region_id: int, year: int, n: int) -> list[str]:
    """`n` ledger codes for new projects, "2021-001" onwards, skipping those the region has."""
    taken = set(
        Project.objects.filter(region_id=region_id, code__startswith=f"{year}-").values_list(
            "code", flat=True
        )
    )
    codes, seq = [], 0
    while len(codes) < n:
        seq += 1
        code = f"{year}-{seq:03d}"
        if code not in taken:
            codes.append(code)
    return codes


def _promote(candidate: Candidate, *, code: str, entry: ListEntry, year: int, user: User) -> Project:
    start = dt.date(year, entry.planned_start_month, 1) if entry.planned_start_month else None
    project = Project(
        region_id=candidate.region_id,
        code=code,
        national_code=candidate.national_code,
        name=candidate.name,
        sector_id=candidate.sector_id,
        nature=Project.Nature.NEW,
        content=candidate.content,
        owner=candidate.owner,
        location=candidate.location,
        lead_unit_id=candidate.lead_unit_id,
        leader_id=candidate.leader_id,
        total_investment=candidate.estimated_investment,
        planned_start=start,
        status=Project.Status.PREPARING,
    )
    project._history_user = user
    project.save()
    project.townships.set(candidate.townships.all())
    # The code moves: it was the candidate's, now it is the project's (unique on each side).
    candidate.national_code = ""
    candidate.project = project
    candidate._history_user = user
    candidate.save(update_fields=["national_code", "project"])
    candidate_promoted.send(sender=Candidate, candidate=candidate, project=project)
    return project


@transaction.atomic
def list_publish(*, user: User, year_list: YearList) -> YearList:
    """Publish the draft: every promoted candidate becomes a Project (its code moved, its history and
    documents reachable through project.candidate, `candidate_promoted` sent), every entry a YearPlan
    of the year with its completed-before value frozen. All or nothing: a project that already has a
    plan for the year, or a candidate promoted meanwhile, refuses the whole list with each conflict
    named."""
    year_list = _locked_draft(user, year_list)
    entries = list(
        ListEntry.objects.filter(year_list=year_list)
        .select_related("candidate", "project")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not entries:
        raise ValidationError(_("An empty list cannot be published."))
    problems = _conflicts(year_list, entries)
    if problems:
        raise ValidationError(problems)
    rolled = rollover(user, year_list, project_ids=[e.project_id for e in entries if e.project_id])
    codes = iter(_next_codes(year_list.region_id, year_list.year, sum(1 for e in entries if e.candidate_id)))
    for entry in entries:
        if entry.candidate_id:
            project = _promote(entry.candidate, code=next(codes), entry=entry, year=year_list.year, user=user)
        else:
            project = entry.project
            if entry.invested_before is None:
                r = rolled.get(project.pk)
                entry.invested_before = r.invested_before if r else Decimal("0.00")
        plan = YearPlan(
            project=project,
            year=year_list.year,
            stage=entry.stage,
            planned_investment=entry.planned_investment,
            invested_before=entry.invested_before,
            planned_start_month=entry.planned_start_month,
            progress_target=entry.progress_target,
        )
        plan._history_user = user
        plan.save()
        entry.plan = plan
        entry._history_user = user
        entry.save(update_fields=["plan", "invested_before"])
    year_list.state = YearList.State.PUBLISHED
    year_list.published_at = timezone.now()
    year_list.published_by = user
    year_list._history_user = user
    year_list.save()
    return year_list
