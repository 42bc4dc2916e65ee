"""The IndexNow key file at <SITE_URL><key>.txt: the key as plain text while
INDEXNOW_KEY is set, the site's 404 for any other name or with no key; kept by no
cache, so a key set or changed answers at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.notify.conftest import KEY

pytestmark = pytest.mark.django_db


def key_file(name: str) -> str:
    return reverse("faqs:indexnow_key", kwargs={"key": name})


def test_the_key_file_answers_the_key_as_text(client, settings, django_assert_max_num_queries):
    settings.INDEXNOW_KEY = KEY
    client.get(key_file(KEY))  # the page cache's stamp, read (and made) by a first request
    with django_assert_max_num_queries(0):
        response = client.get(key_file(KEY))  # kept by no cache: made by the view again
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == KEY
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert key_file(KEY) == f"/{settings.SITE_PATH}{KEY}.txt"


def test_another_name_is_not_found(client, settings):
    settings.INDEXNOW_KEY = KEY
    response = client.get(key_file("someone-elses-key"))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_with_no_key_there_is_no_key_file(client, settings):
    settings.INDEXNOW_KEY = ""
    assert client.get(key_file(KEY)).status_code == 404


def test_the_key_file_takes_no_post(client, settings):
    settings.INDEXNOW_KEY = KEY
    assert client.post(key_file(KEY)).status_code == 405
