"""The site as `make run` serves it: a real gunicorn started with gunicorn.conf.py,
static files collected (hashed, compressed) and served by whitenoise, DEBUG off.

Whatever database the rest of the suite runs on, the server here always uses its
own SQLite file in a temporary folder: the site's own configuration is what is
under test. Nothing here touches the test database.
"""

from __future__ import annotations

import contextlib
import ctypes
import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

pytestmark = pytest.mark.serving

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "serving-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
STARTUP_SECONDS = 20
STOP_SECONDS = 10
REQUEST_TIMEOUT = 10

QUESTION_SLUG = "what-happens-if-you-fail-the-cma-exam-2"
HASHED_CSS = re.compile(r'<link rel="stylesheet" href="(/resources/static/css/site\.[0-9a-f]{12}\.css)">')

# Variables the site (certfaq/settings.py), gunicorn.conf.py or gunicorn itself read.
# None is inherited: the server gets exactly the configuration this file sets.
SITE_VARIABLES = {
    "ALLOWED_HOSTS",
    "CACHE_KEY_PREFIX",
    "CACHE_MAX_BYTES",
    "CACHE_MAX_AGE",
    "CACHE_MAX_ENTRIES",
    "CACHE_S_MAXAGE",
    "CACHE_STALE_WHILE_REVALIDATE",
    "CACHE_URL",
    "CDN_CLOUDFLARE_API",
    "CDN_CLOUDFLARE_TOKEN",
    "CDN_CLOUDFLARE_ZONE",
    "CDN_PURGE_ALL_ABOVE",
    "CDN_PURGE_URLS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_BIND",
    "GUNICORN_CMD_ARGS",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "LANGUAGE",
    "LOG_LEVEL",
    "IMAGE_HOSTS",
    "INDEXNOW_ENDPOINT",
    "INDEXNOW_KEY",
    "MEDIA_MAX_PIXELS",
    "MEDIA_MAX_UPLOAD_MB",
    "MEDIA_ROOT",
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_CUSTOM_DOMAIN",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "PAGE_CACHE",
    "PAGE_CACHE_SECONDS",
    "PAGE_CACHE_STAMP_FILE",
    "PAGE_FRAGMENTS",
    "PORT",
    "SEARCH_LOG_BUFFER",
    "SECRET_KEY",
    "SITE_NAME",
    "SITE_TAGLINE",
    "SITE_URL",
    "STATIC_ROOT",
    "TIME_ZONE",
    "WEB_CONCURRENCY",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(folder: Path, port: int) -> dict[str, str]:
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in SITE_VARIABLES and not name.startswith(("PG", "DJANGO_"))
    }
    return {
        **inherited,
        "DATABASE_URL": f"sqlite:///{folder / 'site.db'}",  # absolute: sqlite:////tmp/…
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),  # the demo's images: never the checkout's uploads/
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "false",
        "SITE_URL": f"http://127.0.0.1:{port}/resources/",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "certfaq.settings",
        "PYTHONUNBUFFERED": "1",
        # gunicorn ≥ 25.1 opens a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl (else
        # ~/.gunicorn/gunicorn.ctl), taking over any other instance's and deleting it on
        # exit: keep this server's in the temporary folder, away from `make run`'s.
        "XDG_RUNTIME_DIR": str(folder),
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# Resolved once in the parent: the child only calls it between fork and exec.
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: no parent-death signal
    _prctl = None
PR_SET_PDEATHSIG = 1


def _stop_with_this_process() -> None:
    """In the child before exec: SIGTERM arrives if pytest itself dies (even by
    SIGKILL), so an aborted run never leaves gunicorn behind."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master (graceful), then SIGKILL to its process group."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own group: start_new_session=True
        process.wait(timeout=STOP_SECONDS)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) for a GET; 4xx/5xx are answers, not exceptions."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


@dataclass
class Server:
    url: str  # http://127.0.0.1:<port>
    site_url: str  # SITE_URL: <url>/resources/
    env: dict
    process: subprocess.Popen
    access_log: Path  # gunicorn's stdout
    error_log: Path  # gunicorn's stderr (its error log and Django's console logging)

    def wait_for_log(self, *fragments: str, seconds: float = 5) -> str:
        """gunicorn writes an access line just after the response: poll briefly."""
        deadline = time.monotonic() + seconds
        while True:
            log = self.access_log.read_text(errors="replace")
            if all(fragment in log for fragment in fragments) or time.monotonic() > deadline:
                return log
            time.sleep(0.05)


def answers(url: str) -> bool:
    """Whether the server answers 200 yet; a refused connection means not listening yet."""
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {server.process.returncode} while starting:\n"
                + server.error_log.read_text(errors="replace")[-4000:]
            )
        if answers(server.site_url):
            return
        time.sleep(0.1)
    pytest.fail(
        f"gunicorn did not answer within {STARTUP_SECONDS} s:\n"
        + server.error_log.read_text(errors="replace")[-4000:]
    )


SERVER_OPTIONS = {"WEB_CONCURRENCY": "2", "GUNICORN_ACCESS_LOG": "-"}


def start_gunicorn(env: dict, port: int, folder: Path) -> Server:
    """gunicorn as `make run` starts it, on 127.0.0.1:<port> with two workers, its logs
    in `folder`; not yet answering (wait_until_up)."""
    access_log, error_log = folder / "gunicorn.out", folder / "gunicorn.err"
    with access_log.open("wb") as stdout, error_log.open("wb") as stderr:
        process = subprocess.Popen(
            [str(GUNICORN), "--config", "gunicorn.conf.py", "certfaq.wsgi"],
            cwd=PROJECT,
            # With the access log (off by default): tests read it to see what was asked.
            env={**env, **SERVER_OPTIONS, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
            preexec_fn=_stop_with_this_process,
        )
    url = f"http://127.0.0.1:{port}"
    return Server(
        url=url,
        site_url=url + urlsplit(env["SITE_URL"]).path,
        env=env,
        process=process,
        access_log=access_log,
        error_log=error_log,
    )


@contextlib.contextmanager
def serving_gunicorn(env: dict, port: int, folder: Path) -> Iterator[Server]:
    """`start_gunicorn()` answering, stopped afterwards; its error log must hold no
    traceback."""
    running = start_gunicorn(env, port, folder)
    try:
        wait_until_up(running)
        yield running
    finally:
        stop(running.process)
    errors = running.error_log.read_text(errors="replace")
    assert "Traceback" not in errors, errors[-4000:]


@pytest.fixture(scope="module")
def server(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("serving")
    port = free_port()
    env = {**server_env(folder, port), "STATIC_ROOT": str(collected_static)}
    manage(env, "migrate", "--noinput")
    assert "Loaded" in manage(env, "load_demo")

    with serving_gunicorn(env, port, folder) as running:
        yield running


def test_gunicorn_serves_pages_hashed_static_files_and_the_404_page(server):
    status, _, body = fetch(server.site_url)
    assert status == 200
    home = body.decode()
    assert re.search(r"<title>Certilyst\b[^<]*</title>", home), home[:500]

    # collectstatic's manifest renamed the stylesheet; whitenoise serves the gzip
    # copy with its far-future, immutable cache header.
    css = HASHED_CSS.search(home)
    assert css, "the stylesheet link does not point at a hashed file name"
    css_path = css.group(1)
    status, headers, body = fetch(server.url + css_path, {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] in ("gzip", "br")
    cache_control = headers["Cache-Control"]
    assert "max-age=315360000" in cache_control and "immutable" in cache_control, cache_control
    if headers["Content-Encoding"] == "gzip":
        assert b".breadcrumbs" in gzip.decompress(body)

    question_path = f"/resources/faq/{QUESTION_SLUG}/"
    status, _, body = fetch(server.url + question_path)
    assert status == 200
    question = body.decode()
    canonical = f'<link rel="canonical" href="{server.site_url}faq/{QUESTION_SLUG}/" />'
    assert canonical in question
    assert "<h1>What Happens If You Fail the CMA Exam?</h1>" in question

    # Unknown question (the view's 404) and unknown address (the resolver's 404):
    # both get the site's own 404 page with a search box, not Django's plain one.
    for missing in ("/resources/faq/no-such-question/", "/resources/no-such-page/"):
        status, headers, body = fetch(server.url + missing)
        assert status == 404, missing
        page = body.decode()
        assert "<h1>Page not found</h1>" in page, missing
        assert 'name="s"' in page and 'role="search"' in page, missing
        assert '<meta name="robots" content="noindex, follow" />' in page, missing

    log = server.wait_for_log(
        '"GET /resources/ HTTP/1.1" 200',
        f'"GET {css_path} HTTP/1.1" 200',
        f'"GET {question_path} HTTP/1.1" 200',
        '"GET /resources/no-such-page/ HTTP/1.1" 404',
    )
    assert '"GET /resources/ HTTP/1.1" 200' in log, log[-2000:]
    assert f'"GET {css_path} HTTP/1.1" 200' in log, log[-2000:]
    assert f'"GET {question_path} HTTP/1.1" 200' in log, log[-2000:]
    assert '"GET /resources/faq/no-such-question/ HTTP/1.1" 404' in log, log[-2000:]
    assert '"GET /resources/no-such-page/ HTTP/1.1" 404' in log, log[-2000:]


FEATURED_SLUG = "how-many-times-can-you-retake-the-cma-exam"
MEDIA_ADDRESS = re.compile(r"/resources/media/images/[\w/.-]+\.(?:png|webp|avif|jpg)")


def test_gunicorn_serves_the_library_images_a_page_shows(server):
    """As `make run` serves the site (no web server in front): every picture of the demo
    page with images (featured, two in the answer, every width and format) comes from
    MEDIA_ROOT with its type, a year's immutable caching and nosniff."""
    status, _, body = fetch(f"{server.site_url}faq/{FEATURED_SLUG}/")
    assert status == 200
    page = body.decode()
    assert page.count("<picture>") == 3
    addresses = sorted(set(MEDIA_ADDRESS.findall(page)))
    assert len(addresses) >= 3 * 4, addresses  # 3 pictures, widths in WebP and PNG at least
    types = {"png": "image/png", "webp": "image/webp", "avif": "image/avif", "jpg": "image/jpeg"}
    for address in addresses:
        status, headers, body = fetch(server.url + address)
        assert status == 200, address
        assert headers["Content-Type"] == types[address.rsplit(".", 1)[1]], address
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", address
        assert headers["X-Content-Type-Options"] == "nosniff", address
        assert body.startswith((b"\x89PNG", b"RIFF", b"\xff\xd8\xff")) or body[4:8] == b"ftyp", address
    status, _, _ = fetch(server.url + "/resources/media/images/no-such-picture.png")
    assert status == 404
    assert (Path(server.env["MEDIA_ROOT"]) / addresses[0].removeprefix("/resources/media/")).is_file()


def test_gunicorn_sends_pages_compressed_and_the_admin_plain(server):
    """http_cache.response.CompressionMiddleware behind gunicorn: gzip and br as the client
    asks; the admin's sign-in form (a CSRF token) never."""
    question_url = f"{server.site_url}faq/{QUESTION_SLUG}/"
    status, _, plain = fetch(question_url)
    assert status == 200
    status, headers, body = fetch(question_url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"] and "Content-Security-Policy" in headers
    assert gzip.decompress(body) == plain
    status, headers, body = fetch(question_url, {"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == plain

    status, headers, body = fetch(server.site_url + "admin/login/", {"Accept-Encoding": "gzip, br"})
    assert status == 200 and b"csrfmiddlewaretoken" in body
    assert headers["Content-Encoding"] is None


WRITES = 50
WRITER = f"""
import sys, time
import django
django.setup()
from faqs import publishing
from faqs.models import Question

print("ready", flush=True)
sys.stdin.readline()  # the go signal: the readers are running
first = time.time()
for number in range({WRITES}):
    # As the admin saves: the one save path, one transaction (BEGIN IMMEDIATE on SQLite).
    publishing.save_question(Question(
        title=f"Concurrent question {{number}}",
        content=f"<p>Written while gunicorn serves readers ({{number}}).</p>",
        status=Question.Status.PUBLISHED,
    ))
print(f"wrote {{first}} {{time.time()}}", flush=True)
"""
READERS = 8
READS_EACH = 25
READ_PATHS = [
    "/resources/",
    "/resources/faq/",
    f"/resources/faq/{QUESTION_SLUG}/",
    "/resources/faq/how-many-times-can-you-retake-the-cma-exam/",
    "/resources/faq-categories/cma-exam/",
    "/resources/?s=exam",
    "/resources/tag/retake/",
]


def test_readers_and_a_writer_at_once_on_sqlite(server):
    """8 readers × 25 GETs through gunicorn's 2 workers while another process saves
    50 questions: no request fails and the writer never meets "database is locked"."""
    writer = subprocess.Popen(
        [PYTHON, "-c", WRITER],
        cwd=PROJECT,
        env=server.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_stop_with_this_process,
    )
    try:
        assert writer.stdout.readline().strip() == "ready", writer.communicate(timeout=30)[0]

        answers: list[tuple[str, int | str]] = []
        start = threading.Barrier(READERS + 1)

        def read(offset: int) -> None:
            start.wait(timeout=REQUEST_TIMEOUT)
            for number in range(READS_EACH):
                path = READ_PATHS[(offset + number) % len(READ_PATHS)]
                try:
                    status = fetch(server.url + path)[0]
                except OSError as error:  # refused, reset, timed out
                    status = repr(error)
                answers.append((path, status))

        readers = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(READERS)]
        for reader in readers:
            reader.start()
        start.wait(timeout=REQUEST_TIMEOUT)
        reads_began = time.time()
        writer.stdin.write("go\n")
        writer.stdin.flush()
        for reader in readers:
            reader.join(timeout=60)
        reads_ended = time.time()
        output, _ = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()

    assert not any(reader.is_alive() for reader in readers), "a reader hung"
    assert writer.returncode == 0, output
    assert "database is locked" not in output, output
    failures = [(path, status) for path, status in answers if status != 200]
    assert failures == [], failures
    assert len(answers) == READERS * READS_EACH

    # The writes really happened while the readers were reading.
    wrote = re.search(r"wrote ([\d.]+) ([\d.]+)", output)
    assert wrote, output
    first_write, last_write = float(wrote.group(1)), float(wrote.group(2))
    assert first_write < reads_ended and last_write > reads_began, (
        f"no overlap: reads {reads_began:.3f}–{reads_ended:.3f}, writes {first_write:.3f}–{last_write:.3f}"
    )

    # The readers' workers see every committed write.
    status, _, body = fetch(server.site_url + "?s=Concurrent+question")
    assert status == 200
    assert f"{WRITES} questions found." in body.decode()
    status, _, body = fetch(server.site_url + "faq/")
    assert f"Concurrent question {WRITES - 1}" in body.decode()

    assert "database is locked" not in server.error_log.read_text(errors="replace")
