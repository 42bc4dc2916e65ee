"""A request that sends no conditional header (most do not) is answered without
Django's conditional rules being asked: they can only answer 304 to one that does."""

import pytest
from django.test import Client

from http_cache import caching
from tests.factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def conditional_checks(monkeypatch) -> list:
    asked = []
    real = caching.get_conditional_response

    def counting(request, **kwargs):
        asked.append(request.path)
        return real(request, **kwargs)

    monkeypatch.setattr(caching, "get_conditional_response", counting)
    return asked


def test_a_plain_request_asks_no_conditional_rule(settings, conditional_checks):
    settings.PAGE_CACHE = False
    question = make_question()
    response = Client().get(question.get_absolute_url())
    assert response.status_code == 200 and response["ETag"]
    assert conditional_checks == []


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_a_conditional_request_is_still_answered_304(settings, conditional_checks, header):
    settings.PAGE_CACHE = False
    question = make_question()
    first = Client().get(question.get_absolute_url())
    validator = first["ETag"] if header == "If-None-Match" else first["Last-Modified"]
    again = Client().get(question.get_absolute_url(), headers={header: validator})
    assert again.status_code == 304
    assert conditional_checks == [question.get_absolute_url()]
