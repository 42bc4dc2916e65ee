"""What each database's run of the suite holds (tests/conftest.py): the SQLite run
everything; the PostgreSQL run (`--database-only`) the tests that use the test
database, and no browser or serving test, which run their own servers once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SAMPLE = [
    "tests/faqs/test_e2e.py", "tests/certfaq/test_serving.py", "tests/faqs/test_content.py",
    "tests/wordpress/test_demo.py",
]  # fmt: skip


def collected(*options: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *options, *SAMPLE],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {line for line in done.stdout.splitlines() if "::" in line}


def from_file(nodeids: set[str], name: str) -> set[str]:
    return {nodeid for nodeid in nodeids if nodeid.partition("::")[0].endswith(f"/{name}")}


def test_the_database_run_keeps_what_uses_the_database_and_nothing_else():
    everything = collected()
    database_only = collected("--database-only")
    assert from_file(everything, "test_e2e.py") and from_file(everything, "test_serving.py")
    assert from_file(everything, "test_content.py") - from_file(database_only, "test_content.py")
    assert from_file(database_only, "test_demo.py") == from_file(everything, "test_demo.py") != set()
    assert from_file(database_only, "test_e2e.py") == from_file(database_only, "test_serving.py") == set()
    # The sanitiser's tests touch no database; its other tests make questions.
    assert "tests/faqs/test_content.py::test_sanitize_keeps_allowed_markup" not in database_only
    assert database_only < everything
