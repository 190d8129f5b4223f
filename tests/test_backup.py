"""`manage.py backup` and `manage.py restore` (docs/backup.md): a backup restored into a fresh empty
database shows the same figures, the same rows in every table and the same photo; a database that is
not empty, a damaged file, another engine's backup and a newer keyproj's are refused, changing nothing.
Runs on the engine the suite runs on: SQLite by default, PostgreSQL with DATABASE_URL (a fresh database
keyproj_restore_<random> is created for the restore and dropped after)."""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from maintenance.backups import MANIFEST, backup_create, read_manifest
from reports.models import MonthlyReport, ReportPhoto

from .backup_fingerprint import fingerprint

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed
PHOTO = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(2048)  # bytes a re-encoding would not keep


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(reported, media):
    """The shared world with reports to September, and a photo on the reservoir's September report."""
    september = MonthlyReport.objects.get(project=reported.reservoir, year=2020, month=9)
    ReportPhoto.objects.create(
        report=september, uid="a1b2c3", image=ContentFile(PHOTO, name="site.png"), uploaded_by=reported.office
    )
    return reported


def back_up(folder: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "-o", str(folder), stdout=out)
    return Path(out.getvalue().split(" (")[0])


class FreshDatabase:
    """An empty database of the suite's engine, as a DATABASE_URL; dropped on exit (PostgreSQL)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"keyproj_restore_{secrets.token_hex(4)}"

    def __enter__(self) -> str:
        s = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{self.folder / (self.name + '.sqlite3')}"
        self.admin = [
            f"--host={s['HOST'] or '127.0.0.1'}",
            f"--port={s['PORT'] or 5432}",
            f"--username={s['USER']}",
        ]
        subprocess.run(["createdb", *self.admin, self.name], check=True, env=self._env())
        password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
        return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{self.name}"

    def _env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": connection.settings_dict["PASSWORD"] or ""}

    def __exit__(self, *exc) -> None:
        if connection.vendor == "postgresql":
            subprocess.run(
                ["dropdb", *self.admin, "--if-exists", "--force", self.name], check=True, env=self._env()
            )


def run(script: list[str], database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root), "KEYPROJ_TESTING": "1"}
    return subprocess.run(
        [sys.executable, *script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def rewritten(archive: Path, target: Path, *, manifest=None, member: str | None = None) -> Path:
    """A copy of `archive` with its manifest changed by `manifest(dict)`, or one byte of `member` flipped."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name == MANIFEST and manifest:
                changed = json.loads(data)
                manifest(changed)
                data = json.dumps(changed).encode()
            if info.name == member:
                data = bytes([data[0] ^ 0xFF]) + data[1:]
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return target


def test_a_restored_backup_shows_the_same_figures_rows_and_photo(seeded, tmp_path):
    path = back_up(tmp_path)
    source = fingerprint()
    assert source["summary"]["projects"] == 3 and source["summary"]["ytd_investment"] == "3150.00"
    assert source["photos"] and source["counts"]["reports_monthlyreport"] == 19
    restored_media = tmp_path / "restored-media"
    with FreshDatabase(tmp_path) as url:
        done = run(["manage.py", "restore", str(path)], url, restored_media)
        assert done.returncode == 0, done.stderr
        assert f"restored {path}" in done.stdout and "1 media files" in done.stdout
        again = run(["tests/backup_fingerprint.py"], url, restored_media)
        assert again.returncode == 0, again.stderr
        restored = json.loads(again.stdout)
        refused = run(["manage.py", "restore", str(path)], url, tmp_path / "other-media")
    assert restored == json.loads(json.dumps(source, default=str))
    (name,) = source["photos"]
    assert (restored_media / name).read_bytes() == PHOTO
    assert refused.returncode != 0 and "is not empty" in refused.stderr  # a second restore over the first


def test_the_file_is_dated_and_its_manifest_names_engine_version_migrations_and_checksums(seeded, tmp_path):
    path = back_up(tmp_path)
    assert re.fullmatch(r"keyproj-\d{8}-\d{6}\.tar\.gz", path.name)
    assert path.stat().st_mode & 0o777 == 0o600  # every user's data: readable by its owner alone
    manifest = read_manifest(path)
    assert manifest["engine"] == connection.vendor and manifest["keyproj_version"] == "0.1.0"
    assert "0001_initial" in manifest["migrations"]["reports"]
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    photos = [n for n in manifest["files"] if n.startswith("media/reports/")]
    assert set(manifest["files"]) == {database, *photos} and len(photos) == 1
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["sha256"]) for f in manifest["files"].values())
    assert manifest["media"] == {"included": True, "files": 1}


def test_it_refuses_to_restore_into_a_database_that_is_not_empty(seeded, tmp_path):
    path = back_up(tmp_path)
    before = fingerprint()["counts"]
    with pytest.raises(CommandError, match="is not empty .* Nothing was changed"):
        call_command("restore", str(path))
    assert fingerprint()["counts"] == before


def test_it_refuses_a_damaged_file(seeded, tmp_path):
    path = back_up(tmp_path)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(truncated))
    database = next(n for n in read_manifest(path)["files"] if n.startswith("database."))
    flipped = rewritten(path, tmp_path / "flipped.tar.gz", member=database)
    with pytest.raises(CommandError, match=f"the checksum of {re.escape(database)} does not match"):
        call_command("restore", str(flipped))
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="not a readable keyproj backup"):
        call_command("restore", str(not_a_backup))


def test_it_refuses_another_engines_backup_and_a_newer_keyprojs(seeded, tmp_path):
    path = back_up(tmp_path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    swapped = rewritten(path, tmp_path / "other.tar.gz", manifest=lambda m: m.update(engine=other))
    named = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    with pytest.raises(CommandError, match=f"a backup of a {named[other]} database; DATABASE_URL names a"):
        call_command("restore", str(swapped))
    newer = rewritten(
        path, tmp_path / "newer.tar.gz", manifest=lambda m: m["migrations"]["reports"].append("9999_future")
    )
    with pytest.raises(CommandError, match=r"newer keyproj .* reports\.9999_future"):
        call_command("restore", str(newer))


def test_a_database_that_does_not_exist_is_a_clear_error(seeded, tmp_path):
    path = back_up(tmp_path)
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path / 'no-such-folder' / 'keyproj.sqlite3'}"
    else:
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/keyproj_never_created"
    done = run(["manage.py", "restore", str(path)], url, tmp_path / "media-2")
    assert done.returncode != 0 and "cannot open the database DATABASE_URL names" in done.stderr
    assert "create it first" in done.stderr and "Traceback" not in done.stderr


def test_it_notes_media_kept_by_an_object_store(seeded, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    manifest = read_manifest(backup_create(output=tmp_path))
    assert manifest["media"]["included"] is False
    assert not [n for n in manifest["files"] if n.startswith("media/")]


def test_a_missing_folder_is_a_clear_error(seeded, tmp_path):
    with pytest.raises(CommandError, match="no folder"):
        call_command("backup", "-o", str(tmp_path / "nowhere" / "x.tar.gz"))


def open_writer():
    """A second connection to the same database, as another worker of the app would hold."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.connect(s["NAME"], isolation_level=None)
    import psycopg

    return psycopg.connect(
        dbname=s["NAME"],
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"],
        password=s["PASSWORD"] or None,
    )


def test_a_backup_taken_while_another_worker_writes_holds_only_what_was_committed(seeded, tmp_path):
    committed = fingerprint()
    writer = open_writer()
    try:
        cursor = writer.cursor()
        cursor.execute("BEGIN")
        cursor.execute("INSERT INTO projects_sector (name, sort) VALUES ('半途写入', 99)")
        path = back_up(tmp_path)  # neither waits for the writer nor takes its unfinished row
        writer.rollback()
    finally:
        writer.close()
    with FreshDatabase(tmp_path) as url:
        assert run(["manage.py", "restore", str(path)], url, tmp_path / "restored-media").returncode == 0
        restored = json.loads(run(["tests/backup_fingerprint.py"], url, tmp_path / "restored-media").stdout)
    assert restored["counts"] == committed["counts"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner statistics (lib.planner_statistics)"
)
def test_a_restored_sqlite_database_has_its_planner_statistics(seeded, tmp_path):
    """A backup taken before the first nightly ANALYZE holds no statistics: the restore writes them, or
    the restored database would be planned as if empty until the next night."""
    import sqlite3

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    path = back_up(tmp_path)
    with FreshDatabase(tmp_path) as url:
        done = run(["manage.py", "restore", str(path)], url, tmp_path / "restored-media")
        assert done.returncode == 0, done.stderr
        restored = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            tables = {row[0] for row in restored.execute("SELECT tbl FROM sqlite_stat1")}
        finally:
            restored.close()
    assert {"projects_project", "reports_monthlyreport"} <= tables
