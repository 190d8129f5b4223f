"""The backup job's settings (docs/backup.md). Each is read from Django's settings when set there, else
from the environment, at the moment it is needed; a bad value fails loudly instead of silently
falling back to a default.

- KEYPROJ_BACKUP_DIR: where the nightly job writes; empty (the default) turns the job off.
- KEYPROJ_BACKUP_HOUR: the hour (0–23, Asia/Shanghai) it runs at, at minute 0; default 2. Read when
  the job queue starts.
- KEYPROJ_BACKUP_KEEP: how many of its backups the job keeps in that folder; default 14.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _raw(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    value = str(value).strip()
    return value if value else default


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = _raw(name, str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, got {value}")
    return value


def backup_dir() -> Path | None:
    raw = _raw("KEYPROJ_BACKUP_DIR", "")
    return Path(raw) if raw else None


def backup_hour() -> int:
    return _int("KEYPROJ_BACKUP_HOUR", 2, 0, 23)


def backup_keep() -> int:
    return _int("KEYPROJ_BACKUP_KEEP", 14, 1, 10_000)
