"""The national project code (项目代码) the online approval and supervision platform issues.

Its form (发改投资〔2020〕1439号, GB/T 40058-2021): 24 characters, five groups joined by hyphens —
the year the code was issued (4 digits), the administrative division of the issuing authority
(6 digits, GB/T 2260), the central guiding department (2 digits), the project type (2 digits) and
five random digits followed by one check digit (6 digits): 2020-500241-48-01-000123.

What we can know without asking the platform, and check: the shape, a year of issue from the
platform's start (2015) up to the coming year, and a division code that begins with a real
province (a county's code starts with its province's two digits). The check digit is not checked:
codes issued before the 2020 rules (still on many projects) carry a serial number there instead,
and the platform is the only authority on a code's existence.

Knows nothing of Django; messages are plain English and the caller translates them.
"""

from __future__ import annotations

import re
import unicodedata

FIRST_YEAR = 2015
SHAPE = re.compile(r"^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$")
DIGITS_ONLY = re.compile(r"^\d{20}$")
# The provinces, autonomous regions and municipalities of GB/T 2260 (the first two digits).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65".split()
)
EXAMPLE = "2020-500241-48-01-000123"


class NationalCodeError(ValueError):
    """Not a national project code. `code` names the reason for callers that translate."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def normalize(text: str) -> str:
    """The code as typed, tidied: full-width digits and dashes made ASCII, spaces dropped, and the
    hyphens put in when only the 20 digits were typed. Not validated (see `validate`)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text).replace("—", "-").replace("－", "-").replace("–", "-")
    if DIGITS_ONLY.match(text):
        text = f"{text[:4]}-{text[4:10]}-{text[10:12]}-{text[12:14]}-{text[14:]}"
    return text


def validate(text: str, *, this_year: int) -> str:
    """Return the normalized code, or raise NationalCodeError saying what is wrong with it."""
    code = normalize(text)
    match = SHAPE.match(code)
    if not match:
        raise NationalCodeError("shape", f"A project code has 24 characters in five groups, like {EXAMPLE}.")
    year, division = int(match.group(1)), match.group(2)
    if not FIRST_YEAR <= year <= this_year + 1:
        raise NationalCodeError(
            "year", f"The code's first group is the year it was issued ({FIRST_YEAR} to {this_year + 1})."
        )
    if division[:2] not in PROVINCES:
        raise NationalCodeError("division", "The code's second group is not an administrative division code.")
    return code
