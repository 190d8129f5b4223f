"""`manage.py prune_api_calls [--days N]`: delete the API calls older than N days."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.services import api_calls_prune


class Command(BaseCommand):
    help = (
        "Delete the logged API calls older than N days (default: KEYPROJ_API_LOG_DAYS, 90). "
        "The same runs every night as a scheduled task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Keep this many days (default: KEYPROJ_API_LOG_DAYS).")

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        keep = settings.KEYPROJ_API_LOG_DAYS if days is None else days
        if keep < 1:
            raise CommandError(f"--days must be at least 1, not {keep}.")
        deleted = api_calls_prune(keep_days=keep)
        self.stdout.write(f"Deleted {deleted} API calls older than {keep} days.")
