"""manage.py import_projects FILE --year 2020 --region 500241 [--dry-run] [--user office] [--accept-new]
[--accept-matches]

Prints the preview (each change old → new) and its problems, and ends with one line that tools read:
`created N, updated N, unchanged N, errors N` — on a dry run, what confirming would do. Exits non-zero
(CommandError) when the file has errors, on a dry run too. A decision the command was not told to
take (a new name without --accept-new, a tolerant match or a proposed sector without
--accept-matches) is listed; it stops a real run (non-zero, nothing written), not a dry run.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from exchange import services
from exchange.models import ImportBatch
from exchange.project_import import preview_projects, summarise, summary_line
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
        parser.add_argument(
            "--accept-matches",
            action="store_true",
            help="take the proposed tolerant matches (县水利局 for 秀山县水利局) and the proposed sectors",
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
        accept_matches: bool,
        **options,
    ) -> None:
        try:
            target = Region.objects.get(code=region)
        except Region.DoesNotExist:
            raise CommandError(f"No region with code {region!r}.")
        office = self._office(user, target)
        data = Path(file).read_bytes()
        try:
            file_type, tables = services.check_and_read(data)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        accepted: dict = {}
        preview = preview_projects(tables, year=year, region=target)
        if accept_new and preview.proposals:
            accepted.update({kind: sorted(names) for kind, names in preview.proposals.items()})
        if accept_matches and (preview.matches or preview.sector_choices):
            accepted["match"] = {}
            for match in preview.matches:
                accepted["match"].setdefault(match.kind, []).append(match.name)
            accepted["sectors"] = {c.key: c.proposed for c in preview.sector_choices if c.proposed}
        if accepted:
            preview = preview_projects(tables, year=year, region=target, accepted=accepted)
        self._print(preview)
        line = summary_line(summarise(preview))
        if preview.errors:
            self.stdout.write(line)
            raise CommandError(f"{len(preview.errors)} errors: nothing written.")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            self.stdout.write(line)
            return
        if preview.decisions:
            self.stdout.write(line)
            raise CommandError(
                f"{len(preview.decisions)} decisions open (new names: --accept-new; tolerant matches and "
                "proposed sectors: --accept-matches): nothing written."
            )
        if preview.creates or preview.updates:
            with transaction.atomic():
                batch = services.import_upload(
                    user=office,
                    data=data,
                    filename=Path(file).name,
                    kind=ImportBatch.Kind.PROJECTS,
                    year=year,
                    region=target,
                    read=(file_type, tables),
                )
                batch.accepted = accepted
                batch.save(update_fields=["accepted"])
                services.import_preview(batch=batch)
                services.import_confirm(batch=batch, user=office)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Imported: {len(preview.creates)} created, {len(preview.updates)} updated."
                )
            )
        else:
            self.stdout.write("Nothing to change: the file agrees with the database.")
        self.stdout.write(line)

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
        out.write(f"  unchanged: {len(preview.unchanged)}")
        for label, value in preview.sums:
            out.write(f"  {label}: {fmt(value)}")
        for row in [*preview.creates, *preview.updates]:
            out.write(
                f"  {row.action:6} {row.sheet}!{row.row:<4} {row.get('code'):<12} {row.get('name')}"
                f"  {fmt(row.get('total_investment'))} / {fmt(row.get('planned_investment'))}"
            )
            for change in row.diffs if row.action == "update" else []:
                out.write(f"      {change.label}: {change.old} → {change.new}")
        for kind, names in preview.proposals.items():
            for name, rows in names.items():
                out.write(f"  proposed new {kind}: {name} (rows {', '.join(map(str, rows))})")
        for match in preview.matches:
            state = "taken" if match.ticked else "proposed"
            out.write(f"  {state} match {match.kind}: {match.name} → {match.known} ({match.evidence})")
        for choice in preview.sector_choices:
            proposed = preview.sectors.get(choice.chosen or choice.proposed, "?")
            out.write(f"  sector {choice.key} {choice.name}: {proposed} ({choice.evidence or '-'})")
        for check in preview.checks:
            out.write(
                f"  check {check.sheet}!{check.row} {check.label}: {'ok' if check.ok else check.detail}"
            )
        for problem in preview.problems:
            style = self.style.ERROR if problem.level != "warning" else self.style.WARNING
            out.write(style(f"  {problem.level.upper():7} {problem.sheet}: {problem}"))
