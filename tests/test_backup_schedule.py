"""The nightly backup (maintenance.tasks, docs/backup.md): a backup into KEYPROJ_BACKUP_DIR keeping the
newest KEYPROJ_BACKUP_KEEP, nothing at all while the folder is unset, at the configured hour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from maintenance import conf
from maintenance.backups import read_manifest
from maintenance.tasks import scheduled_backup

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

OLD = [f"keyproj-2020100{d}-020000.tar.gz" for d in range(1, 6)]  # 1 to 5 October 2020


def test_it_writes_a_backup_and_keeps_the_newest_n(world, settings, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in OLD:
        (folder / name).write_bytes(b"an older backup")
    (folder / "README.txt").write_text("not a backup: left alone")
    settings.KEYPROJ_BACKUP_DIR = str(folder)
    settings.KEYPROJ_BACKUP_KEEP = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    written = scheduled_backup.call_local()
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["README.txt", OLD[3], OLD[4], written.split("/")[-1]]
    assert read_manifest(folder / kept[-1])["engine"] in {"sqlite", "postgresql"}


def test_it_does_nothing_while_the_folder_is_unset(world, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("KEYPROJ_BACKUP_DIR", raising=False)
    settings.KEYPROJ_BACKUP_DIR = ""
    monkeypatch.chdir(tmp_path)
    assert scheduled_backup.call_local() is None
    assert list(tmp_path.iterdir()) == []


def test_it_runs_daily_at_the_configured_hour(monkeypatch):
    task = scheduled_backup.task_class()
    assert task.validate_datetime(dt.datetime(2020, 10, 11, 2, 0))  # the default, 02:00
    assert not task.validate_datetime(dt.datetime(2020, 10, 11, 3, 0))
    monkeypatch.setenv("KEYPROJ_BACKUP_HOUR", "5")
    monkeypatch.setenv("KEYPROJ_BACKUP_KEEP", "30")
    monkeypatch.setenv("KEYPROJ_BACKUP_DIR", "/srv/keyproj/backups")
    assert (conf.backup_hour(), conf.backup_keep(), str(conf.backup_dir())) == (5, 30, "/srv/keyproj/backups")
    monkeypatch.setenv("KEYPROJ_BACKUP_HOUR", "25")
    with pytest.raises(ImproperlyConfigured, match="KEYPROJ_BACKUP_HOUR must be between 0 and 23"):
        conf.backup_hour()
    monkeypatch.setenv("KEYPROJ_BACKUP_KEEP", "many")
    with pytest.raises(ImproperlyConfigured, match="KEYPROJ_BACKUP_KEEP must be an integer"):
        conf.backup_keep()
