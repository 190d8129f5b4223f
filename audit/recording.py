"""Writing the audit log: each historical record (django-simple-history) and each report workflow
step becomes one AuditEntry, in the same transaction as the change.

These receivers only write the log; they decide nothing. Values are written as text in the
installation's language (settings.LANGUAGE_CODE), as they read when the change was made.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import connections, models, router, transaction
from django.db.models.sql import InsertQuery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blockers.models import BlockerEvent
from reports.models import ReportEvent
from supervision.models import TaskFeedback

from .models import AuditEntry

HISTORY_ACTIONS = {
    "+": AuditEntry.Action.CREATED,
    "~": AuditEntry.Action.CHANGED,
    "-": AuditEntry.Action.DELETED,
}
# How an audited object reaches its region, tried in order (the first the model has).
REGION_PATHS = (
    ("region_id",),
    ("project", "region_id"),
    ("plan", "project", "region_id"),
    ("report", "project", "region_id"),
    ("meeting", "region_id"),
    ("blocker", "project", "region_id"),
)
# A soft delete (lib.softdelete; a photo removed) is a change of this field from empty to a time, a
# restore (audit.services.deleted_restore) the change back.
SOFT_DELETE_FIELD = "deleted_at"
SOFT_DELETE_MARK = (SOFT_DELETE_FIELD, "deleted_by")


def region_of(instance: models.Model, depth: int = 2) -> int | None:
    """The id of the region an audited object belongs to, or None: by the known paths, else through
    its first key (not to a user: a user's region is not the object's) whose object has a region."""
    for path in REGION_PATHS:
        value: object = instance
        try:
            for step in path:
                value = getattr(value, step)
        except (AttributeError, ObjectDoesNotExist):
            continue
        return value if isinstance(value, int) else None
    if depth == 0:
        return None
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or field.related_model is user_model:
            continue
        try:
            parent = getattr(instance, field.name)
        except ObjectDoesNotExist:
            continue
        found = region_of(parent, depth - 1) if parent is not None else None
        if found is not None:
            return found
    return None


def _text(model: type[models.Model], name: str, value: object) -> str:
    """A field's value as the audit log shows it."""
    if value in (None, ""):
        return "—"
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if field.is_relation and field.related_model is not None and not field.many_to_many:
        # _base_manager: a soft-deleted row is still named, not shown as a bare id
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def _all_values(record, model: type[models.Model], *, deleted: bool) -> list[dict[str, str]]:
    """Every value of the row in `record`: each new (created) or each as it was (deleted: the row
    is restorable, audit.services.deleted_restore)."""
    changes = []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in SOFT_DELETE_MARK or not hasattr(record, f.attname):
            continue
        shown = _text(model, f.name, getattr(record, f.attname, None))
        if shown != "—":
            pair = (shown, "—") if deleted else ("—", shown)
            changes.append({"field": f.name, "old": pair[0], "new": pair[1]})
    return changes


def _soft_deleted(changes: list[dict[str, str]]) -> bool:
    return any(c["field"] == SOFT_DELETE_FIELD and c["old"] == "—" for c in changes)


def _restored(changes: list[dict[str, str]]) -> bool:
    return any(c["field"] == SOFT_DELETE_FIELD and c["new"] == "—" for c in changes)


def _previous(record, model: type[models.Model]):
    """The version before `record`, by insertion order: simple_history's prev_record orders by time,
    which a frozen clock (the tests, the demo's pinned day) makes equal for two versions."""
    pk = model._meta.pk.attname
    return (
        type(record)
        .objects.filter(**{pk: getattr(record, pk)}, history_id__lt=record.history_id)
        .order_by("-history_id")
        .first()
    )


def _history_changes(record, model: type[models.Model]) -> list[dict[str, str]]:
    if record.history_type in ("+", "-"):
        return _all_values(record, model, deleted=record.history_type == "-")
    if record.history_type != "~":
        return []
    previous = _previous(record, model)
    if previous is None:
        # A row created without a version (bulk_create: list entries) has none before its first
        # change; when that change is its soft delete, it still reads as one.
        marked = getattr(record, SOFT_DELETE_FIELD, None)
        if marked is None:
            return []
        mark = {"field": SOFT_DELETE_FIELD, "old": "—", "new": _text(model, SOFT_DELETE_FIELD, marked)}
        return [mark, *_all_values(record, model, deleted=True)]
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    changes = [
        {"field": c.field, "old": _text(model, c.field, c.old), "new": _text(model, c.field, c.new)}
        for c in delta.changes
        if not _is_m2m(model, c.field)
    ]
    if _soft_deleted(changes):
        # A recorded soft delete reads like a deletion: every value the row had (old → —).
        return [c for c in changes if c["field"] == SOFT_DELETE_FIELD] + _all_values(
            record, model, deleted=True
        )
    return changes


def _is_m2m(model: type[models.Model], name: str) -> bool:
    try:
        return model._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False


def _search_text(repr_: str, changes: list[dict[str, str]]) -> str:
    parts = [repr_] + [f"{c['old']} {c['new']}" for c in changes]
    return " ".join(parts).lower()


def entry_record(
    *,
    action: str,
    instance: models.Model,
    by_id: int | None,
    changes: list[dict[str, str]],
    label: str | None = None,
) -> AuditEntry:
    """Write one line of the audit log about `instance`."""
    shown = str(instance)[:200]
    entry = AuditEntry(
        at=timezone.now(),
        by_id=by_id,
        action=action,
        model=label or instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=shown,
        region_id=region_of(instance),
        changes=changes,
        text=_search_text(shown, changes),
    )
    _insert(entry)
    return entry


# The INSERT of an entry, compiled once per database connection (see _insert).
INSERT_FIELDS = tuple(field for field in AuditEntry._meta.concrete_fields if not field.primary_key)
_kept_insert: dict[str, tuple] = {}


def _insert(entry: AuditEntry) -> None:
    """Write `entry` as entry.save() would — the same INSERT … RETURNING id, the values prepared by
    the same compiler — its statement compiled once per connection: every report workflow step writes
    one, and compiling the INSERT through Model.save cost ~350 Python calls of each (two a "save and
    submit", docs/benchmarks.md). An AuditEntry has no save() of its own and no pre_save or post_save
    receivers, so nothing is skipped (tests/test_audit_insert.py holds both); where the database
    cannot return the id from an INSERT, entry.save()."""
    db = router.db_for_write(AuditEntry)
    connection = connections[db]
    if not connection.features.can_return_columns_from_insert:
        entry.save(force_insert=True, using=db)
        return
    kept = _kept_insert.get(db)
    if kept is None or kept[0].connection is not connection:
        query = InsertQuery(AuditEntry)
        query.insert_values(INSERT_FIELDS, [entry])
        compiler = query.get_compiler(using=db)
        compiler.returning_fields = [AuditEntry._meta.pk]
        [(sql, _params)] = compiler.as_sql()
        kept = _kept_insert[db] = (compiler, sql)
    compiler, sql = kept
    params = [compiler.prepare_value(field, compiler.pre_save_val(field, entry)) for field in INSERT_FIELDS]
    with transaction.mark_for_rollback_on_error(db), connection.cursor() as cursor:  # as save() does
        cursor.execute(sql, params)
        (entry.pk,) = cursor.fetchone()
    entry._state.adding, entry._state.db = False, db


def on_history(sender, instance: models.Model, history_instance, **kwargs) -> None:
    """post_create_historical_record: one entry per version; a save that changed nothing is none."""
    model = type(instance)
    with translation.override(settings.LANGUAGE_CODE):
        changes = _history_changes(history_instance, model)
        action = HISTORY_ACTIONS.get(history_instance.history_type, AuditEntry.Action.CHANGED)
        if action == AuditEntry.Action.CHANGED and not changes:
            return
        if _soft_deleted(changes):
            action = AuditEntry.Action.DELETED
        elif _restored(changes):
            action = AuditEntry.Action.RESTORED
        entry_record(
            action=action, instance=instance, by_id=history_instance.history_user_id, changes=changes
        )


REPORT_ACTIONS = {
    ReportEvent.Action.CREATED: AuditEntry.Action.CREATED,
    ReportEvent.Action.SAVED: AuditEntry.Action.CHANGED,
}


def on_report_event(sender, instance: ReportEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """A report's workflow step (saved with its old → new, submitted, returned, ...) is entered too."""
    if not created or raw:
        return
    action = REPORT_ACTIONS.get(instance.action, instance.action)
    if action == AuditEntry.Action.CHANGED and not instance.changes:
        return
    with translation.override(settings.LANGUAGE_CODE):
        changes = list(instance.changes)
        if instance.reason:
            changes.append({"field": "reason", "old": "", "new": instance.reason})
        entry_record(action=action, instance=instance.report, by_id=instance.by_id, changes=changes)


TIMELINE_ACTIONS = {
    "created": AuditEntry.Action.CREATED,
    "edited": AuditEntry.Action.CHANGED,
    "measures": AuditEntry.Action.CHANGED,
}


def _choice(field: models.Field, value: object) -> str:
    return str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else "—"


def on_blocker_event(sender, instance: BlockerEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """A blocker's timeline step (raised, status, escalation, measures, comment, meeting) is entered too."""
    if not created or raw:
        return
    with translation.override(settings.LANGUAGE_CODE):
        changes = []
        if instance.from_status or instance.to_status:
            status = BlockerEvent._meta.get_field("to_status")
            changes.append(
                {
                    "field": "status",
                    "old": _choice(status, instance.from_status),
                    "new": _choice(status, instance.to_status),
                }
            )
        if instance.level is not None:
            level = BlockerEvent._meta.get_field("level")
            changes.append({"field": "level", "old": "—", "new": _choice(level, instance.level)})
        if instance.text:
            changes.append({"field": "text", "old": "—", "new": instance.text})
        action = TIMELINE_ACTIONS.get(instance.kind, instance.kind)
        entry_record(action=action, instance=instance.blocker, by_id=instance.by_id, changes=changes)


def on_task_feedback(sender, instance: TaskFeedback, created: bool, raw: bool = False, **kwargs) -> None:
    """A supervision task's timeline step (assigned, feedback, reported, sent back, closed) is entered too."""
    if not created or raw:
        return
    with translation.override(settings.LANGUAGE_CODE):
        changes = [{"field": "text", "old": "—", "new": instance.text}] if instance.text else []
        action = TIMELINE_ACTIONS.get(instance.kind, instance.kind)
        entry_record(action=action, instance=instance.task, by_id=instance.by_id, changes=changes)
