"""State changes of monthly reports, year settings and start commitments.

Each validates, locks the row it changes (select_for_update) and records history in one transaction.
Permission failures raise PermissionDenied; bad input raises ValidationError.

The report services are the only writers of monthly reports: each one refreshes the project-year's
ProjectMonth summary (reports.months.refresh) in the same transaction, so figures never disagree
with the reports. Code that writes reports any other way must call reports.months.rebuild().
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lib import schedule, statements
from lib.concurrency import Stale, WrongState, canonical
from lib.images import photo_file
from lib.months import month_end
from lib.today import now
from projects.models import Project

from . import months
from .figures import month_plans
from .models import MonthlyReport, ReportEvent, ReportPhoto, StartCommitment, YearSetting

Status = MonthlyReport.Status
Action = ReportEvent.Action
REPORT_FIELDS = ("amount", "progress", "completion_pct", "started", "start_date", "workers", "problems")
REPORT_COLUMNS = tuple(field.attname for field in MonthlyReport._meta.concrete_fields)


def can_file(user: User, project: Project) -> bool:
    """The lead responsible unit files its projects' reports; the office may file for any in its scope."""
    if user.is_office:
        return Project.objects.for_user(user).filter(pk=project.pk).exists()
    return user.is_unit and user.unit_id is not None and project.lead_unit_id == user.unit_id


def can_edit(user: User, report: MonthlyReport) -> bool:
    """A unit edits drafts and returned reports; the office anything not approved (it reopens first)."""
    if not can_file(user, report.project):
        return False
    if user.is_office:
        return report.status != Status.APPROVED
    return report.status in (Status.DRAFT, Status.RETURNED)


def _record(
    report: MonthlyReport, action: str, by: User, reason: str = "", changes: list | None = None
) -> None:
    ReportEvent.objects.create(
        report=report, action=action, by=by, at=now(), reason=reason, changes=changes or []
    )


def _shown(report: MonthlyReport, name: str) -> str:
    """A report field's value as the audit trail shows it (choices and booleans in words)."""
    value = getattr(report, name)
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _changes(report: MonthlyReport, before: dict[str, str]) -> list[dict[str, str]]:
    """What a save changed, old → new, field by field (the audit trail)."""
    changes = []
    for name in REPORT_FIELDS:
        new = _shown(report, name)
        if name in before and before[name] != new:
            changes.append({"field": name, "old": before[name], "new": new})
    return changes


def _validate(data: dict) -> None:
    errors = {}
    if data.get("started") and not data.get("start_date"):
        errors["start_date"] = _("Give the date construction actually started.")
    if not data.get("started") and data.get("start_date"):
        errors["started"] = _("Tick 'construction started' when you give a start date.")
    if data.get("amount") is not None and Decimal(data["amount"]) < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class Known:
    """What is known of a project before its report for a month; a new report's form starts here."""

    started: bool
    start_date: dt.date | None
    completion_pct: Decimal | None
    workers: int | None


def _before(year: int, month: int) -> Q:
    return Q(year__lt=year) | Q(year=year, month__lt=month)


def projects_started_before(*, projects, year: int, month: int, user: User) -> set[int]:
    """The ids of `projects` (a Project queryset) that had started before their report for the
    month: the actual start is by the month's end, or the figures (reports.figures.started_by)
    count them started at the month before. Two queries, however many projects."""
    on_record = projects.filter(actual_start__lte=month_end(year, month)).values_list("pk", flat=True)
    prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
    plans = month_plans(user, year=prev_year, month=prev_month).filter(project__in=projects).started()
    return set(on_record) | set(plans.values_list("project_id", flat=True))


def started_before(*, project: Project, year: int, month: int, user: User) -> bool:
    """Whether the project had started before its report for the month (projects_started_before)."""
    one = Project.objects.filter(pk=project.pk)
    return project.pk in projects_started_before(projects=one, year=year, month=month, user=user)


def report_known(*, project: Project, year: int, month: int, user: User) -> Known:
    """Started and its date (the actual start, or the first counted report that gave one), and the
    physical completion and workers of the last report before the month."""
    started = started_before(project=project, year=year, month=month, user=user)
    earlier = MonthlyReport.objects.filter(_before(year, month), project=project)
    start_date = project.actual_start
    if started and start_date is None:
        start_date = (
            earlier.filter(status__in=MonthlyReport.COUNTED, started=True, start_date__isnull=False)
            .order_by("year", "month")
            .values_list("start_date", flat=True)
            .first()
        )
    last = earlier.order_by("-year", "-month").only("completion_pct", "workers").first()
    return Known(
        started=started,
        start_date=start_date if started else None,
        completion_pct=last.completion_pct if last else None,
        workers=last.workers if last else None,
    )


def is_correction(report: MonthlyReport) -> bool:
    """A report saying not started for a project that had: saved with the reason for it."""
    corrections = report.events.filter(action__in=[Action.CREATED, Action.SAVED]).exclude(reason="")
    return not report.started and corrections.exists()


def _check_correction(
    report: MonthlyReport | None,
    *,
    project: Project,
    year: int,
    month: int,
    data: dict,
    by: User,
    correction: str,
) -> None:
    """A started project stays started: a report saying otherwise must give the reason (a
    correction). A unit that merely forgets the tick is told so instead of un-starting it."""
    if data.get("started", True):  # says started, or leaves it as it was
        return
    if report is not None and is_correction(report):
        return
    if correction or not started_before(project=project, year=year, month=month, user=by):
        return
    raise ValidationError(
        {
            "correction": _(
                "The project has already started. Tick “construction started”, or give the reason "
                "if this report corrects that."
            )
        }
    )


def holds(report: MonthlyReport, data: dict) -> bool:
    """Whether the report already says what `data` says (a double click, a retry of the same form)."""
    return all(
        canonical(getattr(report, name)) == canonical(data[name]) for name in REPORT_FIELDS if name in data
    )


def report_save(
    *,
    project: Project,
    year: int,
    month: int,
    data: dict,
    by: User,
    correction: str = "",
    version: int | None = None,
) -> MonthlyReport:
    """Create or change the report of a project for a month (a draft until submitted).

    Saying a started project has not started needs `correction`, the reason, recorded on the event.
    `version`: the report's version the form was drawn from (0: the form showed no report yet);
    another raises lib.concurrency.Stale with the report as it is, unless it already says what the
    form says (a double submit: the report is returned as it is). None: not checked.
    """
    if not can_file(by, project):
        raise PermissionDenied(_("Only the project's responsible unit or the office files its reports."))
    _validate(data)
    try:
        # _report_save is atomic (a savepoint inside the caller's transaction): a double submit of a
        # new report on PostgreSQL makes both requests insert (select_for_update locks no row that
        # does not exist yet); the second's insert fails on the unique (project, year, month) once
        # the first commits, its savepoint is rolled back, and it decides again on the first's row,
        # now there to be locked.
        return _report_save(project, year, month, data, by, correction, version)
    except IntegrityError:
        if not MonthlyReport.objects.filter(project=project, year=year, month=month).exists():
            raise
        return _report_save(project, year, month, data, by, correction, version)


@transaction.atomic
def _report_save(
    project: Project, year: int, month: int, data: dict, by: User, correction: str, version: int | None
) -> MonthlyReport:
    correction = (correction or "").strip()
    # Lock the row so two people editing the same month do not overwrite each other's status change.
    # One row at most (unique project, year, month): unordered, so not joined to the project for its
    # code (which would lock the project row too; the summary's refresh takes it, as NO KEY UPDATE).
    report = _locked_month(project, year, month)
    if report is not None and version is not None and version != report.version:
        if holds(report, data):
            return report  # the same form again: it is saved already
        raise Stale(report)
    if report is not None and not can_edit(by, report):
        raise PermissionDenied(_("This report is locked: it has been submitted or approved."))
    _check_correction(
        report, project=project, year=year, month=month, data=data, by=by, correction=correction
    )
    action = Action.SAVED
    before = {}
    if report is None:
        report = MonthlyReport(project=project, year=year, month=month, created_by=by)
        action = Action.CREATED
    else:
        before = {name: _shown(report, name) for name in REPORT_FIELDS}
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, data[name])
    # The database's unique constraint decides (above); the project and the author are the rows
    # this call was given, not input: looking them up again would only repeat two queries.
    report.full_clean(validate_unique=False, exclude=["project", "created_by"])
    report.save()
    _record(report, action, by, correction if not report.started else "", _changes(report, before))
    months.refresh(project.pk, year)
    return report


def _locked_month(project: Project, year: int, month: int) -> MonthlyReport | None:
    """The project's report of the month, locked (select_for_update), if there is one, with `project`
    as its project: the row it was found by, so the audit trail names it without a query. Its
    statement is compiled once per process and month (lib.statements, the project's id bound in):
    compiling the locking read cost ~1,500 of a submission's Python calls. Inside a transaction,
    which reads the primary (lib.dbrouter)."""
    found = statements.by_ids(
        MonthlyReport,
        ("report save's lock", year, month),
        [project.pk],
        lambda ids: (
            MonthlyReport.objects.select_for_update()
            .filter(project_id__in=ids, year=year, month=month)
            .order_by()
            .values_list(*REPORT_COLUMNS)
        ),
        locking=True,
    )
    if not found:
        return None
    report = MonthlyReport.from_db(router.db_for_read(MonthlyReport), REPORT_COLUMNS, found[0])
    report.project = project
    return report


def _locked(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().select_related("project").get(pk=report.pk)


def already(report: MonthlyReport) -> str:
    """What a report's state says to someone asking a step it has passed (two clicks, two people)."""
    who, when = report.last_change()
    if who is None or when is None:
        return ""
    return _("The report is already %(status)s: %(who)s, %(when)s.") % {
        "status": str(report.get_status_display()).lower(),
        "who": who,
        "when": f"{timezone.localtime(when):%Y-%m-%d %H:%M}",
    }


def report_submit(*, report: MonthlyReport, by: User, locked: bool = False) -> MonthlyReport:
    """Draft → submitted, or returned → submitted again ("resubmitted").

    `locked`: `report` is the row as report_save answered it inside the caller's transaction (the
    form's "save and submit"), locked by it and changed only by it since: it is not read and locked
    again, and the submit takes no savepoint of its own (a refused submit raises before it writes,
    and the caller's transaction rolls back the save with it).
    """
    if not locked:
        with transaction.atomic():
            return _submit(_locked(report), by)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("report_submit(locked=True) belongs inside the transaction that saved the report")
    with transaction.atomic(savepoint=False):
        return _submit(report, by)


def _submit(report: MonthlyReport, by: User) -> MonthlyReport:
    if not can_file(by, report.project):
        raise PermissionDenied(_("Only the project's responsible unit or the office files its reports."))
    if report.status not in (Status.DRAFT, Status.RETURNED):
        raise WrongState(already(report) or _("Only a draft or a returned report can be submitted."))
    action = Action.RESUBMITTED if report.status == Status.RETURNED else Action.SUBMITTED
    moment = now()
    report.status = Status.SUBMITTED
    report.submitted_at = moment
    report.first_submitted_at = report.first_submitted_at or moment
    report.save(update_fields=["status", "submitted_at", "first_submitted_at", "updated"])
    _record(report, action, by)
    months.refresh(report.project_id, report.year)
    return report


def _office(by: User, report: MonthlyReport) -> None:
    if not by.is_office or not Project.objects.for_user(by).filter(pk=report.project_id).exists():
        raise PermissionDenied(_("Only the key-project office approves, returns or reopens reports."))


@transaction.atomic
def report_return(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Submitted → returned, with the reason the unit must correct."""
    report = _locked(report)
    _office(by, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is returned.")})
    if report.status != Status.SUBMITTED:
        raise WrongState(already(report) or _("Only a submitted report can be returned."))
    report.status = Status.RETURNED
    report.return_reason = reason
    report.save(update_fields=["status", "return_reason", "updated"])
    _record(report, Action.RETURNED, by, reason)
    months.refresh(report.project_id, report.year)
    return report


@transaction.atomic
def report_approve(*, report: MonthlyReport, by: User) -> MonthlyReport:
    """Submitted → approved. A report that says construction started sets the project's actual start."""
    report = _locked(report)
    _office(by, report)
    if report.status != Status.SUBMITTED:
        raise WrongState(already(report) or _("Only a submitted report can be approved."))
    report.status = Status.APPROVED
    report.approved_at = now()
    report.save(update_fields=["status", "approved_at", "updated"])
    _record(report, Action.APPROVED, by)
    if report.started and report.start_date:
        project = Project.objects.select_for_update().get(pk=report.project_id)
        if project.actual_start is None:
            project.actual_start = report.start_date
            if project.status == Project.Status.PREPARING:
                project.status = Project.Status.UNDER_CONSTRUCTION
            project._change_reason = _approval_reason(report)
            project.save()
    elif is_correction(report):
        _withdraw_corrected_start(report)
    months.refresh(report.project_id, report.year)
    return report


def _withdraw_corrected_start(report: MonthlyReport) -> None:
    """The office approves a correction (not started, with its reason): an actual start on the
    project's record by the report's month no longer stands, or the figures would still count it."""
    project = Project.objects.select_for_update().get(pk=report.project_id)
    if project.actual_start is None or project.actual_start > month_end(report.year, report.month):
        return
    project.actual_start = None
    if project.status == Project.Status.UNDER_CONSTRUCTION:
        project.status = Project.Status.PREPARING
    project._change_reason = f"report {report.year}-{report.month:02d} approved: a correction, not started"
    project.save()


def _approval_reason(report: MonthlyReport) -> str:
    """The project history's change reason when approving `report` set the actual start."""
    return f"report {report.year}-{report.month:02d} approved"


def _start_set_by_approval(project: Project, report: MonthlyReport) -> tuple[bool, str | None]:
    """Whether the project's current actual start was set by approving `report`, and the status the
    project had just before that approval (None if not set by it).

    Walks the project's history back to the change that gave actual_start its current value.
    """
    setter, before = None, None
    records = project.history.order_by("-history_date", "-history_id").values_list(
        "actual_start", "status", "history_change_reason"
    )
    for actual_start, status, reason in records.iterator():
        if setter is not None and actual_start != project.actual_start:
            before = status
            break
        if actual_start != project.actual_start:
            return False, None
        setter = reason
    if setter != _approval_reason(report):
        return False, None
    return True, before


def _withdraw_start(report: MonthlyReport) -> None:
    """Undo what approving `report` did to its project's start, once it no longer counts.

    Only when the actual start is this report's date, was set by its approval, and no other
    counted report of the project says construction started (it still carries the start then).
    The status goes back to preparing if that approval moved it to under construction.
    """
    if not (report.started and report.start_date):
        return
    project = Project.objects.select_for_update().get(pk=report.project_id)
    if project.actual_start != report.start_date:
        return
    others = MonthlyReport.objects.filter(
        project_id=report.project_id, status__in=MonthlyReport.COUNTED, started=True
    ).exclude(pk=report.pk)
    if others.exists():
        return
    set_by_it, before = _start_set_by_approval(project, report)
    if not set_by_it:
        return
    project.actual_start = None
    if project.status == Project.Status.UNDER_CONSTRUCTION and before == Project.Status.PREPARING:
        project.status = Project.Status.PREPARING
    project._change_reason = f"report {report.year}-{report.month:02d} reopened"
    project.save()


@transaction.atomic
def report_reopen(*, report: MonthlyReport, by: User, reason: str) -> MonthlyReport:
    """Approved → returned, so the unit can correct it; recorded with the office's reason.

    A report that no longer counts no longer says the project started: if its approval set the
    project's actual start (and nothing else counted says it started), that start is withdrawn.
    """
    report = _locked(report)
    _office(by, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is reopened.")})
    if report.status != Status.APPROVED:
        raise WrongState(already(report) or _("Only an approved report can be reopened."))
    report.status = Status.RETURNED
    report.return_reason = reason
    report.approved_at = None
    report.save(update_fields=["status", "return_reason", "approved_at", "updated"])
    _record(report, Action.REOPENED, by, reason)
    _withdraw_start(report)
    months.refresh(report.project_id, report.year)
    return report


@transaction.atomic
def photo_add(*, report: MonthlyReport, upload: UploadedFile, caption: str, by: User) -> ReportPhoto:
    report = _locked(report)
    if not can_edit(by, report):
        raise PermissionDenied(_("This report is locked: it has been submitted or approved."))
    picture = photo_file(upload)  # drawn again: never the uploader's bytes, name or metadata
    photo = ReportPhoto(report=report, uid=secrets.token_hex(8), caption=caption[:120], uploaded_by=by)
    photo.image.save(picture.name, picture, save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, photo: ReportPhoto, by: User) -> None:
    """Remove a photo from the report: a soft delete — row and file are kept, marked who and when
    (real clock), for the audit trail; pages never show it again."""
    report = _locked(photo.report)
    if not can_edit(by, report):
        raise PermissionDenied(_("This report is locked: it has been submitted or approved."))
    photo.deleted_at = timezone.now()
    photo.deleted_by = by
    photo.save(update_fields=["deleted_at", "deleted_by"])


@transaction.atomic
def year_setting_save(
    *,
    region,
    year: int,
    deadline_day: int,
    yellow_threshold: Decimal,
    mode: str,
    curve: list | None,
    by: User,
    dispatch_rules: dict | None = None,
) -> YearSetting:
    """Create or change a region's year setting (office only). `dispatch_rules`: the quarterly
    dispatch's criticism and commendation rule (YearSetting.DISPATCH_RULES), when given."""
    if not by.is_office or not region.path.startswith(by.region.path):
        raise PermissionDenied(_("Only the key-project office configures the year."))
    values: list[str] = []
    if mode == schedule.CUSTOM:
        try:
            values = [f"{v}" for v in schedule.validate_curve(curve or [])]
        except ValueError:
            raise ValidationError(
                {
                    "curve": _(
                        "The curve needs 12 percentages from 0 to 100, never going down, reaching 100 in December."
                    )
                }
            )
    setting, _created = YearSetting.objects.select_for_update().get_or_create(region=region, year=year)
    setting.deadline_day = deadline_day
    setting.yellow_threshold = yellow_threshold
    setting.mode = mode
    setting.curve = values
    for name, value in (dispatch_rules or {}).items():
        if name not in YearSetting.DISPATCH_RULES:
            raise ValueError(f"not a dispatch rule: {name!r}")
        setattr(setting, name, value)
    setting.full_clean()
    setting.save()
    return setting


@transaction.atomic
def commit_start(
    *, project: Project, date: dt.date, by: User, note: str = "", source: str = ""
) -> StartCommitment:
    """Record the start date committed to for a project; earlier commitments stay, marked superseded.

    Units commit for their own projects; the office (and meetings, through `source`) for any in scope.
    """
    if not (
        can_file(by, project) or (source and Project.objects.for_user(by).filter(pk=project.pk).exists())
    ):
        raise PermissionDenied(
            _("Only the project's responsible unit or the office sets its committed start.")
        )
    # Lock the project so two commitments made at once leave exactly one current.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    StartCommitment.objects.filter(project=project, superseded=False).update(superseded=True)
    return StartCommitment.objects.create(
        project=project, committed_date=date, by=by, at=now(), note=note[:200], source=source[:120]
    )
