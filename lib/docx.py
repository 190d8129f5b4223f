"""Write Word documents laid out as Chinese government documents (党政机关公文格式, GB/T 9704 in spirit):
A4 with the standard margins, a red issuing-body line, a 方正小标宋 title, 仿宋_GB2312 body text in 三号,
sections numbered 一、二、… in 黑体 and sub-sections (一)(二)… in 楷体_GB2312, simple ruled tables,
the date and issuing body at the end and "— n —" page numbers. An issued document carries its number
(发文字号, 秀重调〔2020〕3号) centred between the issuing body and the red rule, and ends with the 版记: the
抄送 line, then the issuing office and the date of issue (印发机关, 印发日期) on one line, between rules
(thick, thin, thick), after the signature. (A frame anchored at the page foot would place it as the
standard does, but LibreOffice drops such a frame and its rules; the 版记 follows the text instead.)
A draft carries no number and is marked 征求意见稿.

Chinese fonts are set on the East Asian slot (w:eastAsia on w:rFonts), which Word uses for CJK text;
Latin text and digits use Times New Roman. Each Chinese font also names a fallback in the document's
font table (w:altName), so a machine without the official fonts (LibreOffice on a server) uses
宋体/仿宋/黑体/楷体 — or its own CJK font — instead of dropping to a Latin face.

Knows nothing of Django: callers pass plain values (str, int, Decimal, date).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
TABLE_FONT = "宋体"
# Official font → what to use where it is not installed.
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体", HEADING_FONT: "SimHei"}

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_TABLE = Pt(10.5)  # 五号
SIZE_IMPRINT = Pt(14)  # 四号, the 版记
TEXT_WIDTH_CM = 21 - 2.8 - 2.6  # A4 portrait less the standard margins
DRAFT_MARK = "征求意见稿"
RED = RGBColor(0xC0, 0x00, 0x00)

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def cn_date(day: dt.date) -> str:
    """2020-10-11 → 2020年10月11日 (the form now standard in documents)."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(
    run, east_asia: str, size: Pt | None = None, bold: bool = False, color: RGBColor | None = None
) -> None:
    """Set the Latin and the East Asian font of a run (python-docx only sets the Latin one)."""
    run.font.name = LATIN
    r_pr = run._element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    r_fonts.set(qn("w:ascii"), LATIN)
    r_fonts.set(qn("w:hAnsi"), LATIN)
    r_fonts.set(qn("w:eastAsia"), east_asia)
    r_fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, dt.date):
        return cn_date(value)
    return str(value)


CN_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _narrow_cell_margins(table) -> None:
    """0.1 cm either side of a cell's text (Word's default is 0.19 cm): a 1 cm 序号 column holds 序号."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "57")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    look = tbl_pr.find(qn("w:tblLook"))  # tblCellMar comes before tblLook in the schema's order
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def _row_props(row, *, header: bool = False) -> None:
    """A row never splits across pages; the header row repeats on each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _no_wrap(cell) -> None:
    """Keep a cell's text on one line (w:noWrap): Word widens the column, LibreOffice honours it too."""
    tc_pr = cell._element.get_or_add_tcPr()
    if tc_pr.find(qn("w:noWrap")) is None:
        tc_pr.append(OxmlElement("w:noWrap"))


class GovDocument:
    """A government document under construction. Add sections, paragraphs and tables; then `to_bytes()`."""

    def __init__(
        self,
        *,
        title: str,
        issuer: str,
        date: dt.date,
        doc_number: str = "",
        subtitle: str = "",
        landscape: bool = False,
        draft: bool = False,
    ) -> None:
        self.title = title
        self.issuer = issuer
        self.date = date
        self.doc_number = doc_number
        self.draft = draft
        self.doc = Document()
        self._sections = 0
        self._subsections = 0
        self._page_setup(landscape)
        self._base_style()
        if draft:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            set_run_font(p.add_run(DRAFT_MARK), HEADING_FONT, SIZE_BODY)
        self._masthead(issuer, doc_number)
        self._title(title, subtitle)

    # --- layout -------------------------------------------------------------------------------------
    def _page_setup(self, landscape: bool) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._page_number(footer)

    def _page_number(self, paragraph) -> None:
        set_run_font(paragraph.add_run("— "), BODY_FONT, Pt(14))
        run = paragraph.add_run()
        set_run_font(run, BODY_FONT, Pt(14))
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._element.append(fld)
            else:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._element.append(instr)
        set_run_font(paragraph.add_run(" —"), BODY_FONT, Pt(14))

    def _base_style(self) -> None:
        style = self.doc.styles["Normal"]
        style.font.name = LATIN
        style.font.size = SIZE_BODY
        r_pr = style.element.get_or_add_rPr()
        r_fonts = r_pr.find(qn("w:rFonts"))
        if r_fonts is None:
            r_fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, r_fonts)
        r_fonts.set(qn("w:eastAsia"), BODY_FONT)
        fmt = style.paragraph_format
        fmt.line_spacing = Pt(28)  # fixed 28 pt: 22 lines a page, as the standard asks
        fmt.space_before = fmt.space_after = Pt(0)
        self._font_fallbacks()

    def _font_fallbacks(self) -> None:
        """Name a fallback for each official font in the font table (w:altName)."""
        font_part = next(
            (rel.target_part for rel in self.doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
            None,
        )
        if font_part is None:
            return
        root = etree.fromstring(font_part.blob)
        for name, alt in FALLBACKS.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
            etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        # The template's font table is a plain part: replace its bytes.
        font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _masthead(self, issuer: str, doc_number: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(p.add_run(issuer), TITLE_FONT, Pt(26), color=RED)
        # The number stands two lines under the issuing body, centred, just above the red rule; the
        # rule is the number's own bottom border, so nothing can come between them.
        self.doc.add_paragraph()
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(4)
        if doc_number:
            set_run_font(p.add_run(doc_number), BODY_FONT, SIZE_BODY)
        _border(p, "bottom", size=18, color="C00000", space=12)

    def _title(self, title: str, subtitle: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(16)
        p.paragraph_format.line_spacing = Pt(36)
        set_run_font(p.add_run(title), TITLE_FONT, SIZE_TITLE)
        if subtitle:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_run_font(p.add_run(subtitle), SUBHEADING_FONT, SIZE_BODY)
        self.doc.add_paragraph()

    # --- content ------------------------------------------------------------------------------------
    def section(self, heading: str) -> str:
        """A numbered first-level heading: 一、… in 黑体. Returns the text written."""
        self._sections += 1
        self._subsections = 0
        text = f"{cn_number(self._sections)}、{heading}"
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True  # never the last line of a page
        p.paragraph_format.first_line_indent = Pt(32)
        set_run_font(p.add_run(text), HEADING_FONT, SIZE_BODY)
        return text

    def subsection(self, heading: str) -> str:
        """A numbered second-level heading: （一）… in 楷体."""
        self._subsections += 1
        text = f"（{cn_number(self._subsections)}）{heading}"
        p = self.doc.add_paragraph()
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.first_line_indent = Pt(32)
        set_run_font(p.add_run(text), SUBHEADING_FONT, SIZE_BODY)
        return text

    def paragraph(self, text: str, *, bold: bool = False, indent: bool = True) -> None:
        """Body text in 仿宋, first line indented two characters."""
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        set_run_font(p.add_run(text), BODY_FONT, SIZE_BODY, bold=bold)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths_cm: Sequence[float] | None = None,
        note: str = "",
        emphasis: set[int] | None = None,
    ) -> None:
        """A ruled table with a bold header row; numbers right-aligned; `emphasis` rows (indexes) in bold."""
        if note:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = True
            set_run_font(p.add_run(note), TABLE_FONT, SIZE_TABLE)
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _narrow_cell_margins(table)
        _row_props(table.rows[0], header=True)
        for cell, title in zip(table.rows[0].cells, columns, strict=True):
            cell.text = ""
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.line_spacing = 1.0
            set_run_font(para.add_run(title), HEADING_FONT, SIZE_TABLE)
        strong = emphasis or set()
        for i, values in enumerate(rows):
            row = table.add_row()
            _row_props(row)
            cells = row.cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = ""
                para = cell.paragraphs[0]
                para.paragraph_format.line_spacing = 1.0
                if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                text = _text(value)
                if CN_DATE.match(text):
                    _no_wrap(cell)  # never a lone 日 on a line of its own
                set_run_font(para.add_run(text), TABLE_FONT, SIZE_TABLE, bold=i in strong)
        if widths_cm:
            # Word reads the cell widths, LibreOffice the grid: set both.
            for column, width in zip(table.columns, widths_cm, strict=False):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths_cm, strict=False):
                    cell.width = Cm(width)
        self.doc.add_paragraph()

    def signature(self) -> None:
        """Issuing body and date at the end, right-aligned, as documents close."""
        self.doc.add_paragraph().paragraph_format.keep_with_next = True
        for text in (self.issuer, cn_date(self.date)):
            p = self.doc.add_paragraph()
            p.paragraph_format.keep_with_next = True  # the issuer and the date stay on one page
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)
            set_run_font(p.add_run(text), BODY_FONT, SIZE_BODY)

    def imprint(self, *, copy_to: str, printer: str, printed_on: dt.date) -> None:
        """The 版记 at the end: 抄送 line, then 印发机关 left and 印发日期 right on one line,
        a thick rule above and below and a thin one between (GB/T 9704, 版记)."""
        indent = SIZE_IMPRINT  # one character
        self.doc.add_paragraph().paragraph_format.keep_with_next = True
        lines = []
        if copy_to:
            text = copy_to.strip().rstrip("。，,.") + "。"
            p = self.doc.add_paragraph()
            # Lines after the first align after "抄送：" (a hanging indent of three characters).
            p.paragraph_format.left_indent = Pt(indent.pt * 4)
            p.paragraph_format.first_line_indent = Pt(-indent.pt * 3)
            p.paragraph_format.right_indent = indent
            set_run_font(p.add_run(f"抄送：{text}"), BODY_FONT, SIZE_IMPRINT)
            lines.append(p)
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
        p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM) - indent * 2, WD_TAB_ALIGNMENT.RIGHT)
        set_run_font(p.add_run(f"{printer}\t{cn_date(printed_on)}印发"), BODY_FONT, SIZE_IMPRINT)
        lines.append(p)
        _border(lines[0], "top", size=8)  # 0.35 mm
        for line in lines[:-1]:
            _border(line, "bottom", size=6)  # 0.25 mm
        _border(lines[-1], "bottom", size=8)
        for line in lines[:-1]:
            line.paragraph_format.keep_with_next = True
        for line in lines:
            line.paragraph_format.line_spacing = Pt(28)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _border(paragraph, side: str, *, size: int, color: str = "000000", space: int = 1) -> None:
    """A rule along one side of a paragraph (size in eighths of a point)."""
    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    rule = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", str(space)), ("w:color", color)):
        rule.set(qn(key), value)
    borders.append(rule)
    _schema_order(p_pr)


# The order the schema gives a paragraph's properties (Word refuses a file that breaks it).
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def _schema_order(p_pr) -> None:
    def rank(child) -> int:
        name = etree.QName(child).localname
        return PPR_ORDER.index(name) if name in PPR_ORDER else len(PPR_ORDER)

    children = sorted(p_pr, key=rank)
    for child in children:
        p_pr.append(child)  # moving each in turn leaves them in rank order
