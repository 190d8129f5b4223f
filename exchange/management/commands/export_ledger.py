"""manage.py export_ledger --year 2020 [--region 500241] -o ledger.xlsx"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from lib.xlsx import write_workbook
from projects.exports import ledger_sheet
from regions.models import Region
from reports.ledger import ledger_queryset


class Command(BaseCommand):
    help = "Write the year's key-project ledger as an office-style .xlsx (grouped by sector, with totals)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", help="division code of the region (default: the only top region)")
        parser.add_argument(
            "--user", help="export what this user may see (default: everything in the region)"
        )
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args, year: int, region: str | None, user: str | None, output: str, **options) -> None:
        if user:
            try:
                who = User.objects.select_related("region").get(username=user)
            except User.DoesNotExist:
                raise CommandError(f"No user {user!r}.")
            plans = ledger_queryset(who, year)
            root = who.region
            if region:
                root = self._region(region)
                if not who.region.contains(root):
                    raise CommandError(f"{user} may not see region {region}.")
                plans = plans.filter(project__region__path__startswith=root.path)
        else:
            root = self._region(region)
            # An unsaved office user of that region: the same scoping as the office's own export.
            plans = ledger_queryset(User(role=User.Role.OFFICE, region=root), year)
        # Written straight to the file, however many rows: a command holds no request open, so a
        # province's ledger needs no background job here.
        sheet = ledger_sheet(plans.order_by("project__code"), year=year, region=root)
        write_workbook([sheet], Path(output))
        self.stdout.write(f"{plans.count()} projects written to {output}")

    def _region(self, code: str | None) -> Region:
        if code:
            try:
                return Region.objects.get(code=code)
            except Region.DoesNotExist:
                raise CommandError(f"No region with code {code!r}.")
        roots = list(Region.objects.filter(parent__isnull=True)[:2])
        if len(roots) != 1:
            raise CommandError("Give --region CODE: there is not exactly one top region.")
        return roots[0]
