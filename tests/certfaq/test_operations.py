"""README's Operations section, run: every backup, restore, upgrade and scheduled-job
command it gives, as it gives it, on a site configured by deploy/certfaq.env.

The restore drill is the README's: a backup taken while gunicorn serves the site (SQLite's
online `.backup`, or `pg_dump`), plus the media folder, restored into an empty database
and an empty media folder; the restored site, started as the original was, answers the
same pages, byte for byte. The upgrade runs on a restored copy whose derived tables were
emptied, as an upgrade that adds one leaves them: `migrate` fills them again.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.certfaq.test_deploy import operator_environment, site_environment
from tests.certfaq.test_serving import (
    FEATURED_SLUG,
    MEDIA_ADDRESS,
    PROJECT,
    QUESTION_SLUG,
    Server,
    fetch,
    free_port,
    server_env,
    serving_gunicorn,
)

pytestmark = pytest.mark.serving

# README, Operations, command for command. The test's folders stand for /var/lib/certfaq,
# /var/backups/certfaq and /etc/certfaq/env, this checkout for /srv/certfaq, and the
# test's user for certfaq (the README runs each with `sudo -u certfaq`).
MANAGE = "/srv/certfaq/deploy/manage"
MEDIA_BACKUP = "tar -C /var/lib/certfaq -czf /var/backups/certfaq/media.tar.gz media"
MEDIA_RESTORE = "tar -C /var/lib/certfaq -xzf /var/backups/certfaq/media.tar.gz"
SQLITE_BACKUP = [
    'sqlite3 /var/lib/certfaq/db/certfaq.sqlite3 ".backup /var/backups/certfaq/certfaq.sqlite3"',
    MEDIA_BACKUP,
]
SQLITE_CHECK = 'sqlite3 /var/backups/certfaq/certfaq.sqlite3 "PRAGMA integrity_check"'
SQLITE_RESTORE = [
    'sqlite3 /var/lib/certfaq/db/certfaq.sqlite3 ".restore /var/backups/certfaq/certfaq.sqlite3"',
    MEDIA_RESTORE,
]
POSTGRES_BACKUP = [
    "sh -c '. /etc/certfaq/env && "
    'pg_dump --format=custom --file=/var/backups/certfaq/certfaq.dump "$DATABASE_URL"\'',
    MEDIA_BACKUP,
]
POSTGRES_RESTORE = [
    "sh -c '. /etc/certfaq/env && "
    'pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" /var/backups/certfaq/certfaq.dump\'',
    MEDIA_RESTORE,
]
AFTER_RESTORE = [f"{MANAGE} migrate --noinput", f"{MANAGE} renew_page_cache"]
UPGRADE = [f"{MANAGE} migrate --noinput", f"{MANAGE} collectstatic --noinput"]
SCHEDULED = [f"{MANAGE} review_digest", f"{MANAGE} clearsessions"]  # the timers' commands

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
PAGES = [
    "/resources/",
    f"/resources/faq/{QUESTION_SLUG}/",
    f"/resources/faq/{FEATURED_SLUG}/",
    "/resources/faq-categories/cma-exam/",
    "/resources/faq-sitemap.xml",
    "/resources/wp-json/wp/v2/faq?per_page=5",
]


@dataclass
class Site:
    """A site as deployed: `folder` stands for /var/lib/certfaq (and holds the env
    file), `env` is what systemd gives gunicorn."""

    folder: Path
    env: dict
    port: int

    def run(self, command: str, backups: Path) -> str:
        """A README command on this site, its paths this machine's."""
        for production, here in (
            ("/etc/certfaq/env", str(self.folder / "env")),
            ("/var/lib/certfaq", str(self.folder)),
            ("/var/backups/certfaq", str(backups)),
            ("/srv/certfaq", str(PROJECT)),
        ):
            command = command.replace(production, here)
        done = subprocess.run(
            ["bash", "-c", command],
            env=operator_environment(self.folder),
            capture_output=True,
            text=True,
            timeout=300,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done.stdout


def new_site(
    folder: Path, *, site_url: str, static_root: Path, database_url: str = "", port: int = 0
) -> Site:
    """An empty site: the env file filled in, empty database and media folders."""
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    values = site_environment(
        folder, site_url=site_url, gunicorn_port=port, static_root=static_root, database_url=database_url
    )
    return Site(folder=folder, env={**server_env(folder, port), **values}, port=port)


@contextlib.contextmanager
def serving(site: Site) -> Iterator[Server]:
    """gunicorn as certfaq.service starts it, on the site's env."""
    with serving_gunicorn(site.env, site.port, site.folder) as server:
        yield server


def answers_of(server: Server) -> dict[str, tuple[int, str, bytes]]:
    """What the pages, one wp-json item and a page's pictures answer."""
    listed = json.loads(fetch(server.url + "/resources/wp-json/wp/v2/faq?per_page=5")[2])
    paths = [*PAGES, f"/resources/wp-json/wp/v2/faq/{listed[0]['id']}"]
    featured = fetch(server.url + f"/resources/faq/{FEATURED_SLUG}/")[2].decode()
    paths += sorted(set(MEDIA_ADDRESS.findall(featured)))[:4]
    seen = {}
    for path in paths:
        status, headers, body = fetch(server.url + path)
        seen[path] = (status, headers["Content-Type"], body)
    assert all(status == 200 for status, _, _ in seen.values()), {p: s for p, (s, _, _) in seen.items()}
    return seen


def same_answers(server: Server, expected: dict[str, tuple[int, str, bytes]]) -> None:
    found = answers_of(server)
    assert found.keys() == expected.keys()
    for path, answer in expected.items():
        assert found[path] == answer, f"{path} answers differently after the restore"


@dataclass
class Backup:
    folder: Path  # stands for /var/backups/certfaq
    answers: dict  # what the original site answered
    site_url: str  # the original's: pages show it, so the restored site is given the same
    static_root: Path


def sqlite3_cli() -> str:
    found = shutil.which("sqlite3")
    assert found, "the sqlite3 command (Debian's sqlite3, installed by `make test`) is required"
    return found


def demo_site(root: Path, static_root: Path, database_url: str = "") -> tuple[Site, Path]:
    """The demo site in `root`/original (migrated, demo loaded) on its own port, and an
    empty folder for its backups that only the operator may read."""
    port = free_port()
    site = new_site(
        root / "original",
        site_url=f"http://127.0.0.1:{port}/resources/",
        static_root=static_root,
        database_url=database_url,
        port=port,
    )
    site.run(f"{MANAGE} migrate --noinput", root)
    assert "Loaded" in site.run(f"{MANAGE} load_demo", root)
    backups = root / "backups"
    backups.mkdir(mode=0o700)
    return site, backups


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory, collected_static) -> Backup:
    """The demo site on SQLite, backed up while gunicorn serves it."""
    sqlite3_cli()
    root = tmp_path_factory.mktemp("operations")
    original, backups = demo_site(root, collected_static)
    with serving(original) as server:
        answers = answers_of(server)
        for command in SQLITE_BACKUP:  # online: the site has the database open meanwhile
            original.run(command, backups)
        assert original.run(SQLITE_CHECK, backups).strip() == "ok"
    return Backup(
        folder=backups, answers=answers, site_url=original.env["SITE_URL"], static_root=collected_static
    )


def restored(
    backup: Backup,
    folder: Path,
    commands: list[str],
    *,
    database_url: str = "",
    static_root: Path | None = None,
) -> Site:
    """A new, empty site with the backup restored into it, as README's drill does."""
    site = new_site(
        folder,
        site_url=backup.site_url,
        static_root=static_root or backup.static_root,
        database_url=database_url,
    )
    assert not any((folder / "db").iterdir()) and not any((folder / "media").iterdir())
    for command in commands:
        site.run(command, backup.folder)
    return site


def test_a_sqlite_backup_restored_into_an_empty_site_answers_the_same_pages(sqlite_backup, tmp_path):
    site = restored(sqlite_backup, tmp_path / "restored", SQLITE_RESTORE)
    for command in AFTER_RESTORE:
        site.run(command, sqlite_backup.folder)
    with serving(site) as server:
        same_answers(server, sqlite_backup.answers)


# The derived tables `migrate` fills when they are empty (faqs.publishing.derive_missing),
# as after an upgrade that adds one.
DERIVED_TABLES = ("listings.ArchiveEntry", "search.SearchEntry", "dashboard.QuestionHealth",
                  "analysis.QuestionAnalysis", "media.InlineImage")  # fmt: skip


def row_counts(database: Path, tables: list[str]) -> dict[str, int]:
    query = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM {table}" for table in tables)
    output = subprocess.run([sqlite3_cli(), str(database), query], capture_output=True, text=True, check=True)
    return {table: int(count) for table, count in (line.split("|") for line in output.stdout.splitlines())}


def test_an_upgrade_on_a_restored_copy_migrates_collects_and_derives_what_is_missing(sqlite_backup, tmp_path):
    from django.apps import apps

    static_root = tmp_path / "static"
    shutil.copytree(sqlite_backup.static_root, static_root)  # the release before: collectstatic adds to it
    (static_root / "staticfiles.json").unlink()
    site = restored(sqlite_backup, tmp_path / "restored", SQLITE_RESTORE, static_root=static_root)
    database = tmp_path / "restored" / "db" / "certfaq.sqlite3"
    tables = [apps.get_model(name)._meta.db_table for name in DERIVED_TABLES]
    before = row_counts(database, tables)
    assert all(before.values()), before
    emptied = "; ".join(f"DELETE FROM {table}" for table in tables)
    subprocess.run([sqlite3_cli(), str(database), emptied], check=True)

    for command in UPGRADE:
        site.run(command, sqlite_backup.folder)
    assert (static_root / "staticfiles.json").is_file()
    assert row_counts(database, tables) == before

    site.run(f"{MANAGE} renew_page_cache", sqlite_backup.folder)
    with serving(site) as server:
        same_answers(server, sqlite_backup.answers)


def test_the_scheduled_jobs_run_on_a_restored_copy(sqlite_backup, tmp_path):
    """The commands the timers start (certfaq-manage@<command>.service)."""
    site = restored(sqlite_backup, tmp_path / "restored", [*SQLITE_RESTORE, *AFTER_RESTORE])
    digest = site.run(SCHEDULED[0], sqlite_backup.folder)
    assert "Session" not in site.run(SCHEDULED[1], sqlite_backup.folder)  # clearsessions says nothing
    assert re.search(r"^(mailed|not mailed|Nothing is overdue)", digest, re.MULTILINE), digest


def postgres_database(name: str, *, create: bool) -> None:
    tool = "createdb" if create else "dropdb"
    assert shutil.which(tool), f"{tool} (Debian's postgresql-client, installed by `make test`) is required"
    flags = [] if create else ["--if-exists", "--force"]
    subprocess.run([tool, *flags, "-h", "127.0.0.1", "-U", "postgres", name], check=True, timeout=60)


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    """Two throwaway databases on the local server, the site's and the drill's, dropped
    after the test; never the suite's `test` database."""
    names = [f"certfaq_ops_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    created = []
    try:
        for name in names:
            postgres_database(name, create=True)
            created.append(name)
        yield tuple(f"{POSTGRES_SERVER}/{name}" for name in names)
    finally:
        for name in created:
            postgres_database(name, create=False)


def test_a_postgresql_dump_restored_into_an_empty_database_answers_the_same_pages(
    postgres_databases, tmp_path, collected_static
):
    original_url, drill_url = postgres_databases
    original, backups = demo_site(tmp_path, collected_static, database_url=original_url)
    with serving(original) as server:
        answers = answers_of(server)
        for command in POSTGRES_BACKUP:
            original.run(command, backups)
    backup = Backup(
        folder=backups, answers=answers, site_url=original.env["SITE_URL"], static_root=collected_static
    )

    site = restored(backup, tmp_path / "restored", POSTGRES_RESTORE, database_url=drill_url)
    for command in AFTER_RESTORE:
        site.run(command, backups)
    with serving(site) as server:
        same_answers(server, answers)
    assert os.path.getsize(backups / "certfaq.dump") > 0
