"""Query parameters every endpoint shares (period, paging, ids), and the messages that say what is
wrong with one. Validation is ninja's (pydantic); the defaults are the battle map's (one rule)."""

from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema

from accounts.models import User
from battlemap.selectors import period

MAX_PAGE_SIZE = 500
PAGE_SIZE = 50
# Ids beyond a 64-bit integer cannot name a row on any database; refusing them keeps them away from it.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Period(Schema):
    year: int | None = Field(
        None, ge=2000, le=2100, description="2000..2100; the latest reported year by default"
    )
    month: int | None = Field(None, ge=1, le=12, description="1..12; the latest reported month by default")

    def resolve(self, user: User) -> tuple[int, int]:
        """(year, month): as asked, else the latest month with reports in the user's scope."""
        return period(user, self.year, self.month)


class Paging(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="1 or more")
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"1..{MAX_PAGE_SIZE}")

    def cut(self, rows: QuerySet, count: int | None = None) -> tuple[int, list]:
        """(count, the rows of the page). A page past the last is empty, not an error."""
        total = rows.count() if count is None else count
        start = (self.page - 1) * self.page_size
        return total, list(rows[start : start + self.page_size]) if start < total else []


def param_message(error: dict[str, Any]) -> str:
    """One sentence, in the user's language, for the first thing wrong with a request."""
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    name = loc[-1] if loc else ""
    known = {
        "year": _("year must be a whole number from 2000 to 2100."),
        "month": _("month must be a whole number from 1 to 12."),
        "page": _("page must be a whole number of 1 or more."),
        "page_size": _("page_size must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE},
    }
    if name in known:
        return known[name]
    if error.get("type") == "literal_error" and "expected" in error.get("ctx", {}):
        return _("%(name)s must be one of %(choices)s.") % {"name": name, "choices": error["ctx"]["expected"]}
    if error.get("type") == "missing":
        return _("%(name)s is required.") % {"name": name}
    if error.get("type") == "json_invalid" or loc[:1] == ["body"] and len(loc) <= 2:
        return _("The request body must be a JSON object.")
    return _("%(name)s is not valid.") % {"name": name or _("A parameter")}


def paginated(count: int, rows: list) -> dict:
    return {"count": count, "results": rows}


__all__ = ["MAX_ID", "Id", "Paging", "Period", "paginated", "param_message"]
