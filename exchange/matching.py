"""Match names in a file to the region's units, sectors, leaders and townships.

A name is the same name when it differs only in spaces (full-width too); a sector also when it
only adds "类" or "项目" ("水利类" is 水利). Anything looser is a *tolerant* match — without the
county's name or a bare "县"/"区" in front ("秀山县水利局" ≈ 县水利局), without "人民政府" or
"镇"/"乡"/"街道" behind, without "的" ("分管城建副县长" ≈ 分管城建的副县长) — and is only proposed,
with the evidence, until the office ticks it. A name that matches nothing is proposed as new; once
the office accepts it, rows naming it read as "new unit X" and it is created on confirm.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from projects.models import Leader, Project, Sector, Unit
from regions.models import Region, Township

UNIT, SECTOR, LEADER, TOWNSHIP = "unit", "sector", "leader", "township"
TOLERANT_KINDS = (UNIT, LEADER, TOWNSHIP)
SPACES = re.compile(r"[\s\u3000\xa0]+")


@dataclass(frozen=True)
class Ref:
    """An existing object (pk), one to create (name only) when the import is confirmed, or a
    tolerant match still waiting for the office's tick (proposed: the existing object's pk)."""

    kind: str
    name: str
    pk: int | None = None
    proposed: int | None = None

    @property
    def is_new(self) -> bool:
        return self.pk is None and self.proposed is None

    @property
    def is_pending(self) -> bool:
        return self.pk is None and self.proposed is not None


@dataclass
class Match:
    """A name in the file that reads as an existing one only after tolerant normalising."""

    kind: str
    name: str  # as the file writes it
    pk: int
    known: str  # the existing object's name
    evidence: str
    ticked: bool = False
    rows: list[int] = field(default_factory=list)


def _prefixes(region: Region) -> list[str]:
    names: list[str] = []
    node: Region | None = region
    while node is not None:
        names.append(node.name)
        short = re.sub(r"(土家族苗族自治县|自治县|县|区|市|省)$", "", node.name)
        if short and short != node.name:
            names.append(short)
        node = node.parent
    return sorted(set(names), key=len, reverse=True)


def _sector_key(name: str) -> str:
    return re.sub(r"(类项目|项目|类|领域|行业)$", "", SPACES.sub("", name)) or name


class Directory:
    """The region's names, loaded once per preview (a handful of queries, whatever the row count)."""

    def __init__(self, region: Region, accepted: dict | None = None) -> None:
        accepted = accepted or {}
        self.region = region
        self.prefixes = _prefixes(region)
        self.accepted = {kind: set(accepted.get(kind, [])) for kind in (UNIT, SECTOR, LEADER)}
        self.ticked = {kind: set(names) for kind, names in (accepted.get("match") or {}).items()}
        self.proposals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.matches: dict[str, dict[str, Match]] = defaultdict(dict)
        self._exact: dict[str, dict[str, int]] = {}
        self._loose: dict[str, dict[str, tuple[int, str]]] = {}
        self.names: dict[str, dict[int, str]] = {}
        self._load(UNIT, Unit.objects.filter(region=region).values_list("pk", "name"))
        self._load(SECTOR, Sector.objects.values_list("pk", "name"))
        self._load(LEADER, Leader.objects.filter(region=region).values_list("pk", "title"))
        self._load(TOWNSHIP, Township.objects.filter(region=region).values_list("pk", "name"))
        # Each unit's projects by sector: what a row without a sector is proposed from.
        self.unit_sectors: dict[int, Counter] = defaultdict(Counter)
        # And each existing project's sector, by code and by name: an update keeps it.
        self.project_sectors: dict[str, int] = {}
        rows = Project.objects.filter(region=region).values_list("lead_unit_id", "sector_id", "code", "name")
        for unit_id, sector_id, code, name in rows:
            self.unit_sectors[unit_id][sector_id] += 1
            self.project_sectors.setdefault(f"name:{name}", sector_id)
            self.project_sectors[f"code:{code}"] = sector_id

    def _load(self, kind: str, pairs) -> None:
        exact: dict[str, int] = {}
        loose: dict[str, tuple[int, str]] = {}
        names: dict[int, str] = {}
        for pk, name in pairs:
            names[pk] = name
            exact.setdefault(self._same(kind, name), pk)
            loose.setdefault(self.normalise(kind, name)[0], (pk, name))
        self._exact[kind], self._loose[kind], self.names[kind] = exact, loose, names

    def _same(self, kind: str, name: str) -> str:
        return _sector_key(name) if kind == SECTOR else SPACES.sub("", name)

    def normalise(self, kind: str, name: str) -> tuple[str, list[str]]:
        """The name with what a tolerant match ignores taken off, and what was taken off."""
        text, dropped = SPACES.sub("", name), []
        if kind in (UNIT, TOWNSHIP, LEADER):
            for prefix in self.prefixes:
                if text.startswith(prefix) and len(text) > len(prefix):
                    text, dropped = text[len(prefix) :], [*dropped, prefix]
                    break
        if kind in (UNIT, TOWNSHIP):
            if re.match(r"^[县区](?=.)", text):
                text, dropped = text[1:], [*dropped, text[0]]
            if found := re.search(r"(人民政府|政府|办事处)$", text):
                text, dropped = text[: found.start()], [*dropped, found.group(1)]
        if kind == TOWNSHIP and (found := re.search(r"(镇|乡|街道)$", text)) and found.start():
            text, dropped = text[: found.start()], [*dropped, found.group(1)]
        if kind == LEADER and "的" in text:
            text, dropped = text.replace("的", ""), [*dropped, "的"]
        if kind == SECTOR:
            text = _sector_key(text)
        return text, dropped

    def find(self, kind: str, name: str) -> int | None:
        """The object of exactly this name (spaces aside), or None: tolerant matches are not found."""
        return self._exact[kind].get(self._same(kind, name))

    def _tolerant(self, kind: str, name: str, row: int) -> Match | None:
        if kind not in TOLERANT_KINDS:
            return None
        key, dropped = self.normalise(kind, name)
        hit = self._loose[kind].get(key)
        if hit is None:
            return None
        match = self.matches[kind].get(name)
        if match is None:
            pk, known = hit
            known_dropped = self.normalise(kind, known)[1]
            words = "、".join(f"“{w}”" for w in dict.fromkeys([*dropped, *known_dropped]))
            evidence = _("“%(name)s” and “%(known)s” read the same once %(words)s is left out") % {
                "name": name,
                "known": known,
                "words": words,
            }
            match = Match(kind, name, pk, known, evidence, ticked=name in self.ticked.get(kind, set()))
            self.matches[kind][name] = match
        match.rows.append(row)
        return match

    def ref(self, kind: str, name: str, row: int) -> Ref | None:
        """The object a name stands for: existing, ticked, accepted as new, or pending the office's
        tick (Ref.is_pending); None (and a proposal to create it) when unknown and not accepted."""
        name = SPACES.sub("", name)
        pk = self.find(kind, name)
        if pk is not None:
            return Ref(kind, name, pk)
        match = self._tolerant(kind, name, row)
        if name in self.accepted.get(kind, set()):
            return Ref(kind, name)
        if match is not None:
            return Ref(kind, name, match.pk) if match.ticked else Ref(kind, name, proposed=match.pk)
        self.proposals[kind][name].append(row)
        return None

    def township(self, name: str, row: int) -> Ref | None:
        """A township named in a location cell: exact, or tolerant (pending until ticked)."""
        name = SPACES.sub("", name)
        pk = self.find(TOWNSHIP, name)
        if pk is not None:
            return Ref(TOWNSHIP, name, pk)
        match = self._tolerant(TOWNSHIP, name, row)
        if match is None:
            return None
        return Ref(TOWNSHIP, name, match.pk) if match.ticked else Ref(TOWNSHIP, name, proposed=match.pk)

    def open_matches(self) -> list[Match]:
        return [m for by_name in self.matches.values() for m in by_name.values()]
