"""Rules for the test suite itself (issue 10, item 6): no test module is imported by another (shared
fixtures live in conftest.py, shared builders in helper modules such as report_builders.py), and "today"
is frozen with time-machine, not pinned through the KEYPROJ_TODAY variable."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

# The modules that may name KEYPROJ_TODAY: the tests of lib/today's handling of the variable, this rule,
# and the conftest fixture that clears it. (Browser tests freeze the clock too: pytest-django's live
# server is a thread of the test process, so it reads the same frozen clock.)
MAY_NAME_THE_VARIABLE = {
    "tests/conftest.py",
    "tests/test_today.py",
    "tests/test_suite_rules.py",
    "tests/test_audit_clock.py",  # audit times must ignore the variable: the test sets it
    "tests/stack/servers.py",  # serves the demo county in its own processes, as `make run` does
    "tests/stack/test_replica_router.py",  # its Django runs in a subprocess against the two clusters
}


def suite_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imported_modules(source: str, module: str) -> set[str]:
    """Every module that `source` (the module named `module`) imports, anywhere in the file (a
    function-level import counts), as a dotted name; `from package import name` yields both `package`
    and `package.name`."""
    package = module.rsplit(".", 1)[0].split(".")
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            names.add(origin)
            names.update(f"{origin}.{alias.name}" for alias in node.names)
    return names


def is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")


def borrowed(source: str, module: str = "tests.test_x") -> set[str]:
    return set(filter(is_test_module, imported_modules(source, module)))


def test_it_catches_every_way_of_importing_a_test_module():
    assert borrowed("from . import test_dashboard as shared") == {"tests.test_dashboard"}
    assert borrowed("from .test_project_pages import edit_data") == {"tests.test_project_pages"}
    assert borrowed("def t():\n    from .test_blocker_counts import blocker\n") == {
        "tests.test_blocker_counts"
    }
    assert borrowed("import tests.test_dashboard") == {"tests.test_dashboard"}
    assert borrowed("from tests import test_dashboard") == {"tests.test_dashboard"}
    assert borrowed("from .. import test_dashboard", "tests.browser.test_x") == {"tests.test_dashboard"}
    assert borrowed("from .test_flow import page", "tests.browser.test_x") == {"tests.browser.test_flow"}


def test_it_lets_tests_import_conftest_and_helper_modules():
    assert borrowed("from . import factories as f\nfrom .conftest import login") == set()
    assert borrowed("from ..report_builders import create_report", "tests.browser.test_x") == set()
    assert borrowed("from .blocker_builders import raise_blocker\nimport time_machine") == set()
    assert {module_name(p) for p in suite_modules()} >= {
        "tests.test_suite_rules",
        "tests.browser.test_battlemap",
    }


def test_no_test_module_imports_another_test_module():
    offenders = {
        str(path.relative_to(ROOT)): sorted(borrowed(path.read_text(encoding="utf-8"), module_name(path)))
        for path in suite_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_test_pins_today_through_the_environment():
    """lib/today reads KEYPROJ_TODAY before the clock; tests freeze the clock instead (the `today_is`
    and `pinned_today` fixtures in conftest.py), so what they pin is what every clock reader sees."""
    naming = {
        str(path.relative_to(ROOT))
        for path in TESTS.rglob("*.py")
        if "KEYPROJ_TODAY" in path.read_text(encoding="utf-8")
    }
    assert naming - MAY_NAME_THE_VARIABLE == set()
