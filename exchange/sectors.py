"""A sector proposed for a row of a list that gives none (no sector column, no group rows).

First the lead unit's other projects in the county (a unit's projects mostly share a sector), else
words of the project's name. Only proposed: the office confirms or changes it in the preview.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .matching import SECTOR, Directory

# Words of a project name → the sector names they suggest, most specific first. The names are tried
# against the county's sectors in order, so that "生态环保" or "环保" both serve.
NAME_WORDS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("污水", "垃圾", "环保", "生态修复", "治理", "固废"), ("生态环保", "环保", "生态环境")),
    (("水库", "供水", "水厂", "灌区", "堤防", "河道", "饮水", "水利", "水源"), ("水利",)),
    (("公路", "道路", "高速", "大桥", "桥梁", "隧道", "客运", "铁路", "高铁", "机场", "交通"), ("交通",)),
    (("风电", "光伏", "电站", "变电", "电网", "天然气", "加油", "能源"), ("能源",)),
    (("物流", "商贸", "市场", "商业", "仓储", "冷链"), ("商贸物流", "商贸")),
    (("旅游", "景区", "度假", "文化", "博物馆"), ("文化旅游", "文旅")),
    (("学校", "中学", "小学", "幼儿园", "医院", "卫生", "养老", "体育", "民生"), ("社会民生", "社会事业")),
    (("种植", "养殖", "农业", "茶叶", "基地", "高标准农田", "农田"), ("农业产业", "农业")),
    (("工业园", "产业园", "厂房", "园区", "工业", "生产线", "制造"), ("工业",)),
    (("棚户区", "老旧小区", "城市", "市政", "管网", "片区", "集镇", "安置房", "停车"), ("城市建设", "城建")),
]


def propose_sector(directory: Directory, name: str, unit_id: int | None) -> tuple[int, str] | None:
    """(sector pk, evidence) for a project named `name` led by unit `unit_id`, or None."""
    counts = directory.unit_sectors.get(unit_id) if unit_id else None
    if counts:
        sector_id, n = counts.most_common(1)[0]
        label = directory.names[SECTOR].get(sector_id, "")
        return sector_id, ngettext(
            "the lead unit's other project is in %(sector)s",
            "%(n)d of the lead unit's projects are in %(sector)s",
            n,
        ) % {"n": n, "sector": label}
    for words, sectors in NAME_WORDS:
        word = next((w for w in words if w in name), None)
        if word is None:
            continue
        for sector in sectors:
            pk = directory.find(SECTOR, sector)
            if pk is not None:
                return pk, _("the name says “%(word)s”") % {"word": word}
    return None
