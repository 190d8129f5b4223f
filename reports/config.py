"""Which year setting applies where: a region's own, else its nearest ancestor's, else the defaults.

`Rules` is the one way to read them: the settings of a region's subtree and its ancestors for one
year, loaded by one query, asked for a setting, a month's target or a deadline. Within a request
(`RulesPerRequest` middleware) `rules_for(user, year)` loads a year's settings once however many
figures the page draws; outside one (jobs, the shell) every call reads them afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal

from django.db import router
from django.db.models import Q

from accounts.models import User
from lib import statements
from regions.models import Region

from .lights import Rule
from .models import YearSetting


def _codes(path: str) -> list[str]:
    return [c for c in path.strip("/").split("/") if c]


class Rules:
    """The year settings governing `region`'s subtree in `year`, from one query."""

    def __init__(self, region: Region, year: int) -> None:
        self.region, self.year = region, year
        self._by_code = {s.region.code: s for s in _settings(region, year)}
        self.own = self.setting_for_path(region.path)
        # Settings of regions strictly below `region`, deepest first: a CASE on a project's path.
        below = [s for s in self._by_code.values() if s.region.path.startswith(region.path)]
        self.below = sorted(
            (s for s in below if s.region.path != region.path), key=lambda s: -len(s.region.path)
        )

    def setting_for_path(self, path: str) -> YearSetting:
        """The setting governing the region with this path (its own, or its nearest ancestor's)."""
        for code in reversed(_codes(path)):
            if code in self._by_code:
                return self._by_code[code]
        return YearSetting(region=self.region, year=self.year)  # the defaults, unsaved

    def setting_for(self, region: Region) -> YearSetting:
        return self.setting_for_path(region.path)

    def rule(self, month: int, path: str | None = None) -> Rule:
        """Target and yellow band for `month`, of the region with `path` (default: the root)."""
        setting = self.own if path is None else self.setting_for_path(path)
        return Rule(target=setting.target(month), threshold=Decimal(setting.yellow_threshold))

    def rules_below(self, month: int) -> list[tuple[str, Rule]]:
        """(path, rule) of each region below the root with a setting of its own, deepest first."""
        return [(s.region.path, self.rule(month, s.region.path)) for s in self.below]

    def deadline(self, month: int) -> dt.date:
        return self.own.deadline(month)


SETTING_COLUMNS = tuple(f.attname for f in YearSetting._meta.concrete_fields)
REGION_COLUMNS = tuple(f.attname for f in Region._meta.concrete_fields)


def _settings(region: Region, year: int) -> list[YearSetting]:
    """The year settings of `region`'s subtree and its ancestors, each with its region, as
    select_related("region") gives them: read as tuples by a statement compiled once per process
    under the region's path and the year (lib.statements; rows read afresh every time). Every page
    asks for a year's rules, and building the queryset cost ~2,000 Python calls a request."""
    rows = statements.rows(
        YearSetting,
        ("year settings", region.path, year),
        lambda: (
            YearSetting.objects.filter(year=year)
            .filter(Q(region__path__startswith=region.path) | Q(region__code__in=_codes(region.path)))
            .values_list(*SETTING_COLUMNS, *(f"region__{name}" for name in REGION_COLUMNS))
        ),
    )
    db, n = router.db_for_read(YearSetting), len(SETTING_COLUMNS)
    found = []
    for row in rows:
        setting = YearSetting.from_db(db, SETTING_COLUMNS, row[:n])
        YearSetting.region.field.set_cached_value(setting, Region.from_db(db, REGION_COLUMNS, row[n:]))
        found.append(setting)
    return found


_per_request: ContextVar[dict | None] = ContextVar("keyproj_rules", default=None)


def rules_for(user: User, year: int) -> Rules:
    """The rules of the user's region for `year`: once per request, afresh outside one."""
    cache = _per_request.get()
    if cache is None:
        return Rules(user.region, year)
    key = (user.region_id, year)
    if key not in cache:
        cache[key] = Rules(user.region, year)
    return cache[key]


class RulesPerRequest:
    """Middleware: one Rules per region and year for the length of a request."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        token = _per_request.set({})
        try:
            return self.get_response(request)
        finally:
            _per_request.reset(token)


def region_rules(region: Region, year: int) -> Rules:
    """The rules of a region, for work that has no user (scheduled jobs)."""
    return Rules(region, year)
