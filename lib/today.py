"""The app's idea of "today".

`KEYPROJ_TODAY=2020-10-11` pins it (the demo county is shown as it was the day the county met);
unset, it is the real date in Asia/Shanghai. Every deadline, overdue flag and default month asks here.
"""

from __future__ import annotations

import datetime as dt
import os

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def today() -> dt.date:
    pinned = os.environ.get("KEYPROJ_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError as exc:
            raise ImproperlyConfigured(f"KEYPROJ_TODAY must be YYYY-MM-DD, got {pinned!r}") from exc
    return timezone.localdate()


def now() -> dt.datetime:
    """The current moment; on a pinned day, that day at the current wall-clock time."""
    current = timezone.localtime()
    pinned = os.environ.get("KEYPROJ_TODAY", "").strip()
    if pinned:
        day = today()
        current = current.replace(year=day.year, month=day.month, day=day.day)
    return current


def current_year() -> int:
    return today().year
