"""What every request pays in faqs.middleware: the site's Content-Security-Policy is
built once a process (a nonce or a view's own policy still gets django-csp's build),
and the message store is opened only by a request that uses it."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from csp import middleware as csp_middleware
from csp.constants import HEADER
from csp.decorators import csp_update
from csp.utils import build_policy
from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from faqs import middleware
from tests.factories import make_category

pytestmark = pytest.mark.django_db


def site_policy() -> str:
    """The header django-csp itself builds for a response with no nonce and no decorator."""
    return build_policy(**asdict(csp_middleware.PolicyParts()))


@pytest.fixture
def policy_builds(monkeypatch) -> list:
    """Every policy built from here on, by django-csp or by faqs.middleware."""
    built = []

    def counting(*args, **kwargs):
        built.append(kwargs)
        return build_policy(*args, **kwargs)

    monkeypatch.setattr(csp_middleware, "build_policy", counting)
    monkeypatch.setattr(middleware, "build_policy", counting)
    return built


def test_the_site_policy_is_built_once_and_sent_as_django_csp_builds_it(settings, policy_builds):
    settings.PAGE_CACHE = False
    Client().get("/resources/")  # builds it, unless an earlier test did
    policy_builds.clear()
    for _ in range(3):
        response = Client().get("/resources/faq/")
        assert response[HEADER] == site_policy()
    assert policy_builds == []


def test_a_policy_follows_its_setting(settings):
    settings.PAGE_CACHE = False
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'", "data:"]}
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "DIRECTIVES": directives}
    assert "img-src 'self' data:" in Client().get("/resources/faq/")[HEADER]


def run(view, request):
    """`view` behind the site's CSP middleware, as the stack runs it."""
    return middleware.CSPMiddleware(view)(request)


def test_a_page_that_uses_a_nonce_gets_it_in_its_policy(policy_builds):
    request = RequestFactory().get("/resources/")

    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    response = run(view, request)
    assert f"'nonce-{request._csp_nonce}'" in response[HEADER]
    assert policy_builds  # built for this response, by django-csp


def test_a_view_with_its_own_policy_keeps_it():
    @csp_update({"img-src": ["https://images.example"]})
    def view(request):
        return HttpResponse("<p>an image from elsewhere</p>")

    response = run(view, RequestFactory().get("/resources/"))
    assert "https://images.example" in response[HEADER]


def test_a_nonce_asked_for_after_the_header_is_written_is_refused():
    request = RequestFactory().get("/resources/")
    run(lambda request: HttpResponse("plain"), request)
    with pytest.raises(Exception, match="csp_nonce"):
        str(request.csp_nonce)


# --- messages


@pytest.fixture
def stores_opened(monkeypatch) -> list:
    opened = []
    real = middleware.default_storage

    def counting(request):
        opened.append(request.path)
        return real(request)

    monkeypatch.setattr(middleware, "default_storage", counting)
    return opened


def test_a_public_page_opens_no_message_store(settings, stores_opened):
    settings.PAGE_CACHE = False
    for path in ("/resources/", "/resources/faq/", "/resources/no-such-page/"):
        Client().get(path)
    assert stores_opened == []


def test_a_message_added_is_still_stored_for_the_next_page(stores_opened):
    def view(request):
        messages.success(request, "Saved.")
        return HttpResponse("done")

    request = RequestFactory().post("/resources/admin/")
    SessionMiddleware(lambda request: HttpResponse()).process_request(request)
    response = middleware.MessageMiddleware(view)(request)
    assert stores_opened == ["/resources/admin/"]
    assert "messages" in response.cookies  # the cookie store, as Django's FallbackStorage does first


def test_the_admin_still_shows_its_messages(admin_client):
    category = make_category(name="Nursing")
    response = admin_client.post(
        f"/resources/admin/faqs/category/{category.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "was deleted successfully" in response.content.decode()
