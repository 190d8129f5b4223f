"""Notices hung on the rows that record events (a report's workflow step, a blocker's timeline line,
a task's feedback, a new start commitment, a meeting decision).

An app's `notices` module calls `follow(Model, build)` from its AppConfig.ready(): when a row of Model
is created, once the transaction commits, a job (`announce_row`, retried) loads the row and calls
`build(row)`, which returns the Announcement — the notice and who hears it — or None. `follow(Model,
build, when=...)`: `when(row)`, judged on the row as it is created (no query), says whether it can be
news at all; a row it refuses queues no job (a report saved as a draft tells nobody: without it,
every save queued a job that found nothing to say). The apps above
notifications import this module; it imports none of them (it knows models by their label only).

Why signals here, though business logic stays out of them: the services already write these rows in
their transactions; telling people about a row is a reaction to it that must never change it, and
hanging it on the row keeps the services (owned by their apps) free of delivery concerns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import translation
from huey.contrib.djhuey import db_task

from .services import Announcement, announce

Builder = Callable[[models.Model], Announcement | None]
Wanted = Callable[[models.Model], bool]
_builders: dict[str, Builder] = {}
_wanted: dict[str, Wanted] = {}
_quiet: ContextVar[bool] = ContextVar("notifications_quiet", default=False)


@contextmanager
def quiet() -> Iterator[None]:
    """Record rows without announcing them: for loading history (the demo county's nine months of
    reports are not news to anyone), never for a user's action."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def follow(model: type[models.Model], build: Builder, *, when: Wanted | None = None) -> None:
    """Announce every new row of `model` through `build`; with `when`, only the rows it accepts
    (see the module's docstring)."""
    label = model._meta.label
    _builders[label] = build
    if when is None:
        _wanted.pop(label, None)
    else:
        _wanted[label] = when
    post_save.connect(_on_created, sender=model, dispatch_uid=f"notifications.follow:{label}")


def _on_created(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kw
) -> None:
    if not created or raw or _quiet.get():
        return
    label, pk = sender._meta.label, instance.pk
    wanted = _wanted.get(label)
    if wanted is not None and not wanted(instance):
        return
    # robust: a queue that cannot be reached is logged; the change itself is already committed.
    transaction.on_commit(lambda: announce_row(label, pk), robust=True)


@db_task(retries=settings.KEYPROJ_DELIVERY_RETRIES, retry_delay=settings.KEYPROJ_DELIVERY_RETRY_DELAY)
def announce_row(label: str, pk: int) -> int:
    """Build and deliver the announcement of one event row; returns how many users were told."""
    return announce_now(label, pk)


def announce_now(label: str, pk: int) -> int:
    build = _builders.get(label)
    row = apps.get_model(label)._default_manager.filter(pk=pk).first() if build else None
    if row is None:
        return 0
    # Stored notices are written in the site's language (a job has no request to take it from).
    with translation.override(settings.LANGUAGE_CODE):
        return len(announce(build(row)))
