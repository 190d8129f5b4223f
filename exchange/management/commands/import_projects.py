"""manage.py import_projects FILE --year 2020 --region 500241 [--dry-run] [--user office] [--accept-new]"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from exchange import services
from exchange.models import ImportBatch
from exchange.project_import import preview_projects
from lib.money import fmt
from regions.models import Region


class Command(BaseCommand):
    help = "Read a key-project list (.xlsx/.xls/.csv), print the preview and problems, and import it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--region", required=True, help="division code of the county")
        parser.add_argument(
            "--user", help="the office user recorded in the history (default: the region's first)"
        )
        parser.add_argument("--dry-run", action="store_true", help="print the preview only; write nothing")
        parser.add_argument(
            "--accept-new", action="store_true", help="create the proposed new units, sectors and leaders"
        )

    def handle(
        self,
        *args,
        file: str,
        year: int,
        region: str,
        user: str | None,
        dry_run: bool,
        accept_new: bool,
        **options,
    ) -> None:
        try:
            target = Region.objects.get(code=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region with code {region!r}.")
        office = self._office(user, target)
        data = Path(file).read_bytes()
        try:
            _kind, tables = services.check_and_read(data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        preview = preview_projects(tables, year=year, region=target)
        if accept_new and preview.proposals:
            accepted = {kind: sorted(names) for kind, names in preview.proposals.items()}
            preview = preview_projects(tables, year=year, region=target, accepted=accepted)
        else:
            accepted = {}
        self._print(preview)
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        if preview.errors:
            raise CommandError(f"{len(preview.errors)} errors: nothing written.")
        with transaction.atomic():
            batch = services.import_upload(
                user=office,
                data=data,
                filename=Path(file).name,
                kind=ImportBatch.Kind.PROJECTS,
                year=year,
                region=target,
            )
            batch.accepted = accepted
            batch.save(update_fields=["accepted"])
            services.import_preview(batch=batch)
            services.import_confirm(batch=batch, user=office)
        self.stdout.write(
            self.style.SUCCESS(f"Imported: {len(preview.creates)} created, {len(preview.updates)} updated.")
        )

    def _office(self, username: str | None, region: Region) -> User:
        offices = User.objects.filter(role=User.Role.OFFICE, is_active=True)
        if username:
            office = offices.filter(username=username).first()
            if office is None:
                raise CommandError(f"No active office user {username!r}.")
        else:
            office = offices.filter(region=region).order_by("pk").first()
            if office is None:
                raise CommandError("Give --user: the region has no office user.")
        if not office.region or not office.region.contains(region):
            raise CommandError(f"{office.username} does not work in {region.name}.")
        return office

    def _print(self, preview) -> None:
        out = self.stdout
        out.write(
            f"Rows read: {len(preview.rows)} ({len(preview.creates)} to create, {len(preview.updates)} to update)"
        )
        for label, value in preview.sums:
            out.write(f"  {label}: {fmt(value)}")
        for row in preview.rows:
            change = f" [{', '.join(row.change_labels) or '-'}]" if row.action == "update" else ""
            out.write(
                f"  {row.action:6} {row.sheet}!{row.row:<4} {row.get('code'):<12} {row.get('name')}"
                f"  {fmt(row.get('total_investment'))} / {fmt(row.get('planned_investment'))}{change}"
            )
        for kind, names in preview.proposals.items():
            for name, rows in names.items():
                out.write(f"  proposed new {kind}: {name} (rows {', '.join(map(str, rows))})")
        for check in preview.checks:
            out.write(
                f"  check {check.sheet}!{check.row} {check.label}: {'ok' if check.ok else check.detail}"
            )
        for problem in preview.problems:
            style = self.style.ERROR if problem.is_error else self.style.WARNING
            out.write(style(f"  {problem.level.upper():7} {problem.sheet}: {problem}"))
