"""Spreadsheets read by their content, within caps (issue 13 item 1): a workbook that declares a huge
sheet, merges far beyond its table or holds too many rows is refused quickly with a clear message, in
bounded memory; an upload is parsed once, and its previews and confirm read what was parsed then."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchange import services
from exchange.models import ImportBatch
from lib import tabular
from lib.tabular import read_tables
from lib.uploads import Limits, UploadRejected

from .sheets import xlsx

MB = 1024 * 1024


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`, as a hostile tool writes it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            body = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            archive.writestr(member, body)
    return out.getvalue()


def far_cell() -> bytes:
    """2 KB-ish: one cell, stored at XFD1048576, and a <dimension> naming the whole sheet."""

    def change(body: bytes) -> bytes:
        return (
            body.replace(b'<dimension ref="A1"', b'<dimension ref="A1:XFD1048576"')
            .replace(b'<row r="1"', b'<row r="1048576"')
            .replace(b'<c r="A1"', b'<c r="XFD1048576"')
        )

    return rewrite_sheet(xlsx([["x"]]), change)


def merged(rows: list[list[object]], refs: list[str]) -> bytes:
    """A workbook with merged ranges written as Excel writes them: only <mergeCell> elements (openpyxl
    would also store every covered cell)."""
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs).encode()
    block = b'<mergeCells count="%d">%s</mergeCells>' % (len(refs), cells)
    return rewrite_sheet(xlsx(rows), lambda body: body.replace(b"</sheetData>", b"</sheetData>" + block))


def huge_merge() -> bytes:
    return merged([["项目名称", "总投资"], ["水厂", 100]], ["A1:Z100000"])


def refused(data: bytes, kind: str = "xlsx", **limits) -> tuple[UploadRejected, int]:
    """The refusal and the peak memory (bytes) that reading took."""
    tracemalloc.start()
    try:
        with pytest.raises(UploadRejected) as exc:
            read_tables(data, kind, limits=Limits(**limits))
        return exc.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_it_refuses_a_cell_at_xfd1048576_without_building_the_sheet():
    data = far_cell()
    assert len(data) < 6000
    exc, peak = refused(data)
    assert exc.code == "too_many_rows"
    assert exc.params == {"sheet": "Sheet1", "row": 1048576, "limit": 20000}
    assert peak < 5 * MB  # the declared 17 billion cells were never made


def test_it_refuses_a_cell_beyond_the_column_cap():
    data = rewrite_sheet(xlsx([["x"]]), lambda body: body.replace(b'<c r="A1"', b'<c r="XFD1"'))
    exc, peak = refused(data)
    assert exc.code == "too_many_columns" and exc.params["cell"] == "XFD1"
    assert exc.params["limit"] == "GR"  # column 200
    assert peak < 5 * MB


def test_it_refuses_a_merge_of_a1_z100000_before_spreading_it():
    exc, peak = refused(huge_merge())
    assert exc.code == "merge_too_large" and exc.params["range"] == "A1:Z100000"
    assert peak < 5 * MB


def test_it_refuses_more_merged_ranges_than_the_cap_and_merges_covering_too_many_cells():
    many = merged([["a"]], [f"A{r}:B{r}" for r in range(1, 1003)])
    assert refused(many)[0].code == "too_many_merges"
    wide = merged([["a"]], ["A1:GQ1500"])  # within the rows and columns, 298,500 cells
    assert refused(wide)[0].code == "merge_too_large"


def test_it_never_trusts_the_declared_dimension_of_a_sheet_it_can_read():
    data = rewrite_sheet(
        xlsx([["项目名称", "总投资"], ["水厂", 100]]),
        lambda body: body.replace(b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD1048576"'),
    )
    [table] = read_tables(data, "xlsx")
    assert table.rows == [["项目名称", "总投资"], ["水厂", 100]]


def test_it_refuses_rows_past_the_cap_in_a_csv_and_a_workbook():
    csv = "项目名称\n" + "水厂\n" * 30
    with pytest.raises(UploadRejected) as exc:
        read_tables(csv.encode(), "csv", limits=Limits(max_rows=20))
    assert exc.value.code == "too_many_rows" and exc.value.params["row"] == 21
    with pytest.raises(UploadRejected) as exc:
        read_tables(xlsx([["项目名称"]] + [["水厂"]] * 30), "xlsx", limits=Limits(max_rows=20))
    assert exc.value.params["limit"] == 20
    blank_lines = "项目名称\n水厂\n" + "\n" * 500
    [table] = read_tables(blank_lines.encode(), "csv", limits=Limits(max_rows=20))
    assert table.rows == [["项目名称"], ["水厂"]]  # empty lines beyond are not rows
    endless = "项目名称\n" + ",\n" * (20 + tabular.MAX_EMPTY_ROWS_BEYOND + 1)
    with pytest.raises(UploadRejected):  # but they are not read for ever
        read_tables(endless.encode(), "csv", limits=Limits(max_rows=20))


def test_it_keeps_a_small_merged_header_as_before():
    [table] = read_tables(xlsx([["投资情况", None], ["总投资", "计划"]], ["A1:B1"]), "xlsx")
    assert table.rows[0] == ["投资情况", "投资情况"]


def test_the_upload_page_answers_the_hostile_files_with_a_message(world, client):
    client.force_login(world.office)
    for data, says in (
        (far_cell(), "1048576"),
        (huge_merge(), "合并"),
    ):
        response = client.post(
            reverse("exchange:upload"),
            {"file": SimpleUploadedFile("a.xlsx", data), "kind": "projects", "year": 2020},
        )
        assert response.status_code == 200
        [error] = response.context["form"].errors["file"]
        assert says in error and "Sheet1" in error
    assert not ImportBatch.objects.exists()


def test_an_upload_is_parsed_once_and_previews_and_confirm_read_the_parse(world, client, monkeypatch):
    client.force_login(world.office)
    data = xlsx([["项目名称", "总投资"], ["水厂", 100]])
    parses = []
    real = services.read_tables
    monkeypatch.setattr(services, "read_tables", lambda *a, **k: parses.append(1) or real(*a, **k))
    response = client.post(
        reverse("exchange:upload"),
        {"file": SimpleUploadedFile("a.xlsx", data), "kind": "projects", "year": 2020},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.parsed.name.endswith(".json")
    for _ in range(3):
        assert client.get(reverse("exchange:preview", args=[batch.pk])).status_code == 200
    client.post(reverse("exchange:confirm", args=[batch.pk]))
    assert parses == [1]
    # The stored parse is what is read: the file itself could be gone.
    batch.file.delete(save=False)
    assert client.get(reverse("exchange:preview", args=[batch.pk])).status_code == 200


def test_the_stored_parse_gives_back_every_value_of_its_type():
    import datetime as dt
    from decimal import Decimal

    tables = read_tables(
        xlsx(
            [["投资情况", None, "2020-01-01"], [Decimal("0.1"), dt.datetime(2020, 3, 15), None]],
            ["A1:B1"],
        ),
        "xlsx",
    )
    [again] = tabular.load_tables(tabular.dump_tables(tables))
    assert again.rows == tables[0].rows and again.merged_copies == tables[0].merged_copies
    assert again.rows[0][2] == "2020-01-01"  # text that looks like a date stays text
    assert again.rows[1][0] == Decimal("0.1") and again.rows[1][1] == dt.date(2020, 3, 15)


def test_it_refuses_a_sheet_of_countless_empty_elements_before_openpyxl_keeps_them():
    junk = b"<sheetPr/>" * 150_000  # openpyxl's parser would keep every one of them
    data = rewrite_sheet(xlsx([["a"]]), lambda body: body.replace(b"</sheetData>", b"</sheetData>" + junk))
    exc, peak = refused(data, max_cells=1000)  # at most 4,000 + 20,000 + 100,000 elements
    assert exc.code == "too_many_cells"
    assert peak < 10 * MB
