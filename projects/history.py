"""The project's audit trail: who changed what, when, old → new, from django-simple-history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _

from .models import Project


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    who: str
    what: str
    action: str
    changes: list[Change] = field(default_factory=list)


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# A team member removed is soft-deleted (lib.softdelete): the change that sets the mark reads as a deletion.
DELETE_MARK = ("deleted_at", "deleted_by")


def _display(model: type[models.Model], name: str, value: object) -> str:
    if value in (None, ""):
        return "—"
    try:
        f = model._meta.get_field(name)
    except Exception:
        return str(value)
    if f.many_to_many:
        target = f.related_model
        ids = [row[target._meta.model_name] if isinstance(row, dict) else row for row in value]
        names = target.objects.filter(pk__in=ids).values_list(
            "name" if hasattr(target, "name") else "pk", flat=True
        )
        return "、".join(str(n) for n in names) or "—"
    if f.is_relation:
        obj = f.related_model.objects.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _entries(records: list, label: str) -> list[Entry]:
    entries = []
    previous = None
    for record in records:
        model = record.instance_type
        entry = Entry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else _("system"),
            what=label,
            action=ACTIONS.get(record.history_type, record.history_type),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            if any(c.field == DELETE_MARK[0] and c.old is None for c in delta.changes):
                entry.action = "deleted"
            for change in delta.changes:
                if change.field in DELETE_MARK:
                    continue
                f = model._meta.get_field(change.field)
                entry.changes.append(
                    Change(
                        field=str(f.verbose_name),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
            if not entry.changes and entry.action != "deleted":
                previous = record
                continue
        entries.append(entry)
        previous = record
    return entries


def project_history(project: Project) -> list[Entry]:
    """Every recorded change to the project, its year plans, monthly plans and team, newest first."""
    entries = _entries(
        list(project.history.select_related("history_user").order_by("history_date", "history_id")),
        _("Project"),
    )
    plan_model = project.plans.model
    plans: dict[int, list] = {}
    for record in (
        plan_model.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        plans.setdefault(record.id, []).append(record)
    for records in plans.values():
        entries += _entries(records, _("Year plan %(year)s") % {"year": records[-1].year})
    members: dict[int, list] = {}
    team_model = project.team.model
    for record in (
        team_model.history.filter(project_id=project.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        members.setdefault(record.id, []).append(record)
    for records in members.values():
        entries += _entries(records, _("Team member %(name)s") % {"name": records[-1].name})
    return sorted(entries, key=lambda e: e.when, reverse=True)
