"""The stamp file is the database's, not its spelling's: every process writing to one
database renews the one stamp its readers check (issue 17, defect 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from certfaq import config

PROJECT = Path(__file__).resolve().parents[2]
SITE_VARIABLES = ("DATABASE_URL", "PAGE_CACHE_STAMP_FILE", "CACHE_URL", "TMPDIR", "DJANGO_SETTINGS_MODULE")


def run_shell(code: str, *, database_url: str, tmpdir: Path) -> str:
    """`manage.py shell -c code` as an operator would run it, with its own TMPDIR."""
    clean = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=PROJECT,
        env={**clean, "DATABASE_URL": database_url, "TMPDIR": str(tmpdir), "SECRET_KEY": "stamp-test-key"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()


def test_a_command_naming_the_database_another_way_renews_the_servers_stamp(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "tmp-a").mkdir()
    (tmp_path / "tmp-b").mkdir()
    renewed = run_shell(
        "from http_cache import stamp; print(stamp.renew(recount=False).token)",
        database_url=f"sqlite:///{tmp_path}/db/site.sqlite3",
        tmpdir=tmp_path / "tmp-a",
    )
    seen = run_shell(
        "from http_cache import stamp; print(stamp.stored().token)",
        database_url=f"sqlite:///{tmp_path}/db/../db/site.sqlite3",
        tmpdir=tmp_path / "tmp-b",
    )
    assert renewed and seen == renewed


def test_a_symlinked_sqlite_path_shares_the_stamp(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "db")
    real = config.database_from_url(f"sqlite:///{tmp_path}/db/site.sqlite3", tmp_path)
    linked = config.database_from_url(f"sqlite:///{tmp_path}/link/site.sqlite3", tmp_path)
    assert config.stamp_file(linked) == config.stamp_file(real)


def test_postgres_stamps_are_keyed_on_the_normalised_server_and_database():
    def stamp_of(url: str) -> Path:
        return config.stamp_file(config.database_from_url(url, Path()))

    default = stamp_of("postgres://app@localhost/certfaq")
    assert stamp_of("postgres://other:secret@LOCALHOST:5432/certfaq") == default
    assert stamp_of("postgres://app@127.0.0.1/certfaq?sslmode=disable") == default
    assert stamp_of("postgres://app@localhost:5433/certfaq") != default
    assert stamp_of("postgres://app@localhost/staging") != default
    assert stamp_of("postgres://app@db.internal/certfaq") != default
