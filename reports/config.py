"""Which year setting applies where: a region's own, else its nearest ancestor's, else the defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from accounts.models import User
from regions.models import Region

from .lights import Rule
from .models import YearSetting


def default_setting(region: Region, year: int) -> YearSetting:
    """An unsaved setting with the defaults: linear, deadline the 5th, yellow within 10 points."""
    return YearSetting(region=region, year=year)


def setting_for(region: Region, year: int) -> YearSetting:
    """The setting governing `region` in `year` (nearest ancestor's when it has none of its own)."""
    codes = [c for c in region.path.strip("/").split("/") if c]
    found = {
        s.region.code: s
        for s in YearSetting.objects.filter(year=year, region__code__in=codes).select_related("region")
    }
    for code in reversed(codes):
        if code in found:
            return found[code]
    return default_setting(region, year)


def settings_in_scope(user: User, year: int) -> tuple[YearSetting, dict[int, YearSetting]]:
    """The user's own region's setting and, for every region in its subtree, the governing setting.

    Two queries whatever the number of regions.
    """
    root = user.region
    regions = list(Region.objects.filter(path__startswith=root.path).only("id", "code", "path", "name"))
    ancestor_codes = [c for c in root.path.strip("/").split("/") if c]
    codes = {r.code for r in regions} | set(ancestor_codes)
    by_code = {
        s.region.code: s
        for s in YearSetting.objects.filter(year=year, region__code__in=codes).select_related("region")
    }

    def governing(region: Region) -> YearSetting:
        for code in reversed([c for c in region.path.strip("/").split("/") if c]):
            if code in by_code:
                return by_code[code]
        return default_setting(region, year)

    return governing(root), {r.id: governing(r) for r in regions}


def rules_in_scope(user: User, *, year: int, month: int) -> tuple[Rule, dict[int, Rule]]:
    own, per_region = settings_in_scope(user, year)
    return _rule(own, month), {rid: _rule(s, month) for rid, s in per_region.items()}


def rules_by_path(user: User, *, year: int, month: int) -> tuple[Rule, list[tuple[str, Rule]]]:
    """The rule governing the user's region and, deepest first, the rules of regions below it that
    have their own setting — one query, for a CASE on the project's region path."""
    root = user.region
    ancestors = [c for c in root.path.strip("/").split("/") if c]
    found = list(
        YearSetting.objects.filter(year=year)
        .filter(Q(region__path__startswith=root.path) | Q(region__code__in=ancestors))
        .select_related("region")
    )
    own = default_setting(root, year)
    for setting in sorted(found, key=lambda s: len(s.region.path)):
        if root.path.startswith(setting.region.path):
            own = setting
    below = [s for s in found if s.region.path.startswith(root.path) and s.region.path != root.path]
    below.sort(key=lambda s: -len(s.region.path))
    return _rule(own, month), [(s.region.path, _rule(s, month)) for s in below]


def _rule(setting: YearSetting, month: int) -> Rule:
    return Rule(target=setting.target(month), threshold=Decimal(setting.yellow_threshold))


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return nxt - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
