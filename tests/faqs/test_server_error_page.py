"""The 500 page renders from its template alone: with the database down and the static
manifest missing, empty or without its files' entries, a reader still gets the page
with its search box, never a crash of the error page itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.certfaq.test_config import production_env, run_manage

# Production settings (CompressedManifestStaticFilesStorage, DEBUG off) in a process of
# their own; a question page needs the database, so its error is Django's handler500.
DOWN_SCRIPT = """
import json
from django.conf import settings
from django.test import Client, RequestFactory
from django.test.utils import setup_test_environment
from django.urls import get_resolver
setup_test_environment()
response = Client(raise_request_exception=False).get("/resources/faq/any-question/", secure=True)
handler = get_resolver().resolve_error_handler(500)
direct = handler(RequestFactory().get("/resources/faq/any-question/", secure=True))
print(json.dumps({
    "storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "page": [response.status_code, response.content.decode()],
    "handler500": [direct.status_code, direct.content.decode()],
}))
"""


def static_root(tmp_path: Path, manifest: str | None) -> Path:
    """A STATIC_ROOT whose manifest is absent (None) or holds `manifest`."""
    root = tmp_path / "static"
    root.mkdir()
    if manifest is not None:
        (root / "staticfiles.json").write_text(manifest, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "manifest",
    [None, json.dumps({"paths": {}, "version": "1.1", "hash": ""}), ""],
    ids=["missing", "without-entries", "empty-file"],
)
def test_with_the_database_down_and_no_manifest_the_500_page_still_renders(tmp_path, manifest):
    unreachable = "postgres://postgres@127.0.0.1:1/nothing"  # nothing listens on port 1
    env = {
        **production_env(tmp_path),
        "DATABASE_URL": unreachable,
        "STATIC_ROOT": str(static_root(tmp_path, manifest)),
    }
    result = run_manage("shell", "-v", "0", "-c", DOWN_SCRIPT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout.splitlines()[-1])
    assert run["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    for name in ("page", "handler500"):
        status, html = run[name]
        assert status == 500, name
        assert "<h1>Something went wrong</h1>" in html, name
        assert 'action="/resources/"' in html and 'name="s"' in html, name  # the search box
        # The site's stylesheet by its plain name, which WhiteNoise serves beside the hashed copy.
        assert '<link rel="stylesheet" href="/resources/static/css/site.css">' in html, name
