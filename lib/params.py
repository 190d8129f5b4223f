"""Strict parsing of what a request names: a row id, a bounded whole number, a date, a local path.

One place for the rules every view and filter shares, so that no typed value reaches int(),
date() or the database unchecked: "²" and "１２" pass str.isdigit() but are no ids; a 25-digit
id overflows SQLite's integers; 9999-12-31 has no next week; a NUL byte is refused by PostgreSQL.
A value that breaks a rule raises BadParameter, which Django answers with a 400 page
(templates/400.html, keyproj.views.bad_request shows the message).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import BadRequest
from django.utils.http import url_has_allowed_host_and_scheme

# The largest id any database column here holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
# The dates a person may ask a page about; beyond them week and month arithmetic overflows.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)


class BadParameter(BadRequest):
    """A request parameter that is not what the page accepts; its message is shown to the user."""


def is_id(value: object) -> bool:
    """True for the text of a row id: ASCII digits only, 1 to MAX_ID."""
    text = str(value)
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


def optional_id(value: str | None, message: str) -> int | None:
    """The id `value` names, None when it is absent or empty; BadParameter(message) otherwise."""
    if value is None or value == "":
        return None
    if not is_id(value):
        raise BadParameter(message)
    return int(value)


def id_list(values: list[str], message: str) -> list[int]:
    """Every id of a multi-value parameter; BadParameter(message) if one is not an id."""
    if not all(is_id(v) for v in values):
        raise BadParameter(message)
    return [int(v) for v in values]


def text(value: str | None, *, limit: int, message: str) -> str:
    """A typed search text, stripped and cut to `limit` characters; BadParameter(message) when it holds
    a NUL character (no one types one, and PostgreSQL refuses it in a query)."""
    if "\x00" in (value or ""):
        raise BadParameter(message)
    return (value or "").strip()[:limit]


def whole_number(value: str | None, low: int, high: int) -> int | None:
    """`value` as a whole number within low..high, or None (absent, not ASCII digits, out of range)."""
    text = (value or "").strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        return None
    number = sign * int(digits)
    return number if low <= number <= high else None


def day(value: str | None) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) from FIRST_DAY to LAST_DAY, or None."""
    try:
        parsed = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return parsed if FIRST_DAY <= parsed <= LAST_DAY else None


def local_path(value: str | None, *, host: str, secure: bool) -> str | None:
    """`value` when it is a path on this site (what a `next=` may send a user to), else None."""
    if not value or not url_has_allowed_host_and_scheme(value, allowed_hosts={host}, require_https=secure):
        return None
    return value if value.startswith("/") and not value.startswith("//") else None
