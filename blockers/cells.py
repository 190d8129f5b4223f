"""Pieces of the rows the blocker register and the not-started board write in Python."""

from __future__ import annotations

import unicodedata

from django.utils.text import Truncator

from lib.escaping import esc

__all__ = ["Escaped", "esc", "truncate_chars"]


def truncate_chars(text: str, length: int) -> str:
    """What the `truncatechars` filter (`Truncator(text).chars(length)`) gives. Truncator counts a
    text one character at a time; a text no longer than `length` once normalized (NFC) is what it
    returns unchanged, so only a longer one is handed to it."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else Truncator(text).chars(length)


class Escaped(dict):
    """text → its escaped text, escaped once a page: `cells[unit_name]` (most rows of a page share
    their unit, leader, stage and kinds)."""

    def __missing__(self, text: object) -> str:
        self[text] = escaped = esc(text)
        return escaped
