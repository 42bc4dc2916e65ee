"""A WordPress site's REST API over HTTP, for `import_wordpress URL` (wordpress.pull).

The API is found as WordPress's own clients find it: from the `Link: <…>;
rel="https://api.w.org/"` header every WordPress page sends, or from a wp-json/ or
`?rest_route=` address given directly. It is read with the standard library: a
timeout on every request, answers of bounded size, gzip, Basic auth with an
application password (never carried to a redirect's address), and retries with
exponential backoff and jitter for what passes: 5xx, 429 (its Retry-After honoured),
timeouts, dropped connections and a page that is not JSON. Anything else (a 401, a
404, a site that is not WordPress) stops with a sentence saying what to do.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import random
import re
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from faqs.identifiers import is_id

API_REL = "https://api.w.org/"  # the link relation WordPress announces its REST API with
USER_AGENT = "certfaq import_wordpress (+https://developer.wordpress.org/rest-api/)"
LARGEST_ANSWER = 256 * 1024 * 1024  # a page of 100 questions with their embeds is a few MB
LOOPBACK_NAMES = {"localhost"}
T = TypeVar("T")


class PullError(Exception):
    """Why the pull cannot go on, in words for the person running it."""


class TooLarge(PullError):
    """An answer over the size the caller takes."""


class Passing(Exception):
    """A failure worth trying again: a 5xx, a 429, a timeout, a dropped connection."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Retries:
    """How often and how patiently a request is tried again."""

    tries: int = 5
    first_wait: float = 0.5  # seconds; doubled on each retry
    longest_wait: float = 30.0
    longest_retry_after: float = 300.0  # a Retry-After beyond this is cut to it

    def wait(self, attempt: int, retry_after: float | None) -> float:
        """The server's Retry-After when it gave one; else exponential backoff with
        "equal jitter" (half the step fixed, half random), so clients that failed
        together do not come back together."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.longest_retry_after)
        step = min(self.longest_wait, self.first_wait * 2 ** (attempt - 1))
        return step / 2 + random.uniform(0, step / 2)


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes
    url: str

    def header(self, name: str) -> str:
        return self.headers.get(name, "") if self.headers else ""


class Client:
    """GET with a timeout, a bounded body and retries; Basic auth when signed in."""

    def __init__(
        self,
        *,
        credentials: tuple[str, str] | None = None,
        timeout: float = 30.0,
        retries: Retries | None = None,
        on_retry: Callable[[str], None] = lambda message: None,
    ):
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries or Retries()
        self.on_retry = on_retry

    def fetch(self, url: str, accept: Callable[[Answer], T], *, limit: int = LARGEST_ANSWER) -> T:
        """`accept(answer)` of the first answer it takes; a Passing failure, from the
        network or from `accept`, is tried again until the tries are spent."""
        for attempt in range(1, self.retries.tries + 1):
            try:
                return accept(self.get(url, limit=limit))
            except Passing as failure:
                if attempt == self.retries.tries:
                    raise PullError(
                        f"{url}: {failure.reason}; gave up after {self.retries.tries} tries. "
                        "Run the same command again to resume."
                    ) from None
                wait = self.retries.wait(attempt, failure.retry_after)
                self.on_retry(f"{failure.reason}: trying again in {wait:.1f} s ({url})")
                time.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises

    def get(self, url: str, *, limit: int) -> Answer:
        """One request; any HTTP status is an Answer, a network failure is Passing."""
        request = Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        if self.credentials:
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            # Unredirected: a redirect to another address does not receive the password.
            request.add_unredirected_header("Authorization", f"Basic {token}")
        try:
            with urlopen(request, timeout=self.timeout) as response:
                return Answer(response.status, response.headers, _body(response, limit), response.url)
        except HTTPError as error:
            with error:
                return Answer(error.code, error.headers, _body(error, limit), url)
        except URLError as error:
            if isinstance(error.reason, ssl.SSLError):
                raise PullError(f"{url}: its certificate or TLS was refused: {error.reason}") from None
            raise Passing(f"cannot reach the site ({error.reason})") from None
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as error:
            raise Passing(f"no complete answer ({type(error).__name__}: {error or 'timed out'})") from None


def _body(response, limit: int) -> bytes:
    """The body, gunzipped, refused past `limit` bytes either way (a broken or hostile
    server); a gzip stream cut short is a passing failure."""
    raw = response.read(limit + 1)
    too_large = TooLarge(f"{response.url}: an answer over {limit / (1024 * 1024):g} MB; not read")
    if len(raw) > limit:
        raise too_large
    if response.headers.get("Content-Encoding", "").lower() != "gzip":
        return raw
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        body = inflater.decompress(raw, limit + 1)
    except zlib.error as error:
        raise Passing(f"a gzip answer that does not decompress ({error})") from None
    if len(body) > limit or inflater.unconsumed_tail:
        raise too_large
    if not inflater.eof:
        raise Passing("a gzip answer cut short")
    return body


# --- the REST API


@dataclass(frozen=True)
class Page:
    """One page of a collection: its items (objects with ids) and the site's count."""

    items: list[dict]
    total: int | None


@dataclass
class RestApi:
    """The API at `root`: https://example.org/wp-json/ or https://example.org/?rest_route=/."""

    root: str
    client: Client
    routes: frozenset[str] = frozenset()

    def url(self, route: str, params: dict | None = None) -> str:
        query = urlencode(params or {}, safe=",")
        parts = urlsplit(self.root)
        if not _is_rest_route(parts):
            return urljoin(self.root, route) + (f"?{query}" if query else "")
        others = [(k, v) for k, v in parse_qsl(parts.query) if k != "rest_route"]
        rest_route = "rest_route=" + quote("/" + route, safe="/")
        return urlunsplit(
            parts._replace(query="&".join(filter(None, [urlencode(others), rest_route, query])))
        )

    def has(self, route: str) -> bool:
        return f"/{route}" in self.routes

    def json(self, route: str, params: dict | None = None, *, expect: type = list) -> tuple[Any, Answer]:
        url = self.url(route, params)
        signed_in = bool(self.client.credentials)
        return self.client.fetch(url, lambda answer: (_json_of(answer, expect, signed_in), answer))

    def page(self, route: str, params: dict) -> Page:
        """A page of a collection: a list of objects each with an id, or Passing."""
        items, answer = self.json(route, params, expect=list)
        if not all(isinstance(item, dict) and is_id(item.get("id")) for item in items):
            raise PullError(f"{answer.url}: an item without a whole-number id; not a WordPress collection")
        total = answer.header("X-WP-Total")
        return Page(items, int(total) if total.isdigit() else None)


def _json_of(answer: Answer, expect: type, signed_in: bool) -> Any:
    """The answer's JSON when it is a 200 of the expected shape; Passing for what a
    retry may mend (5xx, 429, a body cut or garbled on the way); PullError otherwise."""
    if answer.status == 429 or answer.status >= 500:
        raise Passing(f"HTTP {answer.status}{_wordpress_error(answer)}", _retry_after(answer))
    if answer.status != 200:
        raise PullError(_refusal(answer, signed_in))
    try:
        value = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Passing(f"a malformed page: not JSON ({error})") from None
    if not isinstance(value, expect):
        raise Passing(f"a malformed page: a JSON {type(value).__name__}, not a {expect.__name__}")
    return value


def _refusal(answer: Answer, signed_in: bool) -> str:
    said = _wordpress_error(answer)
    if answer.status == 401 and not signed_in:
        return (
            f"{answer.url}: the site's API needs a sign-in (HTTP 401{said}): give --user and the "
            "user's application password in WORDPRESS_APP_PASSWORD."
        )
    if answer.status == 401:
        return (
            f"{answer.url}: the site refused the sign-in (HTTP 401{said}). Check --user and "
            "WORDPRESS_APP_PASSWORD: an application password made on the user's profile page, "
            "not the login password."
        )
    if answer.status == 403:
        return f"{answer.url}: not allowed (HTTP 403{said}); a user who may edit questions is needed."
    if answer.status == 404:
        return f"{answer.url}: no such address (HTTP 404{said})."
    return f"{answer.url}: HTTP {answer.status}{said}."


def _wordpress_error(answer: Answer) -> str:
    """WordPress's error object, `{"code": …, "message": …}`, as ": code: message"."""
    try:
        error = json.loads(answer.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        return ""
    return f": {error.get('code', '')}: {error['message'][:300]}"


def _retry_after(answer: Answer) -> float | None:
    """Retry-After in seconds, or as an HTTP date (RFC 9110); None when absent or unreadable."""
    value = answer.header("Retry-After").strip()
    if value.isdigit():
        return float(value)
    try:
        return (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds() if value else None
    except (TypeError, ValueError):
        return None


# --- discovery


def discover(address: str, client: Client) -> RestApi:
    """The REST API of the site at `address` (its home, or its API root), checked to be
    WordPress's with the faq post type."""
    parts = web_address(address)
    root = address if _is_api_root(parts) else _announced_root(address, client)
    root = _normalised_root(root)
    if client.credentials and not _may_send_password(root):
        raise PullError(
            f"{root}: the application password would cross the network unencrypted; "
            "give the site's https:// address (WordPress itself refuses application passwords over http)."
        )
    api = RestApi(root, client)
    index, _ = api.json("", expect=dict)
    if "wp/v2" not in (index.get("namespaces") or []):
        raise PullError(f"{root} answers JSON, but not WordPress's REST API (no wp/v2 among its namespaces).")
    api.routes = frozenset(index.get("routes") or {})
    return api


def web_address(address: str):
    """The parts of an http(s) address with a host; PullError for anything else."""
    try:
        parts = urlsplit(address)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number, a bracket left open
        valid = False
    if valid and (parts.username or parts.password):
        raise PullError(  # the address is not repeated: it holds a password
            "The address holds a user name or password: give the user with --user and the "
            "application password in WORDPRESS_APP_PASSWORD."
        )
    if not valid:
        raise PullError(
            f"{address!r} is not a web address to pull from: give the site's address, "
            "e.g. https://example.org/resources/, or its wp-json/ address."
        )
    return parts


def _is_rest_route(parts) -> bool:
    return any(key == "rest_route" for key, _ in parse_qsl(parts.query))


def _is_api_root(parts) -> bool:
    return _is_rest_route(parts) or "/wp-json" in parts.path


def _normalised_root(root: str) -> str:
    """…/wp-json/ (whatever followed it dropped), or the ?rest_route=/ form."""
    parts = urlsplit(root)
    if _is_rest_route(parts):
        others = [(k, v) for k, v in parse_qsl(parts.query) if k != "rest_route"]
        query = "&".join(filter(None, [urlencode(others), "rest_route=/"]))
        return urlunsplit(parts._replace(query=query, fragment=""))
    path = parts.path[: parts.path.index("/wp-json") + len("/wp-json")] + "/"
    return urlunsplit(parts._replace(path=path, query="", fragment=""))


def _announced_root(address: str, client: Client) -> str:
    """The API root the page at `address` announces in its Link header."""

    def announced(answer: Answer) -> str:
        if answer.status == 429 or answer.status >= 500:
            raise Passing(f"HTTP {answer.status}", _retry_after(answer))
        root = api_link(answer.headers.get_all("Link") or [], answer.url)
        if root:
            return root
        if answer.status != 200:
            raise PullError(f"{address}: HTTP {answer.status}; is this the site's address?")
        raise PullError(
            f"{address} announces no WordPress REST API (no Link header with "
            f'rel="{API_REL}"): it is not a WordPress site, or not its address. '
            "If its API is elsewhere, give the wp-json/ address itself."
        )

    return client.fetch(address, announced, limit=8 * 1024 * 1024)


LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def api_link(values: list[str], base: str) -> str | None:
    """The target of the first link with rel="https://api.w.org/" among Link header
    values (RFC 8288: several links a header, several relations a rel)."""
    for value in values:
        for target, params in LINK.findall(value):
            for quoted, bare in REL.findall(params):
                if API_REL in (quoted or bare).split():
                    return urljoin(base, target.strip())
    return None


def _may_send_password(root: str) -> bool:
    parts = urlsplit(root)
    if parts.scheme == "https" or parts.hostname in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
