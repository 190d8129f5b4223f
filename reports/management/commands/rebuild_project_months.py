"""`manage.py rebuild_project_months [--year Y]`: recompute the ProjectMonth summary from the reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports import months


class Command(BaseCommand):
    help = (
        "Recompute the per-project monthly summary (ProjectMonth) from the monthly reports, "
        "for every year or one. The report services keep it up to date as reports are written; this "
        "repairs or back-fills it after reports were written some other way (SQL, bulk loads)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Only this year (default: every year).")

    def handle(self, *args: Any, year: int | None = None, **options: Any) -> None:
        n = months.rebuild(year=year)
        scope = f"year {year}" if year else "all years"
        self.stdout.write(f"Rebuilt {n} project-month rows ({scope}).")
