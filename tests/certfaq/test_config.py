"""Settings come from the environment, with safe defaults and a clean deploy check."""

import multiprocessing
import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from certfaq import config

PROJECT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SITE_URL")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "certilyst.com",
        "SITE_URL": "https://certilyst.com/resources/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_debug_is_off_unless_asked_for(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    env = production_env(tmp_path)
    assert run_manage("shell", "-v", "0", "-c", code, env=env).stdout.strip() == "False"
    assert run_manage("shell", "-v", "0", "-c", code, env={**env, "DEBUG": "true"}).stdout.strip() == "True"


def test_a_bad_variable_stops_the_site_with_a_clear_message(tmp_path):
    result = run_manage("check", env={**production_env(tmp_path), "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_local_defaults_need_no_variable(tmp_path):
    # Only a database of its own, so the check writes nowhere it should not.
    code = "from django.conf import settings as s; print(s.SITE_URL, s.ALLOWED_HOSTS, s.DEBUG)"
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'local.sqlite3'}"}
    result = run_manage("shell", "-v", "0", "-c", code, env=env)
    assert result.stdout.split(" ", 1)[0] == "http://127.0.0.1:8000/resources/", result.stderr
    assert "['127.0.0.1', 'localhost'] False" in result.stdout
    assert settings.SITE_PATH == "resources/"
    assert settings.STATIC_URL == "/resources/static/"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://certilyst.com/resources", "https://certilyst.com/resources/"),
        ("http://127.0.0.1:8000/resources/", "http://127.0.0.1:8000/resources/"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_site_url_is_normalised(raw, expected):
    assert config.site_url(raw) == expected


@pytest.mark.parametrize("raw", ["certilyst.com/resources/", "ftp://x/", "https://x/?a=1"])
def test_site_url_must_be_absolute_http(raw):
    with pytest.raises(config.ConfigError):
        config.site_url(raw)


def test_sqlite_url_relative_and_absolute(tmp_path):
    relative = config.database_from_url("sqlite:///db.sqlite3", tmp_path)
    absolute = config.database_from_url("sqlite:////var/lib/certfaq/db.sqlite3", tmp_path)
    assert relative["NAME"] == tmp_path / "db.sqlite3"
    assert absolute["NAME"] == Path("/var/lib/certfaq/db.sqlite3")
    assert relative["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in relative["OPTIONS"]["init_command"]


def test_postgres_url():
    database = config.database_from_url(
        "postgres://user:p%40ss@db.internal:6432/certfaq?sslmode=require", Path()
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("certfaq", "user", "p@ss")
    assert (database["HOST"], database["PORT"]) == ("db.internal", "6432")
    assert database["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "sqlite://"])
def test_unsupported_database_urls_are_refused(url):
    with pytest.raises(config.ConfigError):
        config.database_from_url(url, Path())


def test_cache_urls():
    assert config.cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = config.cache_from_url("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "certfaq.redis_cache.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert redis["KEY_PREFIX"] == "certfaq"
    assert redis["OPTIONS"] == {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
    assert (
        config.cache_from_url("redis://127.0.0.1:6379/1", key_prefix="faq-staging")["KEY_PREFIX"]
        == "faq-staging"
    )
    with pytest.raises(config.ConfigError):
        config.cache_from_url("memcached://x")


def test_the_default_cache_is_a_folder_on_disk_beside_the_database(tmp_path):
    """disk:// (the default) is the machine-shared cache in the folder named for the
    database; disk:///path chooses one; both bounded in bytes (8 GiB unless told)."""
    database = config.database_from_url(f"sqlite:///{tmp_path / 'site.db'}", tmp_path)
    folder = config.cache_folder(database)
    assert folder == Path(f"{(tmp_path / 'site.db').resolve()}-cache")
    assert folder.parent == config.stamp_file(database).parent
    disk = config.cache_from_url("disk://", default_folder=folder)
    assert disk["BACKEND"] == "certfaq.disk_cache.DiskCache"
    assert disk["LOCATION"] == str(folder)
    assert disk["OPTIONS"] == {"size_limit": 8 * 2**30}
    elsewhere = config.cache_from_url("disk:///var/cache/certfaq", default_folder=folder, max_bytes=2**30)
    assert elsewhere["LOCATION"] == "/var/cache/certfaq"
    assert elsewhere["OPTIONS"] == {"size_limit": 2**30}
    for bad in ("disk://somehost/x", "disk:relative"):
        with pytest.raises(config.ConfigError, match="disk://"):
            config.cache_from_url(bad, default_folder=folder)
    postgres = config.database_from_url("postgres://u@127.0.0.1:5432/faq", tmp_path)
    assert config.cache_folder(postgres).name.endswith("-cache")
    assert config.cache_folder(postgres).parent == config.stamp_file(postgres).parent


def test_a_redis_urls_own_timeout_wins_over_the_default():
    from certfaq.redis_cache import RedisCache

    urls = {"redis://127.0.0.1:6379/1": 1.0, "redis://127.0.0.1:6379/1?socket_timeout=3": 3.0}
    for url, timeout in urls.items():
        entry = config.cache_from_url(url)
        pool = RedisCache(entry["LOCATION"], entry)._cache._get_connection_pool(write=False)
        assert pool.connection_kwargs["socket_timeout"] == timeout


def test_redis_cache_url_talks_to_a_real_redis():
    from django.core.cache.backends.redis import RedisCache

    entry = config.cache_from_url("redis://127.0.0.1:6379/15")
    cache = RedisCache(entry["LOCATION"], {"KEY_PREFIX": "certfaq-test"})
    cache.set("probe", {"ok": 1}, 30)
    assert cache.get("probe") == {"ok": 1}
    cache.delete("probe")


def test_secret_key_file_is_made_once_and_kept(tmp_path):
    path = tmp_path / ".secret_key"
    first = config.local_secret_key(path)
    assert len(first) >= 50
    assert config.local_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_no_secret_key_is_committed():
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True).stdout
    assert ".secret_key" not in tracked.split()
    assert "/.secret_key" in (PROJECT / ".gitignore").read_text()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection; c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0])",
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}", "SECRET_KEY": "x" * 50},
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr


def test_a_sqlite_connection_serves_a_worker_for_a_minute(tmp_path):
    """Opening the file and its PRAGMAs cost 0.75 ms a request (issue 18)."""
    database = config.database_from_url(f"sqlite:///{tmp_path / 'site.db'}", tmp_path)
    assert database["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, "en-US"),
        ({"LANGUAGE": "fr-CA"}, "fr-CA"),
        ({"LANGUAGE": "en_US:en"}, "en-US"),  # gettext's variable on many systems: not ours
        ({"LANGUAGE": "en_US:en", "SITE_LANGUAGE": "en-GB"}, "en-GB"),
    ],
)
def test_site_language(environ, expected):
    assert config.site_language(environ) == expected


def test_a_bad_site_language_is_refused():
    with pytest.raises(config.ConfigError):
        config.site_language({"SITE_LANGUAGE": "english please"})


def test_system_language_and_lowercase_log_level_do_not_break_the_site(tmp_path):
    env = {**production_env(tmp_path), "LANGUAGE": "en_US:en", "LOG_LEVEL": "info"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_each_machine_would_make_its_own_key(tmp_path):
    env = {**production_env(tmp_path), "SECRET_KEY": ""}
    result = run_manage("check", "--deploy", env=env)
    assert "certfaq.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("SECURE_HSTS_SECONDS", "abc", "SECURE_HSTS_SECONDS must be a whole number"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of"),
        ("TIME_ZONE", "Mars/Base", "TIME_ZONE must be a zone name"),
        ("DATABASE_URL", "sqlite://db.sqlite3", "three slashes"),
    ],
)
def test_bad_values_name_their_variable(tmp_path, variable, value, message):
    result = run_manage("check", env={**production_env(tmp_path), variable: value})
    assert result.returncode != 0 and message in result.stderr


def test_health_check_answers_503_when_the_database_does_not(tmp_path):
    script = (
        "from django.test import Client; from django.test.utils import setup_test_environment;"
        "setup_test_environment(); r = Client().get('/resources/health/', secure=True);"
        "print(r.status_code, r.json()['database'])"
    )
    unreachable = "postgres://postgres@127.0.0.1:1/nothing"  # nothing listens on port 1
    env = {**production_env(tmp_path), "DATABASE_URL": unreachable}
    result = run_manage("shell", "-v", "0", "-c", script, env=env)
    assert result.stdout.split()[-2:] == ["503", "unreachable"], result.stderr[-2000:]


def test_gunicorn_refuses_a_bad_thread_count_by_name():
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--check-config", "--config", "gunicorn.conf.py", "certfaq.wsgi"]
    env = {**os.environ, "GUNICORN_THREADS": "many"}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "GUNICORN_THREADS must be a whole number" in result.stdout + result.stderr


def gunicorn_settings(**env: str) -> dict:
    """gunicorn.conf.py's values, read as gunicorn reads it, with only `env` set."""
    read = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS", "GUNICORN_ACCESS_LOG")
    clean = {key: value for key, value in os.environ.items() if key not in read}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", {**clean, **env})
        return runpy.run_path(str(PROJECT / "gunicorn.conf.py"))


def test_gunicorn_runs_one_sync_worker_per_core_by_default():
    """The default bench/serve.py chose on 2 cores (README, Sizing)."""
    settings = gunicorn_settings()
    assert settings["workers"] == multiprocessing.cpu_count()
    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)


def test_gunicorn_threads_switch_to_the_threaded_worker():
    settings = gunicorn_settings(WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert (settings["workers"], settings["worker_class"], settings["threads"]) == (3, "gthread", 4)


def test_gunicorn_recycles_a_worker_rarely_and_can_be_told_otherwise():
    """A worker's start costs about half a second of CPU: replaced every 2,000 requests
    it spent a quarter of its time starting under load, and every 50,000 the two workers
    of `make run` went together about every 26 s, a p99 of 83-219 ms (issue 18). Half
    the count as jitter keeps them apart."""
    default = gunicorn_settings()
    assert (default["max_requests"], default["max_requests_jitter"]) == (1_000_000, 500_000)
    assert gunicorn_settings(GUNICORN_MAX_REQUESTS="5")["max_requests"] == 5
    assert gunicorn_settings(GUNICORN_MAX_REQUESTS="0")["max_requests"] == 0


def test_a_gunicorn_worker_freezes_what_it_has_loaded():
    """The collector's full passes skip the worker's loaded code (a 40 ms pause, 8 frozen).
    Run in a process of its own: freezing this one would change how the rest of the
    suite's garbage is collected."""
    hook = (
        "import gc, runpy; runpy.run_path('gunicorn.conf.py')['post_worker_init'](None); "
        "print(gc.get_freeze_count())"
    )
    result = subprocess.run(
        [sys.executable, "-c", hook], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert int(result.stdout) > 1000


def test_gunicorn_writes_an_access_log_only_when_asked():
    """A line a request cost a sixth of a worker's requests (issue 18); nginx logs them."""
    assert gunicorn_settings()["accesslog"] is None
    assert gunicorn_settings(GUNICORN_ACCESS_LOG="-")["accesslog"] == "-"


# --- EMAIL_URL ---------------------------------------------------------------------


def test_mail_goes_to_the_servers_output_by_default():
    assert config.email_from_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.internal", {"EMAIL_HOST": "relay.internal", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
        (
            "smtp+tls://mailer%40example.org:p%40ss%3Aword@smtp.example.org:2525",
            {
                "EMAIL_HOST": "smtp.example.org",
                "EMAIL_PORT": 2525,
                "EMAIL_HOST_USER": "mailer@example.org",
                "EMAIL_HOST_PASSWORD": "p@ss:word",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://u:p@smtp.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("file:///var/mail/certfaq", {"EMAIL_FILE_PATH": "/var/mail/certfaq"}),
    ],
)
def test_email_url_names_the_mail_server(url, expected):
    settings_ = config.email_from_url(url)
    assert settings_ | expected == settings_


@pytest.mark.parametrize("url", ["sendmail://", "smtp://", "smtp://host:notaport", "file://relative/folder"])
def test_a_bad_email_url_is_a_clear_error(url):
    with pytest.raises(config.ConfigError, match="EMAIL_URL"):
        config.email_from_url(url)


def test_email_url_is_read_from_the_environment():
    code = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.DEFAULT_FROM_EMAIL)"
    env = {
        **os.environ,
        "EMAIL_URL": "smtp+tls://smtp.example.org",
        "DJANGO_SETTINGS_MODULE": "certfaq.settings",
    }
    env.pop("DEFAULT_FROM_EMAIL", None)
    printed = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR,
    ).stdout.split()  # fmt: skip
    assert printed == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "Certilyst",
        "<noreply@127.0.0.1>",
    ]
