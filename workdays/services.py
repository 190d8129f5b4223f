"""The office records a holiday notice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import HolidayNotice, NoticeDay


@transaction.atomic
def notice_save(
    *, year: int, document: str, holidays: list[dt.date], workdays: list[dt.date], by_id: int | None
) -> HolidayNotice:
    """Enter (or replace) the year's notice: its days are exactly those given, all or nothing."""
    notice, _ = HolidayNotice.objects.select_for_update().get_or_create(year=year)
    notice.document = document
    notice.entered_by_id = by_id
    notice.save()
    notice.days.all().delete()
    NoticeDay.objects.bulk_create(
        [NoticeDay(notice=notice, date=day, is_workday=False) for day in holidays]
        + [NoticeDay(notice=notice, date=day, is_workday=True) for day in workdays]
    )
    return notice
