"""The nightly jobs (huey periodic tasks): the backup, a thin wrapper around maintenance.backups, and
SQLite's planner statistics (lib.planner_statistics)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from lib import planner_statistics

from . import conf
from .backups import backup_create, backup_rotate

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour=str(conf.backup_hour()), minute="0"))
def scheduled_backup() -> str | None:
    """Every day at KEYPROJ_BACKUP_HOUR: a backup into KEYPROJ_BACKUP_DIR, keeping the newest
    KEYPROJ_BACKUP_KEEP there. Off (does nothing) while KEYPROJ_BACKUP_DIR is empty."""
    folder = conf.backup_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = backup_create(output=folder)
    deleted = backup_rotate(folder=folder, keep=conf.backup_keep())
    log.info("backup written: %s (%d older deleted)", path, len(deleted))
    return str(path)


@db_periodic_task(crontab(hour="4", minute="0"))
def refresh_planner_statistics() -> bool:
    """Every day at 04:00, after the night's pruning (03:30, 03:45): SQLite's planner statistics written
    afresh (ANALYZE); nothing on PostgreSQL, whose autovacuum keeps them."""
    return planner_statistics.refresh()
