"""The battle map's reads by a page's ids, compiled once per process and run again from their SQL.

One implementation: lib.statements (rows kept under a key naming everything their SQL depends on; no
rows are kept). tests/test_battlemap_kept.py holds kept == compiled afresh.
"""

from lib.statements import forget, rows

__all__ = ["forget", "rows"]
