"""Answers shaped on their way out, in one middleware whose order is its code
(Cache-Control, then ETag and 304, then compression), and a HEAD answer that keeps
the GET's headers without its body."""

from collections.abc import Iterable, Iterator

from django.http import HttpRequest
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from http_cache import caching

try:  # Brotli is optional: without Google's bindings, gzip alone is offered.
    import brotli
except ImportError:  # pragma: no cover - installed by requirements.txt
    brotli = None


class HeadWithoutBodyMiddleware:
    """A HEAD answer carries the GET answer's headers and no body (RFC 9110); gunicorn
    otherwise logs a warning for every HEAD request. A 304 has neither a body nor the
    length of one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.status_code != 304:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


# Below this a response fits in one packet with its headers anyway (the threshold
# django-compression-middleware uses; Django's own is 200 bytes).
MIN_COMPRESSED_LENGTH = 500
# Text formats only: images, fonts and archives are compressed already.
COMPRESSIBLE_APPLICATION_TYPES = {"application/json", "application/xml", "application/javascript"}
# Quality 5: measured at 1k questions, a question page in 0.4 ms (gzip 0.3) and 10%
# smaller; wp-json's 2.7 MB page of 100 in 51 ms (gzip 99) and 15% smaller. 6 costs
# 2.7x the time for 1% less.
BROTLI_QUALITY = 5


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (gzip with its BREACH length randomisation), plus
    Brotli when the client accepts it, for text responses of 500 bytes or more.

    BREACH needs a secret and reflected input in one compressed body. The public pages
    carry no secret: no CSRF token (their only form, the search, is a GET) and no
    session. What does carry one is never compressed: every path under the admin
    prefix, any response that rendered a CSRF token or sets a cookie (the CSRF and
    session cookies go with the admin's forms), and `Cache-Control: no-transform`.
    """

    def process_response(self, request: HttpRequest, response):
        if not self._may_compress(request, response):
            return response
        coding = accepted_coding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        # An async stream (none here under WSGI) gets Django's gzip, which handles it.
        if coding == "gzip" or (coding == "br" and response.streaming and response.is_async):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if coding == "br":
            return self._brotli(response)
        return response

    @staticmethod
    def _may_compress(request: HttpRequest, response) -> bool:
        if response.has_header("Content-Encoding"):
            return False
        if not response.streaming and len(response.content) < MIN_COMPRESSED_LENGTH:
            return False
        if "no-transform" in response.get("Cache-Control", "").lower():
            return False
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not (
            content_type.startswith("text/")
            or content_type in COMPRESSIBLE_APPLICATION_TYPES
            or content_type.endswith(("+xml", "+json"))
        ):
            return False
        return not caching.carries_secret(request, response)

    @staticmethod
    def _brotli(response):
        if response.streaming:
            response.streaming_content = brotli_sequence(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # as Django's gzip does (RFC 9110 8.8.1)
        response.headers["Content-Encoding"] = "br"
        return response


class ResponseShapingMiddleware:
    """What an answer becomes on its way out, in the one order that works (`shape()`):
    Cache-Control first (no ETag for a no-store answer), then the ETag and 304 from
    the body as the view made it, then compression, last (its ETag made weak; a 304 has
    no body to compress). Above the session, CSRF and authentication middleware, whose
    cookies it must see; below WhiteNoise (its files are compressed already) and the
    page cache (which keeps the answer as shaped)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.cache_control = caching.CacheControlMiddleware(get_response)
        self.conditional_get = caching.ConditionalGetMiddleware(get_response)
        self.compression = CompressionMiddleware(get_response)

    def __call__(self, request: HttpRequest):
        return self.shape(request, self.get_response(request))

    def shape(self, request: HttpRequest, response):
        response = self.cache_control.process_response(request, response)
        response = self.conditional_get.process_response(request, response)
        return self.compression.process_response(request, response)


def accepted_coding(accept_encoding: str) -> str | None:
    """ "br" or "gzip", whichever the client accepts (q above 0) and we prefer, or None
    for identity. Only named codings count; a bare `*` is read as no preference."""
    weights = {}
    for item in accept_encoding[:200].split(","):
        name, _, params = item.partition(";")
        weight = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        weights[name.strip().lower()] = weight
    if brotli is not None and weights.get("br", 0) > 0:
        return "br"
    if weights.get("gzip", 0) > 0:
        return "gzip"
    return None


def brotli_sequence(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Brotli over a streamed body, as Django's compress_sequence() does gzip."""
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        if out := compressor.process(chunk):
            yield out
    yield compressor.finish()
