"""API writes outside a request: pruning the call log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import ApiCall


def api_calls_prune(*, keep_days: int | None = None) -> int:
    """Delete the logged API calls older than `keep_days` days (default: the KEYPROJ_API_LOG_DAYS
    setting, 90); return how many were deleted. A call exactly `keep_days` old stays."""
    days = settings.KEYPROJ_API_LOG_DAYS if keep_days is None else keep_days
    if days < 1:
        raise ValueError(f"keep at least one day of API calls, not {days}")
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _per_model = ApiCall.objects.older_than(cutoff).delete()
    return deleted
