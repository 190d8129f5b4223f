"""lib/docx read back with python-docx: an issued document's number (发文字号) between the issuing body and
the red rule, and the GB/T 9704 版记 at its end (抄送 line, 印发机关 and 印发日期 on one line, between
rules); a draft marked 征求意见稿 with neither; date cells kept on one line."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from cadence.periods import quarter_period
from cadence.services import document_issue, draft_docx
from lib.docx import GovDocument

pytestmark = pytest.mark.django_db


def border(paragraph, side: str) -> dict | None:
    p_pr = paragraph._element.pPr
    found = (
        None
        if p_pr is None or p_pr.find(qn("w:pBdr")) is None
        else p_pr.find(qn("w:pBdr")).find(qn(f"w:{side}"))
    )
    return None if found is None else {k.split("}")[1]: v for k, v in found.attrib.items()}


def test_it_writes_the_number_under_the_masthead_and_the_imprint_at_the_end(world, pinned_today):
    doc = document_issue(
        kind="quarterly", region=world.county, period=quarter_period(2020, 3), by=world.office
    )
    with doc.file.open("rb") as fh:
        paragraphs = [p for p in docx.Document(fh).paragraphs]
    texts = [p.text for p in paragraphs]
    masthead, number, title = (
        texts.index(t) for t in ("秀山县重点项目办公室", "秀重调〔2020〕1号", "关于重点项目推进情况的通报")
    )
    assert masthead < number < title
    numbered = paragraphs[number]
    assert (
        numbered.alignment == 1 and border(numbered, "bottom")["color"] == "C00000"
    )  # centred, over the red rule
    assert "征求意见稿" not in texts

    copy_to, printed = paragraphs[-2], paragraphs[-1]
    assert copy_to.text == "抄送：县委办公室，县人大常委会办公室，县政府办公室，县政协办公室，县纪委监委。"
    assert printed.text == "秀山县重点项目办公室\t2020年10月11日印发"
    assert border(copy_to, "top")["sz"] == "8" and border(copy_to, "bottom")["sz"] == "6"  # thick, thin
    assert border(printed, "bottom")["sz"] == "8"  # thick
    tabs = printed._element.pPr.find(qn("w:tabs"))
    assert tabs is not None and tabs[0].get(qn("w:val")) == "right"  # the date flush right
    assert texts.index("2020年10月11日") < len(texts) - 2  # the signature comes before the 版记


def test_a_draft_has_no_number_and_no_imprint(world, pinned_today):
    content = draft_docx("quarterly", world.county, quarter_period(2020, 3))
    texts = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert texts[0] == "征求意见稿" and not any("〔2020〕" in t for t in texts)
    assert not any(t.startswith("抄送：") or t.endswith("印发") for t in texts)


def test_it_keeps_a_date_cell_on_one_line():
    doc = GovDocument(title="测试", issuer="秀山县重点项目办公室", date=dt.date(2020, 10, 11))
    doc.table(["项目", "完成时限"], [["洪安水库工程", dt.date(2020, 10, 5)]])
    table = docx.Document(io.BytesIO(doc.to_bytes())).tables[0]
    cell = table.rows[1].cells[1]
    assert cell.text == "2020年10月5日" and cell._tc.tcPr.find(qn("w:noWrap")) is not None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats on each page
