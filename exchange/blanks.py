"""Downloadable import templates: the expected headers, an example row and a notes sheet.

The header texts are the Chinese column names county offices use; they are the file format (the
importer recognises them and their variants), not interface text, so they are not translated.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from lib.today import current_year
from lib.xlsx import Column, Sheet, workbook_bytes

from .pool_export import pool_template


def _notes(lines: list[str]) -> Sheet:
    sheet = Sheet(
        title=_("How to fill in this table"),
        columns=[Column(_("Notes"), 110, wrap=True)],
        unit_note="",
        name=_("Notes"),
    )
    sheet.rows = [[line] for line in lines]
    return sheet


def projects_template(year: int) -> list[Sheet]:
    columns = [
        Column("序号", 6),
        Column("项目编号", 12),
        Column("项目名称", 28, wrap=True),
        Column("建设内容及规模", 36, wrap=True),
        Column("建设性质", 10),
        Column("建设起止年限", 12),
        Column("总投资", 12, money=True, group="投资情况"),
        Column("截至上年底累计完成投资", 14, money=True, group="投资情况"),
        Column(f"{year}年计划投资", 14, money=True, group="投资情况"),
        Column("计划开工时间", 10),
        Column(f"{year}年形象进度目标", 28, wrap=True),
        Column("责任单位", 16, wrap=True),
        Column("配合单位", 16, wrap=True),
        Column("业主单位", 16, wrap=True),
        Column("建设地点", 12, wrap=True),
        Column("分管县领导", 14, wrap=True),
        Column("项目级别", 8),
        Column("资金来源", 14, wrap=True),
        Column("联系人", 8),
        Column("联系电话", 12),
    ]
    sheet = Sheet(title=f"{year}年重点项目计划表", columns=columns, name="重点项目")
    sheet.rows = [
        ["一", "", "交通（1个）", "", "", "", Decimal("8000.00"), Decimal("1200.00"), Decimal("3000.00")],
        [
            1,
            f"{year}001",
            "示例：XX至XX公路改造工程",
            "改建二级公路12公里",
            "续建",
            f"{year - 1}-{year + 1}",
            Decimal("8000.00"),
            Decimal("1200.00"),
            Decimal("3000.00"),
            "3月",
            "完成路基工程80%",
            "县交通局",
            "县水利局",
            "县交通建设投资公司",
            "洪安镇",
            "分管交通的副县长",
            "县级",
            "中央补助、地方债券",
            "张三",
            "023-00000000",
        ],
        ["", "", "合计（1个）", "", "", "", Decimal("8000.00"), Decimal("1200.00"), Decimal("3000.00")],
    ]
    sheet.emphasis = {0, 2}
    notes = _notes(
        [
            _(
                "One row per project. Amounts in 10k yuan (万元); write “（亿元）” in a header or “单位：亿元” "
                "under the title if the file uses 100 million yuan."
            ),
            _(
                "Required columns: 项目名称, 总投资, the year's planned investment (年度计划投资 or “%(year)s年计划投资”) "
                "and 责任单位."
            )
            % {"year": year},
            _(
                "A project whose 项目编号 (or else whose name) already exists in the county is updated; "
                "the others are created. Without a code, one is given."
            ),
            _(
                "Sector group rows such as “一、交通（12个）”, and 小计/合计 rows, may stay: they are checked "
                "against the rows below them and give the sector when there is no 行业 column."
            ),
            _(
                "建设性质: 新开工, 续建, 竣工 or 前期 (stage), 新建 or 改扩建 (nature). "
                "建设起止年限: 2019-2021. 计划开工时间: a month such as 3月."
            ),
            _(
                "Units, sectors and leaders are matched to the county's; new names are proposed in the "
                "preview, where the office may accept them. Several units in one cell: separate them with 、"
            ),
            _("Delete the example rows before importing."),
        ]
    )
    return [sheet, notes]


MONTHLY_COLUMNS = [
    Column("序号", 6),
    Column("项目编号", 12),
    Column("项目名称", 28, wrap=True),
    Column("本月完成投资", 14, money=True),
    Column("形象进度", 36, wrap=True),
    Column("完成率（%）", 10),
    Column("是否开工", 8),
    Column("开工日期", 12),
    Column("施工人数", 10),
    Column("存在问题", 30, wrap=True),
]


def monthly_template(year: int) -> list[Sheet]:
    sheet = Sheet(title=f"{year}年X月重点项目进展情况表", columns=MONTHLY_COLUMNS, name="月报")
    sheet.rows = [
        [
            1,
            f"{year}001",
            "示例：XX至XX公路改造工程",
            Decimal("350.00"),
            "路基完成60%",
            Decimal("45"),
            "是",
            f"{year}-03-15",
            120,
            "征地拆迁尚有3户未签约",
        ]
    ]
    notes = _notes(
        [
            _("One row per project for the month chosen on upload. Amounts in 10k yuan (万元)."),
            _(
                "Projects are found by 项目编号, else by 项目名称, among the projects your unit files reports for."
            ),
            _("完成率: physical completion in percent (0-100). 是否开工: 是/否; with 是 give the 开工日期."),
            _(
                "The figures are saved as draft monthly reports; submit them on the reports page. "
                "A report already submitted or approved is not changed."
            ),
            _("Delete the example row before importing."),
        ]
    )
    return [sheet, notes]


def template_bytes(kind: str) -> tuple[bytes, str]:
    """The template workbook for an import kind, and its file name."""
    year = current_year()
    if kind == "monthly":
        return workbook_bytes(monthly_template(year)), f"{year}年重点项目月报导入模板.xlsx"
    if kind == "pool":
        return workbook_bytes([pool_template()]), f"{year}年储备项目导入模板.xlsx"
    return workbook_bytes(projects_template(year)), f"{year}年重点项目清单导入模板.xlsx"
