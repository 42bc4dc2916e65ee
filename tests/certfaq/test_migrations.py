"""The split of faqs into apps (issue 17) moves models between apps: a database made by
the migrations before it, with a row in every table, loses nothing on `migrate`.

The upgrade runs in a process of its own on a database of its own
(tests/certfaq/migration_upgrade.py), as `manage.py migrate` would on a deployed site: the
suite's test database is not rebuilt under the other tests. (django-test-migrations
was read for this and not used: its Migrator drops the models' tables and replays the
migrations on the shared test database, and the FTS5 tables migration 0011 creates
are not a model's, so the replay fails on them.)"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MOVED = {
    "archiveentry": "listings", "archivetotal": "listings", "relatedquestion": "listings",
    "internallink": "links", "searchentry": "search", "searchspelling": "search",
    "searchlog": "search_insights", "searchpromotion": "search_insights", "editingpresence": "editing",
}  # fmt: skip


@pytest.fixture(scope="module")
def fresh_database_url(tmp_path_factory):
    """A database no other test uses, of the suite's vendor."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('upgrade') / 'upgrade.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"certfaq_upgrade_{uuid.uuid4().hex[:12]}"
    server = f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def upgrade(fresh_database_url) -> dict:
    """The upgrade, once for the module: what the tables held before and after."""
    env = {**os.environ, "DATABASE_URL": fresh_database_url, "DJANGO_SETTINGS_MODULE": "certfaq.settings"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "certfaq" / "migration_upgrade.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_moving_the_models_to_their_apps_loses_no_row(upgrade):
    before, after = upgrade["before"], upgrade["after"]

    moved_tables = {f"faqs_{model}" for model in MOVED}
    assert moved_tables <= before["tables"].keys()
    assert all(before["tables"][table] for table in moved_tables), "every moved table held a row"
    # Every table there was, row for row (the migrate also makes the tables of apps that
    # `migrate faqs 0012` did not need: sessions, axes, reversion...).
    assert {table: after["tables"].get(table) for table in before["tables"]} == before["tables"]

    # The content types move with their models (same ids: permissions and grants follow);
    # the one new is the proxy that carries the off-site redirect permission.
    expected = [
        [pk, MOVED[model] if label == "faqs" and model in MOVED else label, model]
        for pk, label, model in before["content_types"]
    ]
    assert after["content_types"][: len(expected)] == expected
    # Apps that came later (flatpages for site_pages, ...) add theirs; of those that took part in
    # the move, only the proxy is new.
    moved_apps = {"faqs", *MOVED.values()}
    added = [row[1:] for row in after["content_types"][len(expected) :] if row[1] in moved_apps]
    assert added == [["links", "offsiteredirect"]]

    # Every grant, to a user or a group, is held after as before, under its new label;
    # apps that came later grant their own (issue 20: the site pages, profiles, sources).
    kept = [[holder, permission] for holder, permission in after["grants"] if not granted_later(permission)]
    assert kept == sorted([holder, renamed(permission)] for holder, permission in before["grants"])


LATER_APPS = ("flatpages.", "people.", "sources.", "feedback.", "media.")


def granted_later(permission: str) -> bool:
    return permission.startswith(LATER_APPS)


def renamed(permission: str) -> str:
    app_label, codename = permission.split(".")
    if permission == "faqs.add_offsite_redirect":
        return "links.add_offsite_redirect"
    model = codename.partition("_")[2]
    return f"{MOVED[model]}.{codename}" if app_label == "faqs" and model in MOVED else permission


def test_after_the_move_the_apps_read_the_rows_and_editors_keep_their_rights(upgrade):
    orm = upgrade["orm"]

    assert set(orm["counts"].values()) == {1}, orm["counts"]
    assert orm["link"] == ["retake-cma", "cma-cost"]
    assert orm["promotion"] == ["cma retake", "retake-cma"]
    assert orm["editor_may"] == [
        "links.add_offsite_redirect", "search_insights.add_searchpromotion",
        "search_insights.change_searchpromotion", "search_insights.delete_searchpromotion",
        "search_insights.view_searchlog", "search_insights.view_searchpromotion",
    ]  # fmt: skip
