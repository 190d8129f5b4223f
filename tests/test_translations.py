"""Chinese is the default language: every message has a translation, and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def unescape(text: str) -> str:
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def entries() -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry of the .po file, header excluded."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    found = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        current, parts = None, {}
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                parts[current] = unescape(match.group(2))
            elif line.startswith('"') and current:
                parts[current] += unescape(line[1:-1])
        if parts.get("msgid"):
            strs = [v for k, v in parts.items() if k.startswith("msgstr")]
            found.append((parts["msgid"], strs, fuzzy))
    return found


def test_it_translates_every_message_into_chinese():
    items = entries()
    assert len(items) > 500
    missing = [msgid for msgid, strs, fuzzy in items if fuzzy or not all(strs)]
    assert missing == []


def test_it_ships_a_compiled_catalogue_matching_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    singles = [(m, s[0]) for m, s, _ in entries() if len(s) == 1]
    stale = [m for m, s in singles if catalogue.gettext(m) != s]
    assert stale == []
