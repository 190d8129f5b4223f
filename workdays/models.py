"""Working days: the State Council's holiday notices the office enters for years the calendar library
does not know yet."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class HolidayNotice(models.Model):
    """国务院办公厅关于某年部分节假日安排的通知 — one per year, for the whole country (no region)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    document = models.CharField(_("notice"), max_length=120, blank=True)
    # Users live a layer up (accounts): the author is kept as an id, like the units' history.
    entered_by_id = models.IntegerField(null=True, blank=True)
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(history_user_id_field=models.IntegerField(null=True, blank=True))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("holiday notice")
        verbose_name_plural = _("holiday notices")

    def __str__(self) -> str:
        return str(self.year)


class NoticeDay(models.Model):
    """A day the notice names: a public holiday off, or a weekend day worked (调休)."""

    notice = models.ForeignKey(HolidayNotice, models.CASCADE, related_name="days", verbose_name=_("notice"))
    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("make-up working day"), default=False)
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("notice day")
        verbose_name_plural = _("notice days")

    def __str__(self) -> str:
        return self.date.isoformat()
