"""A POST larger than Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) gets a page
that says so: 413, the limit, that nothing was saved and the way back to the form; never
Django's bare "Bad Request (400)". Under that size the question form says its own limit."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.test import Client, RequestFactory
from django.urls import reverse

from faqs import content
from faqs.models import Question
from faqs.views import bad_request
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:faqs_question_add")
FORM = "application/x-www-form-urlencoded"  # what a browser sends for the question form


def signed_in_browser() -> tuple[Client, str]:
    """A client that checks CSRF as the site does for a browser, and the form's token."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_staff_user())
    html = browser.get(ADD).content.decode()
    return browser, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def question_post(token: str, answer_bytes: int) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "title": "How long may an answer be?",
        "slug": "",
        "content": "<p>" + "a" * answer_bytes + "</p>",
        "status": Question.Status.DRAFT,
        "tags": "",
    }


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_an_answer_over_the_request_limit_gets_a_readable_413(encoding):
    browser, token = signed_in_browser()
    data = question_post(token, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 100_000)
    if encoding == "urlencoded":
        response = browser.post(f"{ADD}?_changelist_filters=status", urlencode(data), content_type=FORM)
    else:
        response = browser.post(f"{ADD}?_changelist_filters=status", data)
    html = response.content.decode()
    assert response.status_code == 413
    assert "<h1>Too much sent at once</h1>" in html and "Bad Request" not in html
    assert "Nothing was saved." in html and "at most 2.5\xa0MB in one submission" in html
    assert "The form sent 2.6\xa0MB" in html
    assert "An answer can have at most 200 KB of HTML." in html
    assert f'<a href="{ADD}?_changelist_filters=status">Go back to the form</a>' in html
    assert not Question.objects.exists()


def test_an_answer_under_the_request_limit_gets_the_form_message():
    browser, token = signed_in_browser()
    data = question_post(token, settings.DATA_UPLOAD_MAX_MEMORY_SIZE - 10_000)
    response = browser.post(ADD, urlencode(data), content_type=FORM)
    assert response.status_code == 200
    assert f"an answer can have at most {content.MAX_ANSWER_BYTES:,}" in response.content.decode()
    assert not Question.objects.exists()


def test_the_way_back_never_leads_to_another_site():
    """A POST to //other.example/ is this site's path, but as a link it would be another
    site's address: the page then offers the home page only."""
    request = RequestFactory().post("/", data="x", content_type=FORM)
    request.path = request.path_info = "//other.example/form/"
    html = bad_request(request, RequestDataTooBig("too big")).content.decode()
    assert "other.example" not in html and "Go back to the form" not in html
    assert '<a href="/resources/">Go to the home page</a>' in html


def test_other_bad_requests_stay_as_django_answers_them(client):
    response = client.get("/resources/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert b"<h1>Bad Request (400)</h1>" in response.content  # Django's own page
