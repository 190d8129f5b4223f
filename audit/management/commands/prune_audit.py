"""`manage.py prune_audit [--days N]`: delete the audit trail older than N days (at least 180)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.immutability import MIN_DAYS
from audit.services import audit_prune


class Command(BaseCommand):
    help = (
        "Delete the audit trail (historical records, login log, audit log) older than N days "
        "(default: KEYPROJ_AUDIT_DAYS, 365; at least 180). The same runs every night as a scheduled task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Keep this many days (default: KEYPROJ_AUDIT_DAYS).")

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        keep = settings.KEYPROJ_AUDIT_DAYS if days is None else days
        if keep < MIN_DAYS:
            raise CommandError(f"--days must be at least {MIN_DAYS}, not {keep}.")
        deleted = audit_prune(keep_days=keep)
        self.stdout.write(f"Deleted {deleted} audit rows older than {keep} days.")
