"""manage.py restore FILE

Restores a backup made by `manage.py backup` into the database DATABASE_URL names, which must be empty
(no tables: a new database), and its media into MEDIA_ROOT. Refuses — changing nothing — a damaged file
(checksums), a backup of the other engine, a non-empty database, a backup from a newer keyproj.
docs/backup.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maintenance.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into the empty database DATABASE_URL names, and its media (see docs/backup.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            done = backup_restore(archive=Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        m = done.manifest
        self.stdout.write(
            f"restored {file} (made {m['created']} by keyproj {m['keyproj_version']}): "
            f"{done.tables} tables, {done.media_files} media files"
        )
        if done.unapplied:
            self.stdout.write(
                f"the backup predates {len(done.unapplied)} migrations of this version: run `manage.py migrate`"
            )
