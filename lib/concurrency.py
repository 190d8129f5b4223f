"""Optimistic concurrency: two people editing one row never overwrite each other unknowingly.

One mechanism for projects, year plans, monthly reports, blockers and supervision tasks:

- the model is `Versioned`: an integer `version`, 1 when created, one more on every save. Every
  writer of these rows re-reads the row under select_for_update before it changes it (the services
  and views do), so the in-memory count is the row's count.
- the form that changes the row carries the version it was drawn from and a digest of each value it
  showed (`carry_version`, two hidden fields);
- the writer, in its transaction, locks the row and compares (`lock_seen`): another version means
  someone saved in between, and it raises `Stale` with the row as it is now — nothing is saved;
- the view re-shows the form as typed, with the box templates/_stale.html draws from `conflict()`:
  who changed it and when, and for each field the other person changed, their value beside this
  user's. Fields the other person changed and this user left alone take the other's value; the
  form now carries the new version, so saving again is a deliberate choice.

Also `WrongState`: a state change asked of a row in another state (submit a submitted report,
close a closed task) — the usual outcome of a double click or of two people acting at once. Views
show its message (the API answers 409); it is a ValidationError, so older handlers still catch it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

VERSION_FIELD = "version"
SEEN_FIELD = "seen"
VERSIONS_FIELD = "versions"
SEEN_MAX_LENGTH = 20000


class Versioned(models.Model):
    """A row whose every save counts one more `version` (a counter, not business logic)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], VERSION_FIELD]
        super().save(*args, **kwargs)

    def last_change(self) -> tuple[object | None, dt.datetime | None]:
        """Who saved the row last and when, from the model's own history (django-simple-history's
        `history`, the newest by insertion order, not by time: the demo pins the day, tests freeze
        the clock); a model without one names no one."""
        history = getattr(type(self), "history", None)
        if history is None:
            return None, getattr(self, "updated", None)
        record = self.history.select_related("history_user").order_by("-history_id").first()
        return (record.history_user, record.history_date) if record else (None, None)


class Stale(Exception):
    """The row changed since the form was drawn; `current` is the row as it is now (locked)."""

    def __init__(self, current: Versioned) -> None:
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current


class WrongState(ValidationError):
    """A state change the row's current state does not allow (it is a message, never an error page)."""


def lock_seen(instance: Versioned, seen: int | None) -> Versioned:
    """`instance`'s row re-read under select_for_update; raises Stale when it is not at version
    `seen` (None: the form carried none — treated as stale, never as "overwrite"). Call inside
    transaction.atomic()."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if seen is None or current.version != seen:
        raise Stale(current)
    return current


def save_checked(form: forms.BaseForm, instance: Versioned, save: Callable[[], object]) -> Conflict | None:
    """Run `save` for a valid bound `form` drawn with carry_version, in one transaction after
    lock_seen: None when saved; the Conflict to show (nothing saved) when someone saved between."""
    try:
        with transaction.atomic():
            lock_seen(instance, seen_version(form, instance))
            save()
    except Stale as stale:
        return conflict(form, stale.current)
    return None


# -- what the form saw ------------------------------------------------------------------------------
def canonical(value: object) -> str:
    """One text for a value however it arrives: from the row, a form's initial or its cleaned data."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return ",".join(sorted(canonical(v) for v in value))
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def _digest(value: object) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()[:16]


def _model_fields(form: forms.BaseForm, model: type[models.Model]) -> list[str]:
    names = []
    for name in form.fields:
        if name in (VERSION_FIELD, SEEN_FIELD):
            continue
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        names.append(name)
    return names


def _row_value(instance: models.Model, name: str) -> object:
    return instance._meta.get_field(name).value_from_object(instance)


def _seen_of(form: forms.BaseForm, instance: models.Model, *, from_row: bool) -> str:
    values = {}
    for name in _model_fields(form, type(instance)):
        value = _row_value(instance, name) if from_row else form.initial.get(name, _row_value(instance, name))
        values[name] = _digest(value)
    return json.dumps(values, separators=(",", ":"))


class VersionField(forms.IntegerField):
    """The hidden version: anything but a whole number in range is no version (stale, to be safe),
    never an error on a field the person cannot see."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False, min_value=0, max_value=2**31 - 1)

    def clean(self, value: object) -> int | None:
        try:
            return super().clean(value)
        except ValidationError:
            return None


class SeenField(forms.CharField):
    """The hidden digests of what the form showed; too long or garbled is none (the conflict box
    then compares with what was typed), never an error on a field the person cannot see."""

    widget = forms.HiddenInput

    def __init__(self) -> None:
        super().__init__(required=False, max_length=SEEN_MAX_LENGTH)

    def clean(self, value: object) -> str:
        try:
            return super().clean(value)
        except ValidationError:
            return ""


def carry_version(form: forms.BaseForm, instance: Versioned | None) -> None:
    """Give `form` the hidden `version` and `seen` fields drawn from `instance` (0 and nothing for a
    row that does not exist yet). The form's own initial values are what it shows, so the digests
    are taken from them."""
    exists = instance is not None and instance.pk is not None
    form.fields[VERSION_FIELD] = VersionField()
    form.fields[SEEN_FIELD] = SeenField()
    form.initial[VERSION_FIELD] = instance.version if exists else 0
    form.initial[SEEN_FIELD] = _seen_of(form, instance, from_row=False) if exists else ""


def seen_version(form: forms.BaseForm, instance: Versioned | None) -> int | None:
    """The version a valid bound form was drawn from: None when its field came empty (stale, to be
    safe). Data without the field at all (a script, not one of our pages) is checked against the
    row as this request read it (0: no row), so nothing saved in between is overwritten."""
    if form.add_prefix(VERSION_FIELD) not in form.data:
        return instance.version if instance is not None and instance.pk is not None else 0
    return form.cleaned_data.get(VERSION_FIELD)


def _seen_digests(form: forms.BaseForm) -> dict[str, str] | None:
    raw = form.data.get(form.add_prefix(SEEN_FIELD)) if form.is_bound else None
    if not isinstance(raw, str) or len(raw) > SEEN_MAX_LENGTH:
        return None
    try:
        seen = json.loads(raw) if raw else None
    except ValueError:
        return None
    if not isinstance(seen, dict) or not all(isinstance(v, str) for v in seen.values()):
        return None
    return seen


# -- a form that writes one of several rows (a month of one of a project's sources of funds) ---------
def carry_versions(form: forms.BaseForm, versions: dict[str, int]) -> None:
    """Give `form`, which writes a row it picks itself rather than one it was drawn from, the hidden
    version of every row it may write, by key (a row not there yet is 0 — absent from `versions`)."""
    form.fields[VERSIONS_FIELD] = SeenField()
    form.initial[VERSIONS_FIELD] = json.dumps(versions, sort_keys=True)


def _carried_versions(form: forms.BaseForm) -> dict[str, int] | None:
    raw = form.data.get(form.add_prefix(VERSIONS_FIELD)) if form.is_bound else None
    try:
        seen = json.loads(raw) if isinstance(raw, str) and len(raw) <= SEEN_MAX_LENGTH else None
    except ValueError:
        return None
    if not isinstance(seen, dict) or not all(type(v) is int for v in seen.values()):
        return None
    return seen


def check_version_of(form: forms.BaseForm, key: str, current: Versioned | None) -> None:
    """Raise Stale unless row `key` (`current`, locked by the caller; None: not there yet) is at the
    version the form was drawn with. Garbled versions are stale, to be safe — unless the row does not
    exist, when nothing can be overwritten. Data without the field at all (a script, not one of our
    pages) is checked against the row as this request read it."""
    if form.add_prefix(VERSIONS_FIELD) not in form.data or current is None:
        return
    seen = _carried_versions(form)
    if seen is None or seen.get(key, 0) != current.version:
        raise Stale(current)


def versions_conflict(form: forms.BaseForm, key: str, current: Versioned) -> Conflict:
    """The box for a stale `form` of carry_versions: who changed row `key` and when; the form now
    carries the row's current version (saving again is deliberate) and keeps what was typed. Add the
    row's values with rows_conflict."""
    who, when = current.last_change()
    seen = _carried_versions(form) or {}
    seen[key] = current.version
    data = form.data.copy()
    data[form.add_prefix(VERSIONS_FIELD)] = json.dumps(seen, sort_keys=True)
    form.data = data
    for bound in getattr(form, "_bound_fields_cache", {}).values():
        bound.__dict__.pop("initial", None)
    return Conflict(who=str(who) if who else _("someone else"), when=when)


# -- the conflict box -------------------------------------------------------------------------------
@dataclass
class FieldConflict:
    label: str
    theirs: str
    yours: str
    taken: bool  # this user had left it alone: the form now shows the other person's value


@dataclass
class Conflict:
    who: str
    when: dt.datetime | None
    fields: list[FieldConflict] = field(default_factory=list)


def _shown(form_field: forms.Field, value: object) -> str:
    """A value as the person reads it: a choice's label, a unit's name, yes or no."""
    if value in (None, "") or (isinstance(value, list | tuple) and not value):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(form_field, forms.ModelChoiceField):
        if not isinstance(value, models.Model):
            value = form_field.queryset.model._default_manager.filter(pk=value).first() or value
        return str(value)
    if isinstance(form_field, forms.ChoiceField):
        labels = {str(k): v for k, v in form_field.choices}
        return str(labels.get(str(value), value))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _form_value(form_field: forms.Field, value: object) -> str | list[str] | None:
    """A row's value as the form's POST data would carry it (to put the other person's value in)."""
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return [str(v.pk if isinstance(v, models.Model) else v) for v in value or []]
    if isinstance(form_field, forms.BooleanField):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def rows_conflict(box: Conflict, label: str, theirs: list[str], typed: list[str]) -> None:
    """Add the rows a form edits inline (a project's team, a plan's months) to a stale form's box when the
    saved rows differ from the typed ones: one line each side, in the order given. The formset keeps
    what this user typed; the box shows what the other person saved."""
    if sorted(theirs) != sorted(typed):
        box.fields.append(
            FieldConflict(
                label=label, theirs="; ".join(theirs) or "—", yours="; ".join(typed) or "—", taken=False
            )
        )


def conflict(form: forms.BaseForm, current: Versioned) -> Conflict:
    """What a stale `form` needs to be shown again: who changed the row and when, each field they
    changed with their value and this user's. The form's data is rewritten to carry the current
    version (and what it now shows), and to take the other person's value where this user had
    changed nothing; everything this user typed stays."""
    who, when = current.last_change()
    box = Conflict(who=str(who) if who else _("someone else"), when=when)
    seen = _seen_digests(form)
    data = form.data.copy()
    cleaned = getattr(form, "cleaned_data", {})
    for name in _model_fields(form, type(current)):
        form_field = form.fields[name]
        theirs = _row_value(current, name)
        typed = cleaned.get(name) if name in cleaned else form[name].value()
        if seen is not None:
            if seen.get(name) == _digest(theirs):
                continue  # the other person left it as this user saw it
            left_alone = seen.get(name) == _digest(typed)
        else:
            if canonical(theirs) == canonical(typed):
                continue
            left_alone = False
        if canonical(theirs) == canonical(typed):
            continue  # both wrote the same
        box.fields.append(
            FieldConflict(
                label=str(form_field.label or name),
                theirs=_shown(form_field, theirs),
                yours=_shown(form_field, typed),
                taken=left_alone,
            )
        )
        if left_alone:
            key, value = form.add_prefix(name), _form_value(form_field, theirs)
            if isinstance(value, list) and hasattr(data, "setlist"):
                data.setlist(key, value)
            elif value is None:
                data.pop(key, None)
            else:
                data[key] = value
    data[form.add_prefix(VERSION_FIELD)] = str(current.version)
    data[form.add_prefix(SEEN_FIELD)] = _seen_of(form, current, from_row=True)
    form.data = data
    for bound in getattr(form, "_bound_fields_cache", {}).values():
        bound.__dict__.pop("initial", None)
    return box
