"""Imports: upload → preview → (accept new names) → confirm, all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from lib import uploads
from lib.tabular import Table, dump_tables, load_tables, read_tables
from lib.today import now
from projects import baseline
from projects.models import Leader, Project, Sector, Unit, YearPlan
from regions.models import Region

from .matching import LEADER, SECTOR, TOLERANT_KINDS, UNIT, Ref
from .models import ImportBatch
from .pool_import import preview_pool, write_pool
from .project_import import PLAN_FIELDS, Preview, preview_projects, summarise

UPLOAD_MESSAGES = {
    "empty": gettext_lazy("The file is empty."),
    "too_large": gettext_lazy("The file is larger than 10 MB."),
    "type": gettext_lazy("This is not an Excel workbook (.xlsx, .xls) or a CSV file."),
    "bomb": gettext_lazy("The workbook inflates to far more than its size and was refused."),
    "encrypted": gettext_lazy("The workbook is protected by a password; save it without one."),
    "damaged": gettext_lazy("The workbook is damaged and cannot be read."),
    "dtd": gettext_lazy("The workbook contains a document type declaration and was refused."),
    "encoding": gettext_lazy("The CSV file is neither UTF-8 nor GBK text."),
    "too_many_rows": gettext_lazy(
        "Sheet %(sheet)s holds rows beyond row %(limit)d (row %(row)d): at most %(limit)d rows are "
        "read. Delete the rows below the table, or split the file."
    ),
    "too_many_columns": gettext_lazy(
        "Sheet %(sheet)s has a value in cell %(cell)s, beyond column %(limit)s: at most that many "
        "columns are read. Delete the columns to the right of the table."
    ),
    "too_many_merges": gettext_lazy(
        "Sheet %(sheet)s has more than %(limit)d merged ranges. Unmerge the cells of the rows."
    ),
    "merge_too_large": gettext_lazy(
        "Sheet %(sheet)s merges cells far beyond the table. Unmerge the cells below and to the right of it."
    ),
    "too_many_cells": gettext_lazy("Sheet %(sheet)s holds more than %(limit)d filled cells; split the file."),
}


class ImportChanged(Exception):
    """What confirming would write is no longer what the preview showed."""


def upload_message(exc: uploads.UploadRejected) -> str:
    message = UPLOAD_MESSAGES.get(exc.code)
    if message is None:
        return str(exc)
    return str(message) % exc.params if exc.params else str(message)


def limits() -> uploads.Limits:
    """What an import reads at most (settings KEYPROJ_IMPORT_*)."""
    return uploads.Limits(
        max_unzipped=settings.KEYPROJ_IMPORT_MAX_UNZIPPED_MB * 1024 * 1024,
        max_rows=settings.KEYPROJ_IMPORT_MAX_ROWS,
        max_columns=settings.KEYPROJ_IMPORT_MAX_COLUMNS,
        max_merges=settings.KEYPROJ_IMPORT_MAX_MERGES,
    )


def check_and_read(data: bytes) -> tuple[str, list[Table]]:
    """The file's real type and its sheets; ValidationError with a plain reason when unreadable."""
    try:
        kind = uploads.sniff(data, limits=limits())
        return kind, read_tables(data, kind, limits=limits())
    except uploads.UploadRejected as exc:
        raise ValidationError(upload_message(exc), code=exc.code)


def import_upload(
    *,
    user: User,
    data: bytes,
    filename: str,
    kind: str,
    year: int,
    region: Region,
    month: int | None = None,
    read: tuple[str, list[Table]] | None = None,
) -> ImportBatch:
    """Check and parse the file, once, and keep both for the preview. Nothing of the ledger changes.
    `read`: what check_and_read(data) already gave (the command line has parsed it to preview)."""
    _authorise(user, kind, region)
    file_type, tables = read or check_and_read(data)
    batch = ImportBatch(
        user=user,
        region=region,
        kind=kind,
        year=year,
        month=month if kind == ImportBatch.Kind.MONTHLY else None,  # a project list is for a year
        original_name=filename[:200],
        file_type=file_type,
    )
    batch.file.save(f"import.{file_type}", ContentFile(data), save=False)
    batch.parsed.save("import.json", ContentFile(dump_tables(tables)), save=False)
    batch.save()
    return batch


def _authorise(user: User, kind: str, region: Region) -> None:
    if not user.region or not user.region.contains(region):
        raise PermissionDenied
    if kind in (ImportBatch.Kind.PROJECTS, ImportBatch.Kind.POOL) and not user.is_office:
        raise PermissionDenied
    if kind == ImportBatch.Kind.MONTHLY and not (user.is_office or user.is_unit):
        raise PermissionDenied


def batch_tables(batch: ImportBatch) -> list[Table]:
    """The sheets read when the file was uploaded (a batch kept from before: read now, once)."""
    if not batch.parsed:
        with batch.file.open("rb") as handle:
            _kind, tables = check_and_read(handle.read())
        batch.parsed.save("import.json", ContentFile(dump_tables(tables)), save=False)
        batch.save(update_fields=["parsed"])
        return tables
    with batch.parsed.open("rb") as handle:
        return load_tables(handle.read())


def build_preview(batch: ImportBatch):
    """Say what confirming the sheets read at upload would do (import_preview records the counts)."""
    tables = batch_tables(batch)
    if batch.kind == ImportBatch.Kind.MONTHLY:
        from .monthly_import import preview_monthly

        return preview_monthly(tables, batch=batch)
    if batch.kind == ImportBatch.Kind.POOL:
        return preview_pool(tables, batch=batch)
    return preview_projects(tables, year=batch.year, region=batch.region, accepted=batch.accepted)


def import_preview(*, batch: ImportBatch):
    preview = build_preview(batch)
    batch.fingerprint = preview.fingerprint()
    batch.summary = summarise(preview)
    batch.save(update_fields=["fingerprint", "summary"])
    return preview


def import_accept(*, batch: ImportBatch, user: User, kind: str, names: list[str]) -> None:
    """Accept new units, sectors or leaders proposed by the preview (office only)."""
    if not user.is_office or batch.user_id != user.pk or kind not in (UNIT, SECTOR, LEADER):
        raise PermissionDenied
    accepted = dict(batch.accepted)
    accepted[kind] = sorted(set(accepted.get(kind, [])) | {n.strip() for n in names if n.strip()})
    batch.accepted = accepted
    batch.save(update_fields=["accepted"])


def import_choose(
    *,
    batch: ImportBatch,
    user: User,
    matches: dict[str, list[str]] | None = None,
    sectors: dict[str, int] | None = None,
    skip: list[str] | None = None,
    skip_fields: dict[str, list[str]] | None = None,
) -> None:
    """Record the office's decisions in the preview (office only): the tolerant matches it ticked
    (added to those ticked before), the sectors it confirmed or chose for rows without one, and —
    when given — the rows and fields it leaves out (replacing the earlier ones)."""
    if not user.is_office or batch.user_id != user.pk:
        raise PermissionDenied
    accepted = dict(batch.accepted)
    if matches:
        ticked = dict(accepted.get("match") or {})
        for kind, names in matches.items():
            if kind not in TOLERANT_KINDS:
                raise PermissionDenied
            ticked[kind] = sorted(set(ticked.get(kind, [])) | {n.strip() for n in names if n.strip()})
        accepted["match"] = ticked
    if sectors:
        accepted["sectors"] = {**(accepted.get("sectors") or {}), **{k: int(v) for k, v in sectors.items()}}
    if skip is not None:
        accepted["skip"] = sorted(set(skip))
    if skip_fields is not None:
        accepted["skip_fields"] = {k: sorted(set(v)) for k, v in skip_fields.items() if v}
    batch.accepted = accepted
    batch.save(update_fields=["accepted"])


def import_cancel(*, batch: ImportBatch, user: User) -> None:
    if batch.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportBatch.Status.PREVIEW:
            batch.status = ImportBatch.Status.CANCELLED
            batch.save(update_fields=["status"])


@transaction.atomic
def import_confirm(*, batch: ImportBatch, user: User, force: bool = False):
    """Write the preview, all or nothing, with `user` in the history. Raises on errors or drift."""
    # The lock stops a double click (or two offices) from importing the same batch twice.
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.user_id != user.pk:
        raise PermissionDenied
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("This import was already confirmed or cancelled."))
    _authorise(user, batch.kind, batch.region)
    preview = build_preview(batch)
    if preview.errors:
        raise ValidationError(_("The file still has errors; nothing was imported."))
    if preview.decisions:
        raise ValidationError(_("Some rows still wait for your decision; nothing was imported."))
    if not preview.rows:
        raise ValidationError(_("The file holds no rows to import."))
    if not preview.creates and not preview.updates and batch.kind != ImportBatch.Kind.MONTHLY:
        raise ValidationError(_("Nothing to change: the file agrees with the database."))
    if not force and preview.fingerprint() != batch.fingerprint:
        raise ImportChanged
    if batch.kind == ImportBatch.Kind.MONTHLY:
        from .monthly_import import write_monthly

        write_monthly(preview, batch=batch, user=user)
    elif batch.kind == ImportBatch.Kind.POOL:
        write_pool(preview, batch=batch, user=user)
    else:
        write_projects(preview, user=user)
    batch.status = ImportBatch.Status.CONFIRMED
    batch.confirmed = now()
    batch.summary = summarise(preview)
    batch.save(update_fields=["status", "confirmed", "summary"])
    return preview


def _new_objects(preview: Preview) -> dict[tuple[str, str], object]:
    """Create the accepted new sectors, units and leaders that rows use."""
    wanted: dict[tuple[str, str], Ref] = {}
    for row in preview.rows:
        for value in row.values.values():
            refs = value if isinstance(value, tuple) else (value,)
            for ref in refs:
                if isinstance(ref, Ref) and ref.is_new:
                    wanted[(ref.kind, ref.name)] = ref
    made: dict[tuple[str, str], object] = {}
    for (kind, name), _ref in sorted(wanted.items()):
        if kind == SECTOR:
            made[(kind, name)] = Sector.objects.get_or_create(name=name)[0]
        elif kind == UNIT:
            township = name.endswith(("镇人民政府", "乡人民政府", "街道办事处"))
            made[(kind, name)] = Unit.objects.create(
                region=preview.region, name=name, kind=Unit.Kind.TOWNSHIP if township else Unit.Kind.BUREAU
            )
        elif kind == LEADER:
            made[(kind, name)] = Leader.objects.create(region=preview.region, title=name)
    return made


def _pk(ref: Ref | None, made: dict) -> int | None:
    if ref is None:
        return None
    return ref.pk if ref.pk is not None else made[(ref.kind, ref.name)].pk


def write_projects(preview: Preview, *, user: User) -> None:
    """Create the new projects and write the changed fields of the updated ones, with their year
    plans (call inside a transaction). Rows left out and fields unticked are not written."""
    made = _new_objects(preview)
    ids = [row.project_id for row in preview.updates]
    locked = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=ids, region=preview.region)}
    plans = {
        p.project_id: p
        for p in YearPlan.objects.select_for_update().filter(project_id__in=ids, year=preview.year)
    }
    for row in [*preview.creates, *preview.updates]:
        creating = row.project_id is None
        keys = set(row.values) if creating else set(row.changes)
        project = Project(region=preview.region, content="") if creating else locked[row.project_id]
        before = None if creating else baseline.values_of(project)
        for key, value in row.values.items():
            if key not in keys or key in PLAN_FIELDS or key in ("cooperating_units", "townships"):
                continue
            if key in ("sector", "lead_unit", "leader"):
                setattr(project, f"{key}_id", _pk(value, made))
            else:
                setattr(project, key, value)
        if creating or keys - set(PLAN_FIELDS) - {"cooperating_units", "townships", "plan"}:
            project._history_user = user
            project.save()
            if before is not None:  # a changed total investment or planned date is a baseline revision
                baseline.revision_record(
                    user=user, project=project, before=before, reason=_("Changed by a list import")
                )
        if "cooperating_units" in keys:
            project.cooperating_units.set([_pk(ref, made) for ref in row.values["cooperating_units"]])
        if "townships" in keys:
            project.townships.set(row.values["townships"])
        plan = plans.get(project.pk)
        if plan is None:
            plan, keys = YearPlan(project=project, year=preview.year), set(row.values)
        elif not keys & set(PLAN_FIELDS):
            continue
        for key in PLAN_FIELDS:
            if key in row.values and key in keys:
                value = row.values[key]
                setattr(plan, key, "" if value is None and key == "progress_target" else value)
        plan._history_user = user
        plan.save()
