"""Request handling every page shares: input no page can use is stopped before it
reaches a database, every answer gets the browser's policies, and the message store
is opened only by a request that uses it."""

from dataclasses import asdict
from functools import cache

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, QueryDict
from django.middleware import common
from django.utils.functional import SimpleLazyObject, empty
from django_permissions_policy import PermissionsPolicyMiddleware


class CommonMiddleware(common.CommonMiddleware):
    """Django's rules for a request's address (a trailing slash, disallowed user
    agents), plus one of ours: PostgreSQL refuses text holding NUL (0x00), so a URL
    like /faq/%00/ or ?s=%00 would turn into a 500. No real link holds one: the path
    answers 404 and NULs are dropped from query values."""

    def process_request(self, request: HttpRequest):
        if "\x00" in request.path:
            raise Http404("No page has a NUL byte in its address")
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = self._without_nul(request.GET)
        return super().process_request(request)

    @staticmethod
    def _without_nul(query: QueryDict) -> QueryDict:
        cleaned = QueryDict(mutable=True)
        for key, values in query.lists():
            cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
        cleaned._mutable = False
        return cleaned


# What a view's django-csp decorator (@csp_update, @csp_exempt, ...) marks a response with.
OWN_POLICY_MARKS = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's, with the site's policy (CONTENT_SECURITY_POLICY, and its report-only
    twin) built once a process: a response that used no nonce and that no view decorated
    gets the same header every time, and django-csp builds it anew for each (30-40 µs:
    `dataclasses.asdict` deep-copies the policy parts, then every directive is joined).
    A nonce or a decorated view still builds its own, by django-csp's own code."""

    def process_response(self, request: HttpRequest, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, mark) for mark in OWN_POLICY_MARKS
        ):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for header, policy, excluded_prefixes in site_policies():
            if policy and header not in response and not request.path_info.startswith(excluded_prefixes):
                response[header] = policy
        # As django-csp does: a nonce asked for once the header is written raises.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@cache
def site_policies() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, value, excluded path prefixes) of the policy and the report-only policy,
    as django-csp builds them for a response with no nonce and no decorator."""
    plain = asdict(csp_middleware.PolicyParts())
    return tuple(
        (header, build_policy(**plain, report_only=report_only), _excluded_prefixes(setting))
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        )
    )


def _excluded_prefixes(setting: str) -> tuple[str, ...]:
    policy = getattr(settings, setting, None) or {}
    return tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())


@receiver(setting_changed)
def _forget_site_policies(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policies.cache_clear()


class BrowserPolicyMiddleware:
    """The policies a browser enforces on every response, static files included:
    Permissions-Policy (django-permissions-policy) and Content-Security-Policy
    (django-csp, which also gives the request its nonce), as one step."""

    def __init__(self, get_response):
        self.respond = PermissionsPolicyMiddleware(CSPMiddleware(get_response))

    def __call__(self, request: HttpRequest):
        return self.respond(request)


class MessageMiddleware(messages_middleware.MessageMiddleware):
    """Django's, with the message store opened on first use: the public pages neither
    add nor show messages, and opening it (a cookie store with its signer, and the
    session's) cost every request about 10 µs. The admin's pages, which do, open it
    as before, and their messages are stored on the way out as before."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response):
        store = getattr(request, "_messages", None)
        if isinstance(store, SimpleLazyObject) and store._wrapped is empty:
            return response  # never opened: nothing added, nothing read
        return super().process_response(request, response)
