"""The year settings behind every figure (reports.config.Rules) are read by a statement compiled once
per process under the region's path and the year (lib.statements): what Rules finds must be what the
queryset with select_related("region") finds afresh, for a region, its ancestors and its subtree, in
every year, and a change to a setting is seen on the next read."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db.models import Q

from lib import statements
from regions.models import Region
from reports.config import Rules, _codes
from reports.models import YearSetting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def settings_set(world):
    city = world.city
    YearSetting.objects.create(region=city, year=2020, yellow_threshold=D("8.00"), deadline_day=6)
    YearSetting.objects.create(
        region=world.county, year=2020, mode=YearSetting.Mode.CUSTOM, curve=[str(5 * m) for m in range(1, 13)]
    )
    YearSetting.objects.create(region=world.other_county, year=2021, yellow_threshold=D("12.50"))
    return world


def afresh(region: Region, year: int) -> list[tuple]:
    found = (
        YearSetting.objects.filter(year=year)
        .filter(Q(region__path__startswith=region.path) | Q(region__code__in=_codes(region.path)))
        .select_related("region")
    )
    return sorted(_described(s) for s in found)


def _described(s: YearSetting) -> tuple:
    region = s.region
    return (
        tuple(getattr(s, f.attname) for f in YearSetting._meta.concrete_fields),
        tuple(getattr(region, f.attname) for f in Region._meta.concrete_fields),
    )


def kept(region: Region, year: int) -> list[tuple]:
    return sorted(_described(s) for s in Rules(region, year)._by_code.values())


def test_kept_settings_are_the_querysets_settings_for_every_region_and_year(settings_set):
    statements.forget()
    regions = [settings_set.city, settings_set.county, settings_set.other_county]
    for _ in range(2):  # compiled, then kept
        for region in regions:
            for year in (2019, 2020, 2021):
                assert kept(region, year) == afresh(region, year), (region.name, year)


def test_a_setting_changed_is_read_on_the_next_request(settings_set):
    statements.forget()
    county = settings_set.county
    rules = Rules(county, 2020)
    assert rules.own.target(3) == D("15.00") and rules.own.pk is not None
    assert rules.setting_for_path(county.parent.path).yellow_threshold == D("8.00")
    YearSetting.objects.filter(region=county, year=2020).update(mode=YearSetting.Mode.LINEAR)
    YearSetting.objects.filter(region=county.parent, year=2020).delete()
    rules = Rules(county, 2020)
    assert rules.own.target(3) == D("25.00")
    assert rules.setting_for_path(county.parent.path).pk is None  # the defaults, unsaved


def test_the_settings_read_are_whole_instances(settings_set):
    statements.forget()
    setting = Rules(settings_set.county, 2020).own
    assert not setting._state.adding and setting.region == settings_set.county
    setting.deadline_day = 9
    setting.save()  # an update of the row read, not a second row
    assert YearSetting.objects.get(region=settings_set.county, year=2020).deadline_day == 9
    assert YearSetting.objects.filter(region=settings_set.county).count() == 1
