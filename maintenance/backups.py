"""Backups that restore (docs/backup.md): one dated .tar.gz holding the database, the media files and a
manifest, and its restore into an empty database.

The archive's members:
- manifest.json — when, which keyproj, the database engine, the migrations applied, and the SHA-256
  and size of every other member; read first and checked before anything is written;
- database.sqlite3 (SQLite's online backup API: a consistent copy while the app writes) or
  database.dump (PostgreSQL: `pg_dump -Fc`, one snapshot);
- media/… — MEDIA_ROOT's files, taken after the database, so every file a row names is there.
  Media on an object store (S3) are not copied: the manifest says so, the store keeps them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from lib import planner_statistics

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
NAME = re.compile(r"^keyproj-\d{8}-\d{6}\.tar\.gz$")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason in words for the person running it."""


@dataclass
class Restored:
    tables: int
    media_files: int
    manifest: dict
    unapplied: list[str] = field(default_factory=list)  # migrations this code has that the backup lacks


def backup_name(moment: dt.datetime) -> str:
    return f"keyproj-{timezone.localtime(moment):%Y%m%d-%H%M%S}.tar.gz"


def keyproj_version() -> str:
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBER:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for the connection Django uses (no password on a command line)."""
    s = connection.settings_dict
    env = dict(os.environ)
    for var, value in {
        "PGHOST": s.get("HOST"),
        "PGPORT": s.get("PORT"),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s.get("NAME"),
        "PGSSLMODE": (s.get("OPTIONS") or {}).get("sslmode"),
    }.items():
        if value:
            env[var] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        ) from exc
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip() or done.returncode}")


def _dump_database(connection: BaseDatabaseWrapper, folder: Path) -> Path:
    target = folder / DATABASE_MEMBER[_vendor(connection)]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # page by page, restarted if a writer interferes
        finally:
            copy.close()
    else:
        _run(["pg_dump", "--format=custom", "--file", str(target)], _pg_env(connection))
    return target


def _media_root() -> Path | None:
    """MEDIA_ROOT when media live on this machine's file system; None for an object store."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


def _media_files(root: Path | None) -> list[Path]:
    if root is None or not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _server_version(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    connection.ensure_connection()
    number = connection.connection.info.server_version  # e.g. 150020
    return f"{number // 10000}.{number % 10000}"


def backup_create(*, output: Path, connection: BaseDatabaseWrapper = default_connection) -> Path:
    """Write a backup of the database and the media to `output` (a folder: a dated file inside it; else
    that file name). The file appears whole or not at all: it is written under a temporary name and
    renamed once complete. Returns its path; raises BackupError."""
    moment = timezone.now()
    output = Path(output)
    target = output / backup_name(moment) if output.is_dir() else output
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent}")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".keyproj-backup-") as tmp:
        database = _dump_database(connection, Path(tmp))
        root = _media_root()
        media = _media_files(root)
        members: dict[str, Path] = {database.name: database}
        members.update({f"media/{p.relative_to(root).as_posix()}": p for p in media})
        manifest = {
            "format": FORMAT,
            "created": timezone.localtime(moment).isoformat(timespec="seconds"),
            "keyproj_version": keyproj_version(),
            "django_version": django.get_version(),
            "engine": connection.vendor,
            "server_version": _server_version(connection),
            "database": str(connection.settings_dict.get("NAME")),
            "migrations": _migrations(connection),
            "media": (
                {"included": True, "files": len(media)}
                if root is not None
                else {
                    "included": False,
                    "storage": type(default_storage).__name__,
                    "note": "kept by the object store",
                }
            ),
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size} for name, path in members.items()
            },
        }
        partial = Path(tmp) / "backup.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(moment.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        os.chmod(partial, 0o600)  # it holds every user's data and password hash: its owner reads it alone
        os.replace(partial, target)
    return target


def read_manifest(archive: Path) -> dict:
    """The manifest of a backup file; raises BackupError if the file is no readable keyproj backup."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member)
    except FileNotFoundError as exc:
        raise BackupError(f"no file {archive}") from exc
    except (tarfile.TarError, OSError, EOFError, KeyError, ValueError, AttributeError) as exc:
        raise BackupError(
            f"{archive} is not a readable keyproj backup (damaged or another kind of file): {exc}"
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "files" not in manifest:
        raise BackupError(f"{archive} is not a keyproj backup of format {FORMAT}")
    return manifest


def _extract_verified(archive: Path, manifest: dict, folder: Path) -> None:
    """Unpack every member into `folder` and check each against the manifest's checksum and size."""
    expected = manifest["files"]
    seen: set[str] = set()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile():
                    raise BackupError(f"{archive} holds {member.name}, which its manifest does not list")
                tar.extract(member, folder, filter="data")
                seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive} is damaged: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{archive} is incomplete: {', '.join(missing[:5])} missing")
    for name, want in expected.items():
        path = folder / name
        if path.stat().st_size != want["size"] or _sha256(path) != want["sha256"]:
            raise BackupError(f"{archive} is damaged: the checksum of {name} does not match its manifest")


def _unknown_migrations(manifest: dict, connection: BaseDatabaseWrapper) -> tuple[list[str], list[str]]:
    """(migrations the backup has and this code does not, migrations this code has and the backup lacks)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    had = {(app, name) for app, names in manifest.get("migrations", {}).items() for name in names}
    newer = sorted(f"{app}.{name}" for app, name in had - known)
    missing = sorted(f"{app}.{name}" for app, name in known - had)
    return newer, missing


def _check_target(manifest: dict, connection: BaseDatabaseWrapper, archive: Path) -> None:
    vendor = _vendor(connection)
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(
            f"cannot open the database DATABASE_URL names ({connection.settings_dict.get('NAME')}): {exc}".strip()
            + " — create it first (an empty database) and check the address."
        ) from exc
    engine = manifest.get("engine")
    if engine != vendor:
        raise BackupError(
            f"{archive} is a backup of a {ENGINE_NAMES.get(engine, engine)} database; DATABASE_URL names a "
            f"{ENGINE_NAMES[vendor]} database. Restore it into a {ENGINE_NAMES.get(engine, engine)} database."
        )
    newer, _missing = _unknown_migrations(manifest, connection)
    if newer:
        raise BackupError(
            f"{archive} was made by a newer keyproj ({manifest.get('keyproj_version')}): this code does not "
            f"know its migrations {', '.join(newer[:5])}. Install that version to restore it."
        )
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"the database {connection.settings_dict.get('NAME')} is not empty ({len(tables)} tables, e.g. "
            f"{', '.join(sorted(tables)[:3])}). A backup is restored only into an empty database: create a "
            "new one and point DATABASE_URL at it. Nothing was changed."
        )


def _check_media(manifest: dict, root: Path | None) -> list[str]:
    names = [n for n in manifest["files"] if n.startswith("media/")]
    if names and root is None:
        raise BackupError("the backup holds media files but media are configured on an object store")
    clashes = []
    for name in names:
        there = root / name.removeprefix("media/")
        if there.exists() and _sha256(there) != manifest["files"][name]["sha256"]:
            clashes.append(name.removeprefix("media/"))
    if clashes:
        raise BackupError(
            f"MEDIA_ROOT ({root}) already holds other files by the backup's names ({', '.join(clashes[:3])}); "
            "restore into an empty media folder. Nothing was changed."
        )
    return names


def _restore_database(path: Path, connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        planner_statistics.refresh(connection.alias)  # a backup from before the first ANALYZE has none
    else:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             "--dbname", connection.settings_dict["NAME"], str(path)],
            _pg_env(connection),
        )  # fmt: skip
    connection.close()  # what the connection knew of the empty database is out of date


def backup_restore(*, archive: Path, connection: BaseDatabaseWrapper = default_connection) -> Restored:
    """Restore a backup into the database `connection` names, which must be empty, and its media into
    MEDIA_ROOT. Everything is checked first — the file's checksums, the engine, no migration this code
    does not know, an empty database, no clashing media file — so a refusal changes nothing. The
    database is restored in one step (SQLite's backup API, pg_restore --single-transaction)."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    root = _media_root()
    with tempfile.TemporaryDirectory(prefix=".keyproj-restore-") as tmp:
        folder = Path(tmp)
        _extract_verified(archive, manifest, folder)
        _check_target(manifest, connection, archive)
        media = _check_media(manifest, root)
        _restore_database(folder / DATABASE_MEMBER[connection.vendor], connection)
        for name in media:
            there = root / name.removeprefix("media/")
            there.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, there)
    _newer, missing = _unknown_migrations(manifest, connection)
    tables = len(connection.introspection.table_names())
    return Restored(tables=tables, media_files=len(media), manifest=manifest, unapplied=missing)


def backup_rotate(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder` (files named keyproj-YYYYMMDD-HHMMSS.tar.gz
    only; nothing else there is touched). Returns the deleted paths."""
    if keep < 1:
        raise BackupError("keep at least one backup")
    backups = sorted(p for p in Path(folder).iterdir() if p.is_file() and NAME.match(p.name))
    doomed = backups[:-keep]
    for path in doomed:
        path.unlink()
    return doomed
