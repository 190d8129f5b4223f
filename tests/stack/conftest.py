"""The heavy tests (the stack smoke test, the offline bundle): not part of `make test`, which runs
twice in CI (SQLite and PostgreSQL) and on every laptop; `.ci/run` runs them once, by naming this
directory (`pytest tests/stack`) or with KEYPROJ_STACK=1. Deselected otherwise, never skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stack: heavy deployment test, run once by .ci/run (tests/stack)")


def _named(config: pytest.Config) -> bool:
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return os.environ.get("KEYPROJ_STACK") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ours = [item for item in items if HERE in Path(str(item.path)).parents]
    for item in ours:
        item.add_marker(pytest.mark.stack)
    if ours and not _named(config):
        config.hook.pytest_deselected(items=ours)
        items[:] = [item for item in items if item not in ours]
