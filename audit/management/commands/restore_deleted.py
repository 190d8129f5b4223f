"""`manage.py restore_deleted APP.MODEL ID`: bring back a row a user deleted, from its history."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import NotRestorable, deleted_restore


class Command(BaseCommand):
    help = (
        "Bring back a deleted row (approval node, pool application, list entry, milestone, …) as it "
        "was when deleted, with its id, from its historical record; the audit log shows who deleted "
        "it, and now the restore. Example: restore_deleted milestones.milestone 12"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help="app_label.model, as the audit log's object type names it")
        parser.add_argument("id", type=int)

    def handle(self, *args: Any, model: str, id: int, **options: Any) -> None:  # noqa: A002
        try:
            row = deleted_restore(label=model, pk=id)
        except NotRestorable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {model} {row.pk}: {row}")
