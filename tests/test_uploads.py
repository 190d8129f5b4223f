"""Upload checks (lib.uploads): size, real type by content, zip bombs, safe XML."""

from __future__ import annotations

import io
import zipfile

import pytest

from lib import uploads
from lib.uploads import Limits, UploadRejected, sniff

from .sheets import xlsx


def reason(data: bytes, **limits) -> str:
    with pytest.raises(UploadRejected) as exc:
        sniff(data, limits=Limits(**limits))
    return exc.value.code


def fake_xlsx(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_it_knows_a_workbook_an_xls_and_csv_by_their_content():
    assert sniff(xlsx([["项目名称"]])) == "xlsx"
    assert sniff(uploads.OLE2 + b"\x00" * 600) == "xls"
    assert sniff("项目名称,总投资\n水厂,100\n".encode()) == "csv"
    assert sniff("项目名称,总投资\n水厂,100\n".encode("gbk")) == "csv"


def test_it_refuses_an_empty_or_too_large_file():
    assert reason(b"") == "empty"
    assert reason(b"   \n") == "empty"
    assert reason(b"a,b\n" * 10, max_bytes=20) == "too_large"


def test_it_refuses_other_types_whatever_the_name_says():
    assert reason(b"%PDF-1.7\n\x00\x01\x02binary") == "type"
    assert reason(b"\x89PNG\r\n\x1a\n\x00\x00") == "type"
    assert reason(fake_xlsx({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<t/>"})) == "type"
    assert reason(b"PK\x03\x04 truncated") == "type"
    assert reason(xlsx([["x"]])[:-200]) in {"type", "damaged"}
    assert reason(bytes(range(128, 256)) * 4) == "type"  # neither UTF-8 nor GBK


def test_it_refuses_a_zip_bomb_by_what_it_really_inflates_to():
    bomb = fake_xlsx(
        {
            "[Content_Types].xml": b"<t/>",
            "xl/workbook.xml": b"<w/>",
            "xl/worksheets/sheet1.xml": b"\x00" * (30 * 1024 * 1024),
        }
    )
    assert len(bomb) < 100 * 1024
    assert reason(bomb) == "bomb"
    assert (
        reason(fake_xlsx({"[Content_Types].xml": b"<t/>", "xl/workbook.xml": b"x" * 5000}), max_unzipped=1000)
        == "bomb"
    )


def test_it_parses_workbook_xml_only_through_defusedxml(monkeypatch):
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    uploads.assert_safe_xml()
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(RuntimeError, match="defusedxml"):
        uploads.assert_safe_xml()


def test_it_refuses_a_workbook_with_an_entity_bomb():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    data = xlsx([["项目名称"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    members["xl/workbook.xml"] = laughs
    assert reason(fake_xlsx(members)) == "dtd"


def with_part(name: str, body: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(xlsx([["项目名称"]])))
    members = {n: source.read(n) for n in source.namelist()}
    members[name] = body
    return fake_xlsx(members)


DTD = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def test_it_finds_a_dtd_anywhere_in_a_part_in_any_encoding():
    late = ('<?xml version="1.0"?><sst>' + "<si><t>项目</t></si>" * 2000 + DTD + "</sst>").encode()
    assert late.index(b"<!DOCTYPE") > 20_000  # far past the first 4 KB
    assert reason(with_part("xl/sharedStrings.xml", late)) == "dtd"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        body = f'<?xml version="1.0" encoding="{encoding}"?>{DTD}<workbook/>'.encode(encoding)
        assert reason(with_part("xl/workbook.xml", body)) == "dtd", encoding
    declared = f'<?xml version="1.0" encoding="GB18030"?><sst>{"项目" * 40000}</sst>'.encode("gb18030")
    assert sniff(with_part("xl/sharedStrings.xml", declared)) == "xlsx"  # no DTD, any encoding
    split = ('<?xml version="1.0"?><sst>' + "x" * (64 * 1024 - 30) + "<!doctype x><sst/>").encode()
    assert reason(with_part("xl/sharedStrings.xml", split)) == "dtd"  # across two chunks, any case


def test_it_refuses_a_part_that_does_not_decode_in_the_encoding_it_declares():
    body = b'<?xml version="1.0" encoding="utf-8"?><sst>\xff\xfe\xfa</sst>'
    assert reason(with_part("xl/sharedStrings.xml", body)) == "damaged"
    unknown = b'<?xml version="1.0" encoding="klingon"?><sst/>'
    assert reason(with_part("xl/sharedStrings.xml", unknown)) == "damaged"
