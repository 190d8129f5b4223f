"""blockers.cells.truncate_chars gives what the truncatechars filter gives, for short, exact, long and
decomposed texts (the register and the board cut descriptions with it)."""

from __future__ import annotations

import pytest
from django.utils.text import Truncator

from blockers.cells import truncate_chars

TEXTS = [
    "",
    "短",
    "征地拆迁" * 10,  # exactly 40
    "征地拆迁" * 10 + "未",  # one over
    "征地拆迁" * 30,
    "e\u0301" * 40,  # decomposed: NFC makes 40 characters of it
    "e\u0301" * 41,
    "a\u0308\u0301" * 39 + "xyz",  # combining marks NFC cannot fold: Truncator does not count them
    "  空格  ",
]


@pytest.mark.parametrize("length", [1, 39, 40, 60])
@pytest.mark.parametrize("text", TEXTS)
def test_it_cuts_as_the_truncatechars_filter_does(text, length):
    assert truncate_chars(text, length) == Truncator(text).chars(length)
