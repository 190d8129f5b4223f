"""Match names in a file to the region's units, sectors, leaders and townships.

Exact first, then normalised: without spaces (full-width too), without the county's own name or a
bare "县"/"区" in front, without "人民政府" behind. A name that matches nothing is proposed as new;
once the office accepts it, rows naming it read as "new unit X" and it is created on confirm.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from projects.models import Leader, Sector, Unit
from regions.models import Region, Township

UNIT, SECTOR, LEADER = "unit", "sector", "leader"
SPACES = re.compile(r"[\s\u3000\xa0]+")


@dataclass(frozen=True)
class Ref:
    """An existing object (pk) or one to create (name) when the import is confirmed."""

    kind: str
    name: str
    pk: int | None = None

    @property
    def is_new(self) -> bool:
        return self.pk is None


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


class Directory:
    """The region's names, loaded once per preview (a handful of queries, whatever the row count)."""

    def __init__(self, region: Region, accepted: dict[str, list[str]] | None = None) -> None:
        self.region = region
        self.prefixes = _prefixes(region)
        self.accepted = {kind: set(names) for kind, names in (accepted or {}).items()}
        self.proposals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._maps: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        self._load(UNIT, Unit.objects.filter(region=region).values_list("pk", "name"))
        self._load(SECTOR, Sector.objects.values_list("pk", "name"))
        self._load(LEADER, Leader.objects.filter(region=region).values_list("pk", "title"))
        self._load("township", Township.objects.filter(region=region).values_list("pk", "name"))

    def _load(self, kind: str, pairs) -> None:
        exact: dict[str, int] = {}
        loose: dict[str, int] = {}
        for pk, name in pairs:
            exact[name] = pk
            loose.setdefault(self.normalise(kind, name), pk)
        self._maps[kind] = (exact, loose)

    def normalise(self, kind: str, name: str) -> str:
        text = SPACES.sub("", name)
        if kind in (UNIT, "township"):
            for prefix in self.prefixes:
                if text.startswith(prefix) and len(text) > len(prefix):
                    text = text[len(prefix) :]
                    break
            text = re.sub(r"^[县区](?=.)", "", text)
            text = re.sub(r"(人民政府|政府|办事处)$", "", text)
        if kind == "township":
            text = re.sub(r"(镇|乡|街道)$", "", text)
        if kind == SECTOR:
            text = re.sub(r"(类项目|项目|类|领域|行业)$", "", text)
        return text

    def find(self, kind: str, name: str) -> int | None:
        exact, loose = self._maps[kind]
        if name in exact:
            return exact[name]
        return loose.get(self.normalise(kind, name))

    def ref(self, kind: str, name: str, row: int) -> Ref | None:
        """The object a name stands for; None (and a proposal) when unknown and not accepted."""
        name = SPACES.sub("", name)
        pk = self.find(kind, name)
        if pk is not None:
            return Ref(kind, name, pk)
        if name in self.accepted.get(kind, set()):
            return Ref(kind, name)
        self.proposals[kind][name].append(row)
        return None
