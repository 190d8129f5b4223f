"""Build office-style workbooks in tests: title rows, merged multi-row headers, group and total rows."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook


def xlsx(
    rows: Sequence[Sequence[object]],
    merges: Sequence[str] = (),
    title: str = "Sheet1",
    more: dict[str, Sequence[Sequence[object]]] | None = None,
) -> bytes:
    """An .xlsx whose first sheet holds `rows` (None for empty cells) with `merges` ("A1:T1") applied."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for name, extra in (more or {}).items():
        other = wb.create_sheet(name)
        for row in extra:
            other.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HEADER_TOP = [
    "序号",
    "项目名称",
    "建设内容及规模",
    "建设起止年限",
    "投资情况",
    None,
    None,
    "责任单位",
    "建设地点",
    "分管县领导",
    "建设性质",
]
HEADER_SUB = [
    None,
    None,
    None,
    None,
    "总投资",
    "截至上年底累计完成投资",
    "2020年计划投资",
    None,
    None,
    None,
    None,
]


def office_list() -> tuple[bytes, int]:
    """The classic county list: title, unit note, two-row merged header, sector groups, subtotals, total.

    Returns the bytes and the number of projects. Sums: total 21,500.00; planned 5,500.00.
    """
    rows = [
        ["秀山县2020年重点项目计划表"] + [None] * 10,
        ["单位：万元"] + [None] * 10,
        HEADER_TOP,
        HEADER_SUB,
        ["一", "交通（2个）", None, None, 9500, 800, 2500, None, None, None, None],
        [
            1,
            "中和至平凯公路改造",
            "改建二级公路12公里",
            "2019-2021",
            8000,
            800,
            2000,
            "县交通局、县水利局",
            "中和街道",
            None,
            "续建",
        ],
        [
            2,
            "梅江河大桥",
            "新建大桥1座",
            "2020—2021年",
            1500,
            None,
            500,
            "县交通局",
            "中和街道",
            None,
            "新开工",
        ],
        ["二", "水利（1个）", None, None, 12000, 0, 3000, None, None, None, None],
        [
            3,
            "洪安水库工程",
            "新建小（一）型水库",
            "2020-2022",
            "12,000.00",
            None,
            3000,
            "秀山县水利局",
            "洪安镇",
            "分管交通水利的副县长",
            "新开工",
        ],
        [None, "合计（3个）", None, None, 21500, 800, 5500, None, None, None, None],
        ["填报单位：秀山县发展和改革委员会"] + [None] * 10,
    ]
    merges = [
        "A1:K1",
        "A2:K2",
        "E3:G3",
        "A3:A4",
        "B3:B4",
        "C3:C4",
        "D3:D4",
        "H3:H4",
        "I3:I4",
        "J3:J4",
        "K3:K4",
        "A11:K11",
    ]
    return xlsx(rows, merges), 3
