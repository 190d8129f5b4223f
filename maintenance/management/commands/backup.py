"""manage.py backup -o PATH

Writes one compressed, dated backup of the database DATABASE_URL names and of the media (MEDIA_ROOT):
PATH/keyproj-YYYYMMDD-HHMMSS.tar.gz when PATH is a folder, else the file PATH. Prints its path, size
and what it holds. docs/backup.md.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maintenance.backups import BackupError, backup_create, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the media into one dated .tar.gz (see docs/backup.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help="a folder (a dated file is written in it) or a file name"
        )

    def handle(self, *args, output: str, **options) -> None:
        try:
            path = backup_create(output=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = read_manifest(path)
        media = manifest["media"]
        held = f"{media['files']} media files" if media["included"] else "no media (kept by the object store)"
        self.stdout.write(
            f"{path} ({path.stat().st_size:,} bytes): {manifest['engine']} database {manifest['database']}, {held}"
        )
