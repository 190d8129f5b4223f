"""Chinese text as a county office writes it: clauses joined without doubled punctuation, and a check for
ASCII punctuation inside Chinese text. Knows nothing of Django."""

from __future__ import annotations

import re

# Punctuation that may end a clause (Chinese and ASCII); stripped before the next joint.
TRAILING = "。，、；：！？,.;:!? \t\n"
CJK = r"\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "。，、；：！？（）《》“”‘’—…〔〕【】"
# An ASCII , : ; ( ) with a Chinese character or Chinese punctuation directly before or after it.
ASCII_IN_CHINESE = re.compile(rf"[{CJK}{CJK_PUNCT}][,:;()]|[,:;()][{CJK}{CJK_PUNCT}]")
# Two marks of punctuation in a row that never stand together (。，  ，。  ；。  ：：  、，…).
DOUBLED = re.compile(r"[。，、；：！？][。，、；：]|[，、；：][！？]")


def clause(text: str) -> str:
    """A clause without the punctuation it may end with."""
    return text.strip().rstrip(TRAILING)


def join_clauses(*parts: str, end: str = "。") -> str:
    """Clauses joined by "，" into one sentence ending with `end`, whatever punctuation each part ended with:
    join_clauses("推进签约。", "确保11月4日前开工。") == "推进签约，确保11月4日前开工。"."""
    kept = [clause(p) for p in parts if p and clause(p)]
    return "，".join(kept) + end if kept else ""


def ascii_in_chinese(text: str) -> list[str]:
    """Each place an ASCII , : ; ( ) stands next to Chinese text, with a little context."""
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in ASCII_IN_CHINESE.finditer(text)]


def doubled_punctuation(text: str) -> list[str]:
    """Each place two marks of punctuation stand together where one is meant ("。，")."""
    return [text[max(0, m.start() - 8) : m.end() + 8] for m in DOUBLED.finditer(text)]
