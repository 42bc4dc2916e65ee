"""The page cache as `make run` serves the site: gunicorn.conf.py, two workers, no
CACHE_URL (the default disk cache). Every worker answers from the pages any worker
kept, they outlive a worker's recycling and a restart of the server, and a write by
another process (a `manage.py` command) retires them at once."""

from __future__ import annotations

import re
import time

import pytest

from certfaq import config
from tests.certfaq.test_serving import (
    QUESTION_SLUG,
    fetch,
    free_port,
    manage,
    server_env,
    start_gunicorn,
    stop,
    wait_until_up,
)

pytestmark = pytest.mark.serving

RECYCLE_AFTER = 5  # GUNICORN_MAX_REQUESTS: each worker is replaced after 5 requests
RENAME = f"""
from faqs import publishing
from faqs.models import Question
question = Question.objects.get(slug={QUESTION_SLUG!r})
question.title = "Renamed by another process"
publishing.save_question(question)
"""


def page_cache(url: str) -> tuple[str, str]:
    """(X-Page-Cache, the page's <h1>) of a GET."""
    status, headers, body = fetch(url)
    assert status == 200, url
    heading = re.search(r"<h1>(.*?)</h1>", body.decode())
    return headers["X-Page-Cache"], heading.group(1) if heading else ""


def booted_workers(error_log) -> set[str]:
    return set(re.findall(r"Booting worker with pid: (\d+)", error_log.read_text(errors="replace")))


@pytest.fixture
def site(tmp_path, collected_static):
    port = free_port()
    env = {
        **server_env(tmp_path, port),
        "STATIC_ROOT": str(collected_static),
        "GUNICORN_MAX_REQUESTS": str(RECYCLE_AFTER),
    }
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    return env, port


def serve(env: dict, port: int, folder):
    server = start_gunicorn(env, port, folder)
    wait_until_up(server)
    return server


def test_workers_share_kept_pages_through_recycling_and_restarts(site, tmp_path):
    env, port = site
    server = serve(env, port, tmp_path)
    question = f"{server.site_url}faq/{QUESTION_SLUG}/"
    try:
        assert page_cache(question)[0] == "miss"
        assert page_cache(question)[0] == "hit"

        # Every worker is replaced, more than once: the page is still kept.
        first_workers = booted_workers(server.error_log)
        for _ in range(6 * RECYCLE_AFTER):
            assert fetch(server.site_url + "robots.txt")[0] == 200
        deadline = time.monotonic() + 10
        while len(booted_workers(server.error_log) - first_workers) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(booted_workers(server.error_log) - first_workers) >= 4
        outcomes = {page_cache(question)[0] for _ in range(2 * RECYCLE_AFTER)}
        assert outcomes == {"hit"}
    finally:
        stop(server.process)

    # A new server: no page made again.
    server = serve(env, port, tmp_path)
    try:
        assert page_cache(question) == ("hit", "What Happens If You Fail the CMA Exam?")

        # Another process writes: every worker serves the change at once.
        manage(env, "shell", "-c", RENAME)
        assert page_cache(question) == ("miss", "Renamed by another process")
        for _ in range(2 * RECYCLE_AFTER):
            assert page_cache(question) == ("hit", "Renamed by another process")
    finally:
        stop(server.process)

    database = config.database_from_url(env["DATABASE_URL"], tmp_path)
    assert any(config.cache_folder(database).rglob("cache.db")), "the pages were not kept on disk"
    errors = server.error_log.read_text(errors="replace")
    assert "Traceback" not in errors, errors[-4000:]
