"""The deployment as shipped in deploy/, run rather than described: Debian's nginx runs
deploy/nginx/certfaq.conf (TLS and all, with a certificate made here) in front of a real
gunicorn configured by deploy/certfaq.env, on loopback ports; systemd-analyze checks the
units. Only the values the files mark for each site (host, ports, folders, certificate)
are replaced, and each replacement must find its value, so the files cannot drift from
what is tested.

Like tests/certfaq/test_serving.py, the site runs on its own SQLite file in a temporary
folder, never the test database.
"""

from __future__ import annotations

import configparser
import contextlib
import gzip
import http.client
import http.cookiejar
import os
import pwd
import re
import secrets
import shutil
import socket
import sqlite3
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import brotli
import pytest
from django.conf import settings

from media import views as media_views
from tests.certfaq.test_serving import (
    FEATURED_SLUG,
    HASHED_CSS,
    MEDIA_ADDRESS,
    PROJECT,
    QUESTION_SLUG,
    REQUEST_TIMEOUT,
    STARTUP_SECONDS,
    Server,
    _stop_with_this_process,
    answers,
    free_port,
    server_env,
    start_gunicorn,
    stop,
)

pytestmark = pytest.mark.serving

DEPLOY = PROJECT / "deploy"
SITE_CONF = DEPLOY / "nginx" / "certfaq.conf"
PROXY_SNIPPET = DEPLOY / "nginx" / "certfaq-proxy.conf"
ENV_FILE = DEPLOY / "certfaq.env"
UNITS = DEPLOY / "systemd"
MANAGE = DEPLOY / "manage"
EDITOR, PASSWORD = "deploy-editor", "a long and unguessable passphrase 42"


# -- The files, with this machine's values ---------------------------------------------


def replaced(text: str, replacements: list[tuple[str, str]], name: str) -> str:
    """`text` with each production value replaced; a value no longer in the file fails
    the test (the file changed: the test must say what to put in its place)."""
    for production, here in replacements:
        assert production in text, f"{production!r} is no longer in {name}: update {Path(__file__).name}"
        text = text.replace(production, here)
    return text


def site_environment(
    folder: Path, *, site_url: str, gunicorn_port: int, static_root: Path, database_url: str = ""
) -> dict[str, str]:
    """deploy/certfaq.env read as systemd reads it (NAME=value lines, # comments), with
    /var/lib/certfaq in `folder`, a fresh SECRET_KEY, the given address and port, and
    mail printed (EMAIL_URL's relay is the example's: nothing may reach it); written to
    `folder`/env for deploy/manage. `database_url`: another database than the SQLite
    file. The data folders are made as README's Operations makes them."""
    sqlite = "DATABASE_URL=sqlite:////var/lib/certfaq/db/certfaq.sqlite3"
    text = replaced(
        ENV_FILE.read_text(),
        [
            (sqlite, f"DATABASE_URL={database_url}" if database_url else sqlite),
            ("SECRET_KEY=replace-with-fifty-random-characters", f"SECRET_KEY={secrets.token_urlsafe(50)}"),
            ("https://certfaq.example.com/resources/", site_url),
            ("ALLOWED_HOSTS=certfaq.example.com", "ALLOWED_HOSTS=localhost,127.0.0.1"),
            ("/var/lib/certfaq", str(folder)),
            ("/srv/certfaq/staticfiles", str(static_root)),
            ("127.0.0.1:8000", f"127.0.0.1:{gunicorn_port}"),
            ("smtp+tls://user:password@smtp.example.com:587", "console://"),
        ],
        ENV_FILE.name,
    )
    (folder / "db").mkdir(mode=0o700, exist_ok=True)
    (folder / "media").mkdir(mode=0o755, exist_ok=True)
    (folder / "env").write_text(text)
    return environment_file_values(text)


def environment_file_values(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        # The file's own rule: systemd and the shell (deploy/manage) must read it alike.
        assert re.fullmatch(r"[^\s'\"$`\\;&|<>()]*", value), f"{name}: {value!r} reads differently in a shell"
        values[name] = value
    return values


def operator_environment(folder: Path, user: str = "") -> dict[str, str]:
    """Where README's Operations commands run: `folder`'s env file for /etc/certfaq/env,
    this process's user for certfaq (deploy/manage checks it), no site variable of this
    process's own (the file sets them)."""
    return {
        **server_env(folder, 0),
        "CERTFAQ_ENV": str(folder / "env"),
        "CERTFAQ_USER": user or pwd.getpwuid(os.geteuid()).pw_name,
    }


def run_deploy_manage(
    folder: Path, *args: str, user: str = "", extra: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(MANAGE), *args],
        env={**operator_environment(folder, user), **(extra or {})},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def deploy_manage(folder: Path, *args: str, extra: dict | None = None) -> str:
    done = run_deploy_manage(folder, *args, extra=extra)
    assert done.returncode == 0, f"deploy/manage {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# -- nginx -----------------------------------------------------------------------------


def nginx_binary() -> str:
    """Debian's nginx, installed when missing (`make test` does it first: system-deps).
    Missing and not installable fails the test: it is never skipped."""
    if found := shutil.which("nginx"):
        return found
    install = subprocess.run(
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx",
        shell=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = shutil.which("nginx")
    assert found, (
        f"nginx is required by the deployment test and could not be installed:\n{install.stderr[-3000:]}"
    )
    return found


def self_signed_certificate(folder: Path) -> Path:
    """fullchain.pem and privkey.pem for localhost, as certfaq.conf expects them."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is required to make the deployment test's certificate"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(folder / "privkey.pem"),
         "-out", str(folder / "fullchain.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return folder


# Debian's /etc/nginx/nginx.conf, with the paths under /var and /run moved into the test's
# folder. Its `gzip on` stays: certfaq.conf must turn it off for what Django answers.
MAIN_CONF = """\
{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_prefer_server_ciphers on;
    access_log {prefix}/access.log;
    gzip on;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include sites-enabled/*;
}}
"""


@dataclass
class Nginx:
    process: subprocess.Popen
    folder: Path
    https_port: int
    http_port: int

    @property
    def access_log(self) -> str:
        return (self.folder / "access.log").read_text(errors="replace")

    @property
    def error_log(self) -> str:
        return (self.folder / "error.log").read_text(errors="replace")


def start_nginx(
    folder: Path, *, https_port: int, http_port: int, gunicorn_port: int, static_root: Path, media_root: Path
) -> Nginx:
    """nginx in the foreground, its configuration the shipped files with this machine's
    values: 127.0.0.1, the given ports, the test's folders and certificate."""
    binary = nginx_binary()
    folder.mkdir()
    certificates = self_signed_certificate(folder)
    site = replaced(
        SITE_CONF.read_text(),
        [
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen [::]:80;", ""),  # loopback, one address family
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("certfaq.example.com", "localhost"),
            ("/etc/ssl/certfaq/", f"{certificates}/"),
            ("127.0.0.1:8000", f"127.0.0.1:{gunicorn_port}"),
            ("/srv/certfaq/staticfiles/", f"{static_root}/"),
            ("/var/lib/certfaq/media/", f"{media_root}/"),
        ],
        SITE_CONF.name,
    )
    for subfolder in ("sites-enabled", "snippets"):
        (folder / subfolder).mkdir()
    (folder / "sites-enabled" / "certfaq").write_text(site)
    shutil.copy(PROXY_SNIPPET, folder / "snippets" / PROXY_SNIPPET.name)
    # As root the workers would become `nobody`, who cannot read pytest's private folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN_CONF.format(user=user, prefix=folder))
    command = [binary, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    tested = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert tested.returncode == 0, f"nginx -t refused the configuration:\n{tested.stderr}"
    with (folder / "nginx.out").open("wb") as output:
        process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_stop_with_this_process,
        )
    running = Nginx(process=process, folder=folder, https_port=https_port, http_port=http_port)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not listening(http_port) or not listening(https_port):
        assert process.poll() is None, f"nginx exited with {process.returncode}:\n{running.error_log}"
        assert time.monotonic() < deadline, f"nginx did not listen within {STARTUP_SECONDS} s"
        time.sleep(0.05)
    return running


def listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


# -- A visitor over https, cookies kept, redirects not followed -------------------------


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Visitor:
    """A browser's part that matters here: https to nginx trusting the test's
    certificate, a cookie jar that honours Secure and Path, no redirect followed."""

    def __init__(self, origin: str, certificate: Path):
        self.origin = origin
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context(cafile=str(certificate))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context),
            urllib.request.HTTPCookieProcessor(self.cookies),
            NoRedirects(),
        )

    def get(self, path: str, headers: dict | None = None) -> Answer:
        return self.send(urllib.request.Request(self.origin + path, headers=headers or {}))

    def post(self, path: str, fields: dict, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(fields).encode()
        return self.send(urllib.request.Request(self.origin + path, data=body, headers=headers or {}))

    def send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            with error:
                return Answer(error.code, error.headers, error.read())

    def cookie(self, name: str) -> http.cookiejar.Cookie:
        found = [cookie for cookie in self.cookies if cookie.name == name]
        assert found, f"no {name} cookie: {[cookie.name for cookie in self.cookies]}"
        return found[0]


# -- The deployment ----------------------------------------------------------------------


@dataclass
class Deployment:
    gunicorn: Server
    nginx: Nginx
    origin: str  # https://localhost:<port>
    plain_origin: str  # http://localhost:<port>
    certificate: Path
    static_root: Path
    media_root: Path
    ready_message: bytes  # what gunicorn told NOTIFY_SOCKET (systemd's Type=notify)

    def visitor(self) -> Visitor:
        return Visitor(self.origin, self.certificate)

    def gunicorn_log(self) -> str:
        return self.gunicorn.access_log.read_text(errors="replace")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, collected_static):
    folder = tmp_path_factory.mktemp("deploy")
    gunicorn_port, https_port, http_port = free_port(), free_port(), free_port()
    site_url = f"https://localhost:{https_port}/resources/"
    env = {
        **server_env(folder, gunicorn_port),
        **site_environment(
            folder, site_url=site_url, gunicorn_port=gunicorn_port, static_root=collected_static
        ),
    }
    deploy_manage(folder, "migrate", "--noinput")
    assert "Loaded" in deploy_manage(folder, "load_demo")
    editor = ["--username", EDITOR, "--email", "editor@example.com"]
    deploy_manage(
        folder, "createsuperuser", "--noinput", *editor, extra={"DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    )

    # gunicorn tells systemd it is ready on NOTIFY_SOCKET: what Type=notify waits for.
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(folder / "notify"))
    notify.settimeout(STARTUP_SECONDS)
    gunicorn = start_gunicorn({**env, "NOTIFY_SOCKET": str(folder / "notify")}, gunicorn_port, folder)
    nginx = None
    try:
        wait_for_health(gunicorn)
        ready_message = notify.recv(4096)
        nginx = start_nginx(
            folder / "nginx",
            https_port=https_port,
            http_port=http_port,
            gunicorn_port=gunicorn_port,
            static_root=collected_static,
            media_root=folder / "media",
        )
        yield Deployment(
            gunicorn=gunicorn,
            nginx=nginx,
            origin=f"https://localhost:{https_port}",
            plain_origin=f"http://localhost:{http_port}",
            certificate=folder / "nginx" / "fullchain.pem",
            static_root=collected_static,
            media_root=folder / "media",
            ready_message=ready_message,
        )
    finally:
        notify.close()
        if nginx is not None:
            stop(nginx.process)
        stop(gunicorn.process)
    errors = gunicorn.error_log.read_text(errors="replace")
    assert "Traceback" not in errors, errors[-4000:]
    if nginx is not None:
        assert not re.search(r"\[(emerg|alert|crit)\]", nginx.error_log), nginx.error_log[-4000:]


def wait_for_health(server: Server) -> None:
    """gunicorn answers its health check (over http: the https redirect spares it)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while not answers(f"{server.url}/resources/health/"):
        assert server.process.poll() is None, server.error_log.read_text(errors="replace")[-4000:]
        assert time.monotonic() < deadline, server.error_log.read_text(errors="replace")[-4000:]
        time.sleep(0.1)


def plain_http(deployment: Deployment, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """A GET to nginx's port 80 server, for the site's host; no redirect followed."""
    connection = http.client.HTTPConnection("127.0.0.1", deployment.nginx.http_port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def straight_to_gunicorn(deployment: Deployment, path: str) -> tuple[int, http.client.HTTPMessage]:
    """A GET that bypasses nginx, so carries no X-Forwarded-Proto."""
    connection = http.client.HTTPConnection("127.0.0.1", int(deployment.gunicorn.url.rsplit(":", 1)[1]))
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


def sign_in(deployment: Deployment, visitor: Visitor) -> Answer:
    """The admin's sign-in form, filled in and posted as a browser does over https."""
    login = "/resources/admin/login/?next=/resources/admin/"
    form = visitor.get(login)
    assert form.status == 200, form.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    fields = {
        "csrfmiddlewaretoken": token,
        "username": EDITOR,
        "password": PASSWORD,
        "next": "/resources/admin/",
    }
    return visitor.post(login, fields, {"Referer": deployment.origin + login, "Origin": deployment.origin})


def test_pages_come_through_nginx_over_https_with_the_sites_headers(deployment):
    """Django sees https (X-Forwarded-Proto): HSTS on the answer, while gunicorn asked
    directly sends the reader to https. The page cache's header and the policies pass."""
    visitor = deployment.visitor()
    page = "/resources/faq-categories/cma-exam/"
    first = visitor.get(page)
    assert first.status == 200, first.text[:500]
    assert first.headers["Server"] == "nginx"  # server_tokens off: no version
    assert f'<link rel="canonical" href="{deployment.origin}{page}" />' in first.text
    assert first.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in first.headers["Content-Security-Policy"]
    assert "camera=()" in first.headers["Permissions-Policy"]
    assert first.headers["X-Page-Cache"] == "miss"

    again = visitor.get(page)
    assert again.headers["X-Page-Cache"] == "hit" and again.body == first.body
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]

    status, headers = straight_to_gunicorn(deployment, page)
    assert status == 301 and headers["Location"] == f"https://localhost{page}"


def test_plain_http_moves_to_https_but_the_health_check_answers(deployment):
    status, headers, _ = plain_http(deployment, "/resources/faq/?page=2")
    assert status == 301 and headers["Location"] == "https://localhost/resources/faq/?page=2"

    status, headers, body = plain_http(deployment, "/resources/health/")
    assert status == 200 and body == b'{"status": "ok", "database": "ok"}'
    assert "no-store" in headers["Cache-Control"]
    assert deployment.visitor().get("/resources/health/").status == 200


def test_nginx_serves_static_files_itself_compressed_and_kept_a_year(deployment):
    visitor = deployment.visitor()
    css_path = HASHED_CSS.search(visitor.get("/resources/").text).group(1)
    on_disk = (deployment.static_root / css_path.removeprefix("/resources/static/")).read_bytes()

    compressed = visitor.get(css_path, {"Accept-Encoding": "gzip"})
    assert compressed.status == 200 and compressed.headers["Content-Encoding"] == "gzip"  # the .gz copy
    assert gzip.decompress(compressed.body) == on_disk
    assert compressed.headers["Content-Type"] == "text/css"
    assert compressed.headers["Cache-Control"] == "public, max-age=315360000, immutable"
    assert compressed.headers["Access-Control-Allow-Origin"] == "*"
    assert compressed.headers["X-Content-Type-Options"] == "nosniff"

    plain = visitor.get(css_path)
    assert plain.headers["Content-Encoding"] is None and plain.body == on_disk
    assert visitor.get(css_path, {"If-None-Match": plain.headers["ETag"]}).status == 304

    unhashed = visitor.get("/resources/static/css/site.css")  # the 500 page's stylesheet
    assert unhashed.status == 200 and unhashed.headers["Cache-Control"] == "public, max-age=60"

    assert "/resources/static/" not in deployment.gunicorn_log()  # gunicorn never saw them


def test_nginx_serves_the_library_files_from_media_root_as_the_site_would(deployment):
    """Each picture of the demo's image page, with the type, caching and nosniff
    media/views.py gives it; nothing else under media/, whatever lies in the folder."""
    visitor = deployment.visitor()
    page = visitor.get(f"/resources/faq/{FEATURED_SLUG}/")
    addresses = sorted(set(MEDIA_ADDRESS.findall(page.text)))
    assert len(addresses) >= 3 * 4, addresses
    for address in addresses:
        answer = visitor.get(address)
        assert answer.status == 200, address
        assert answer.headers["Content-Type"] == media_views.CONTENT_TYPES[address.rsplit(".", 1)[1]], address
        assert answer.headers["Cache-Control"] == media_views.CACHE_CONTROL, address
        assert answer.headers["X-Content-Type-Options"] == "nosniff", address
        assert answer.body == (deployment.media_root / address.removeprefix("/resources/media/")).read_bytes()

    # The rule is media/views.py's, written in nginx's words: the same names and types.
    conf = SITE_CONF.read_text()
    served = re.search(r'location ~ "\^/resources/media/\((.+)\)\$"', conf).group(1)
    assert served.replace("(?:jpg|", "(jpg|") == media_views.NAME.pattern
    types = dict((extension, kind) for kind, extension in re.findall(r"(image/\w+) (\w+);", conf))
    assert types == media_views.CONTENT_TYPES

    (deployment.media_root / "images" / "planted.html").write_text("<script>alert(1)</script>")
    assert visitor.get("/resources/media/images/planted.html").status == 404
    assert visitor.get("/resources/media/images/no-such-picture.png").status == 404
    assert "/resources/media/" not in deployment.gunicorn_log()


def test_django_compresses_pages_once_and_nginx_leaves_the_admin_plain(deployment):
    """Debian's `gzip on` is in the test's nginx.conf: certfaq.conf's `gzip off` is what
    keeps Django's answers as they were made, and the admin uncompressed (BREACH)."""
    visitor = deployment.visitor()
    page = f"/resources/faq/{QUESTION_SLUG}/"
    plain = visitor.get(page)
    assert plain.headers["Content-Encoding"] is None and plain.text.startswith("<!DOCTYPE html>")

    gzipped = visitor.get(page, {"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in gzipped.headers["Vary"]
    assert gzip.decompress(gzipped.body) == plain.body  # one layer, not two
    brotlied = visitor.get(page, {"Accept-Encoding": "gzip, br"})
    assert brotlied.headers["Content-Encoding"] == "br"
    assert brotli.decompress(brotlied.body) == plain.body

    login = visitor.get("/resources/admin/login/", {"Accept-Encoding": "gzip"})
    assert login.status == 200 and b"csrfmiddlewaretoken" in login.body
    assert login.headers["Content-Encoding"] is None


def test_a_page_answers_304_to_its_etag_through_nginx(deployment):
    visitor = deployment.visitor()
    page = f"/resources/faq/{QUESTION_SLUG}/"
    first = visitor.get(page, {"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert first.status == 200 and etag
    again = visitor.get(page, {"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status == 304 and again.body == b""


def test_an_editor_signs_in_over_https_through_nginx(deployment):
    """Secure cookies under the site's path, and the CSRF check of an https origin,
    which works only because nginx says X-Forwarded-Proto: https."""
    visitor = deployment.visitor()
    signed_in = sign_in(deployment, visitor)
    assert signed_in.status == 302 and signed_in.headers["Location"] == "/resources/admin/", signed_in.text[
        :500
    ]
    for name in ("certfaq_csrftoken", "certfaq_session"):
        cookie = visitor.cookie(name)
        assert cookie.secure and cookie.path == "/resources/", name
    index = visitor.get("/resources/admin/")
    assert index.status == 200 and EDITOR in index.text

    # The same form posted from a plain http origin is refused: the check is https's.
    stranger = deployment.visitor()
    login = "/resources/admin/login/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', stranger.get(login).text).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": EDITOR, "password": PASSWORD}
    plain_origin = deployment.origin.replace("https://", "http://")
    refused = stranger.post(login, fields, {"Referer": plain_origin + login, "Origin": plain_origin})
    assert refused.status == 403


def test_a_visitors_own_forwarded_for_header_does_not_choose_their_address(deployment):
    """nginx appends the address it saw and TRUSTED_PROXY_COUNT=1 reads that one, so a
    sign-in failure is counted under the visitor's real address, not the one they wrote."""
    visitor = deployment.visitor()
    login = "/resources/admin/login/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', visitor.get(login).text).group(1)
    fields = {"csrfmiddlewaretoken": token, "username": "someone-guessing", "password": "wrong"}
    headers = {
        "Referer": deployment.origin + login,
        "Origin": deployment.origin,
        "X-Forwarded-For": "198.51.100.7",
    }
    assert visitor.post(login, fields, headers).status == 200  # the form again, with its error

    database = deployment.media_root.parent / "db" / "certfaq.sqlite3"
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        counted = connection.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = ?", ["someone-guessing"]
        ).fetchall()
    assert counted == [("127.0.0.1",)]


MB = 1024 * 1024
UPLOAD_PAGE = "/resources/admin/media/image/add/"


def declared_post(deployment: Deployment, path: str, length: int) -> tuple[int, bytes]:
    """A POST whose headers declare `length` bytes: nginx judges the size on them."""
    context = ssl.create_default_context(cafile=str(deployment.certificate))
    connection = http.client.HTTPSConnection(
        "localhost", deployment.nginx.https_port, context=context, timeout=REQUEST_TIMEOUT
    )
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_nginx_refuses_bodies_over_the_upload_limits_with_413_before_gunicorn(deployment):
    """One file at MEDIA_MAX_UPLOAD_MB and its form anywhere; ten on the upload page,
    which posts several at once. Anything larger is nginx's 413; two files at the limit
    reach the upload page, which judges them (here: not images)."""
    limit = settings.MEDIA_MAX_UPLOAD_MB
    conf = SITE_CONF.read_text()
    sizes = re.findall(r"^\s*client_max_body_size (\d+)m;", conf, re.MULTILINE)
    assert sizes == [str(limit + 1), str(10 * limit + 1)], sizes

    status, body = declared_post(deployment, "/resources/admin/media/image/picker/", (limit + 1) * MB + 1)
    assert status == 413 and b"413 Request Entity Too Large" in body
    status, body = declared_post(deployment, UPLOAD_PAGE, (10 * limit + 1) * MB + 1)
    assert status == 413 and b"413 Request Entity Too Large" in body

    visitor = deployment.visitor()
    assert sign_in(deployment, visitor).status == 302
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', visitor.get(UPLOAD_PAGE).text).group(1)
    body, content_type = multipart(
        {"csrfmiddlewaretoken": token},
        [("first.png", os.urandom(limit * MB)), ("second.png", os.urandom(limit * MB))],
    )
    request = urllib.request.Request(
        deployment.origin + UPLOAD_PAGE,
        data=body,
        headers={
            "Content-Type": content_type,
            "Referer": deployment.origin + UPLOAD_PAGE,
            "Origin": deployment.origin,
        },
    )
    judged = visitor.send(request)
    assert judged.status == 400, judged.text[:1000]
    assert "<strong>first.png</strong>" in judged.text and "<strong>second.png</strong>" in judged.text

    log = deployment.gunicorn.wait_for_log(f"POST {UPLOAD_PAGE}")
    assert log.count(f"POST {UPLOAD_PAGE}") == 1, log[-2000:]  # the refused ones never reached it
    assert "POST /resources/admin/media/image/picker/" not in log


def test_gunicorn_tells_systemd_it_is_ready(deployment):
    """certfaq.service is Type=notify: systemd waits for this message on NOTIFY_SOCKET."""
    assert deployment.ready_message.startswith(b"READY=1")


# -- systemd ---------------------------------------------------------------------------


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((UNITS / name).read_text())
    return parser


def under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def test_the_units_hold_what_the_site_needs_and_pass_systemd_analyze_where_installed(tmp_path):
    """The keys are checked here on every machine: gunicorn as `make run` starts it,
    the env file, a non-root user, restarts, every folder the env file writes to
    writable, each timer naming a manage.py command that exists. Where systemd-analyze
    is installed (Debian's systemd), it also verifies each unit, rates the hardening
    and reads each timer's calendar; where it is not, those three are not run."""
    from django.core.management import get_commands

    site = unit("certfaq.service")["Service"]
    job = unit("certfaq-manage@.service")["Service"]
    assert site["ExecStart"] == "/srv/certfaq/.venv/bin/gunicorn --config gunicorn.conf.py certfaq.wsgi"
    assert job["ExecStart"] == "/srv/certfaq/.venv/bin/python manage.py %i"
    assert site["Type"] == "notify" and site["Restart"] == "on-failure"
    for service in (site, job):
        assert service["User"] == service["Group"] == "certfaq"
        assert service["EnvironmentFile"] == "/etc/certfaq/env"
        assert service["WorkingDirectory"] == "/srv/certfaq"
        assert service["ProtectSystem"] == "strict" and service["NoNewPrivileges"] == "yes"
    hardening = {
        key: value for key, value in site.items() if key.startswith(("Protect", "Restrict", "Private"))
    }
    assert hardening and all(job[key] == value for key, value in hardening.items())

    env = environment_file_values(ENV_FILE.read_text())
    written = [
        env["DATABASE_URL"].removeprefix("sqlite:///"),
        env["MEDIA_ROOT"],
        env["CACHE_URL"].removeprefix("disk://"),
        env["PAGE_CACHE_STAMP_FILE"],
    ]
    writable = site["ReadWritePaths"].split()
    assert writable == job["ReadWritePaths"].split()
    for path in written:
        assert any(under(path, folder) for folder in writable), f"{path} is read-only for the service"

    timers = sorted(UNITS.glob("*.timer"))
    assert {timer.name for timer in timers} >= {
        "certfaq-review-digest.timer",
        "certfaq-clearsessions.timer",
        "certfaq-send-indexnow.timer",
        "certfaq-purge-cdn.timer",
    }
    instances = []
    for timer in timers:
        named = unit(timer.name)["Timer"]["Unit"]
        command = re.fullmatch(r"certfaq-manage@(\w+)\.service", named)
        assert command and command.group(1) in get_commands(), named
        instances.append(named)

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # the keys above are all this machine can check
    for path in UNITS.iterdir():  # the units with this checkout standing for /srv/certfaq
        (tmp_path / path.name).write_text(path.read_text().replace("/srv/certfaq", str(PROJECT)))
    for name in ["certfaq.service", *instances, *(timer.name for timer in timers)]:
        done = subprocess.run([analyze, "verify", name], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0 and not done.stdout + done.stderr, f"{name}:\n{done.stdout}{done.stderr}"
    for name in ("certfaq.service", "certfaq-manage@.service"):
        rated = subprocess.run(
            [analyze, "security", "--offline=yes", "--threshold=20", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert rated.returncode == 0, f"{name} is exposed more than 2.0:\n{rated.stdout[-3000:]}"
    for timer in timers:
        calendar = unit(timer.name)["Timer"]["OnCalendar"]
        assert subprocess.run([analyze, "calendar", calendar], capture_output=True).returncode == 0, calendar


def test_the_env_file_passes_check_deploy_through_deploy_manage(tmp_path):
    """deploy/certfaq.env, a key filled in, is a site `check --deploy` finds nothing
    wrong with; deploy/manage runs as the service's user only."""
    site_environment(
        tmp_path, site_url="https://certfaq.example.com/resources/", gunicorn_port=8000, static_root=tmp_path
    )
    checked = deploy_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in checked

    refused = run_deploy_manage(tmp_path, "check", user="certfaq-someone-else")
    assert refused.returncode == 1
    assert "run it as certfaq-someone-else" in refused.stderr
