"""`__in` on an integer column with a value no such column can hold matches nothing for that value.

Django (5.0+) already treats `pk=<out of range>` as matching no row; `pk__in=[...]` it still sends
to the database, and SQLite's driver refuses an integer past 64 bits with OverflowError — a 500
for any multi-select given a 25-digit id (ModelMultipleChoiceField checks its values with
`pk__in`). Dropping such values before the query gives the answer the database would give if it
could compare them: no row has that id, so the form says the choice is not valid.
"""

from __future__ import annotations

from django.db import models
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


def _outside(value: object, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)


def register() -> None:
    """Install the lookup on every integer field (ids and foreign keys included); called once, from
    regions.apps (the lowest app) so that it is in place before any query."""
    models.IntegerField.register_lookup(IntegerFieldIn)
