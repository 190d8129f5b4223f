"""reports.lights.phrases translates each of a light's reason phrases once for a page of rows: the
reasons it gives are the ones gettext gives, in every case and in both languages."""

from __future__ import annotations

from decimal import Decimal as D
from itertools import product

from django.utils import translation

from reports.lights import GREEN, PREPARATORY, RED, YELLOW, phrases, reason


def test_the_reasons_are_gettexts_in_every_case_and_language():
    cases = list(
        product(
            (GREEN, YELLOW, RED),
            (3, 6, 9),  # the month: before, at and after a planned start
            (True, False),  # started
            (None, 6),  # planned start month
            (None, D("12.50")),  # rate
            (None, D("0"), D("0.04"), D("-12.34"), D("7.5")),  # gap
            (None, PREPARATORY, "new"),  # stage
        )
    )
    for language in ("zh-hans", "en"):
        with translation.override(language):
            translate = phrases()
            for light, month, started, start, rate, gap, stage in cases:
                asked = dict(
                    month=month, started=started, planned_start_month=start, rate=rate, gap=gap, stage=stage
                )
                assert reason(light, **asked, translate=translate) == reason(light, **asked), (
                    language,
                    asked,
                )
    with translation.override("zh-hans"):
        chinese = reason(RED, month=9, started=True, planned_start_month=None, rate=D("1"), gap=D("-3"))
    with translation.override("en"):
        english = reason(RED, month=9, started=True, planned_start_month=None, rate=D("1"), gap=D("-3"))
    assert chinese != english and "3" in chinese and "behind" in english
