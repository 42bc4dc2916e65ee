"""bench/serve.py's parts that decide what its figures mean: the plain-Django ceiling,
the Zipf draw, the make-run environment, the emptying of the default cache and the
targets. (The servers and wrk runs themselves are exercised by running the bench.)"""

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import django
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import serve  # noqa: E402
import serve_load  # noqa: E402
import serve_servers  # noqa: E402

STARTPROJECT_SETTINGS = (
    Path(django.__file__).parent / "conf" / "project_template" / "project_name" / "settings.py-tpl"
)


def startproject_middleware() -> list[str]:
    namespace = {}
    source = STARTPROJECT_SETTINGS.read_text()
    block = source[source.index("MIDDLEWARE = [") : source.index("]", source.index("MIDDLEWARE = [")) + 1]
    exec(block, namespace)
    return namespace["MIDDLEWARE"]


def ceiling(code: str) -> str:
    """Run `code` in a process whose Django is bench/ceiling's plain project."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plain.settings", "PYTHONPATH": str(BENCH / "ceiling")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=BENCH / "ceiling", env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def test_the_ceiling_runs_startprojects_middleware_with_debug_off_and_no_database():
    settings = json.loads(
        ceiling(
            "import json; from django.conf import settings as s\n"
            "print(json.dumps([s.MIDDLEWARE, s.DEBUG, s.DATABASES['default']['ENGINE']]))"
        )
    )
    assert settings == [startproject_middleware(), False, "django.db.backends.dummy"]


def test_the_ceiling_answers_the_constant_bytes_and_content_type(tmp_path):
    (tmp_path / "question.body").write_bytes(b"<p>" * 1000)
    (tmp_path / "question.content-type").write_text("text/html; charset=utf-8")
    answer = ceiling(
        f"import os; os.environ['BENCH_CONSTANT_DIR'] = {str(tmp_path)!r}\n"
        "from django.test import Client; r = Client(HTTP_HOST='127.0.0.1').get('/bench-constant/question/')\n"
        "print(r.status_code, r['Content-Type'], len(r.content))"
    )
    assert answer.strip() == "200 text/html; charset=utf-8 3000"


def test_zipf_draws_rank_one_most_and_in_proportion_to_one_over_rank():
    count = 1000
    rng = random.Random(7)
    drawn = Counter(serve_load.zipf_number(rng, count) for _ in range(50_000))
    (first, first_hits), (second, second_hits) = drawn.most_common(2)
    harmonic = sum(1 / rank for rank in range(1, count + 1))
    assert first == 1  # rank 1 is number 1; the stride scatters the ranks after it
    assert first_hits / 50_000 == pytest.approx(1 / harmonic, rel=0.1)
    assert first_hits / second_hits == pytest.approx(2, rel=0.15)
    assert set(drawn) <= set(range(1, count + 1))


def test_zipf_ranks_map_to_every_number_once():
    cumulative, stride = serve_load.zipf_weights(10_000)
    numbers = {(rank - 1) * stride % 10_000 + 1 for rank in range(1, 10_001)}
    assert numbers == set(range(1, 10_001))
    assert cumulative[-1] == pytest.approx(1.0)


def test_makerun_leaves_the_cache_and_gunicorn_settings_to_their_defaults(monkeypatch, tmp_path):
    for name, value in {
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "PAGE_CACHE": "off",
        "PAGE_CACHE_STAMP_FILE": "/tmp/x",
        "WEB_CONCURRENCY": "5",
        "GUNICORN_THREADS": "4",
    }.items():
        monkeypatch.setenv(name, value)
    env = serve_servers.makerun_env("sqlite:////tmp/site.sqlite3", tmp_path)
    assert not {
        "CACHE_URL",
        "PAGE_CACHE",
        "PAGE_CACHE_STAMP_FILE",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
    } & set(env)
    assert env["DATABASE_URL"] == "sqlite:////tmp/site.sqlite3"


def test_the_makerun_command_is_make_runs():
    server = serve_servers.makerun_server("site", {"DJANGO_SETTINGS_MODULE": "elsewhere"}, Path("/tmp"))
    shipped = str(serve_servers.SHIPPED_CONFIG)
    assert server.command[1:] == ["-m", "gunicorn", "--config", shipped, "certfaq.wsgi"]
    assert server.env == {"GUNICORN_BIND": f"127.0.0.1:{server.port}"}  # certfaq.wsgi's own settings


def test_emptying_a_folder_cache_removes_it_and_the_stamp(tmp_path):
    folder, stamp = tmp_path / "cache", tmp_path / "site.stamp"
    (folder / "00").mkdir(parents=True)
    (folder / "00" / "entry").write_bytes(b"x")
    stamp.write_text("token")
    cache = {"backend": "some.DiskCache", "location": str(folder), "stamp": str(stamp)}
    serve_servers.empty_default_cache(cache, f"sqlite:///{tmp_path / 'site.sqlite3'}")
    assert not folder.exists()
    assert not stamp.exists()


def test_emptying_the_cache_refuses_a_folder_that_holds_the_site(tmp_path):
    cache = {"backend": "some.DiskCache", "location": str(tmp_path), "stamp": ""}
    with pytest.raises(SystemExit):
        serve_servers.empty_default_cache(cache, f"sqlite:///{tmp_path / 'site.sqlite3'}")
    assert tmp_path.exists()


def test_the_issues_targets():
    assert str(serve.target_for("makerun", "question", 10_000)) == "≥ 0.60, p99 ≤ 15 ms"
    assert serve.target_for("makerun", "zipf", 100_000).ratio == 0.50
    assert serve.target_for("cold", "question", 10_000).ratio == 0.10
    assert serve.target_for("cold", "wp-json", 10_000).ratio == 0.02
    assert serve.target_for("redis", "wp-json", 10_000).ratio == 0.30
    assert serve.target_for("redis", "search", 10_000).ratio == 0.08
    assert serve.target_for("redis", "search", 100_000) is None  # the issue sets it at 10,000
    assert not serve.Target(0.60, 15).met_by(0.70, 16.0)
