"""A reader's address behind our reverse proxies (TRUSTED_PROXY_COUNT): the entry of
X-Forwarded-For that our outermost proxy appended, never one a client wrote, and with
no proxy counted the connection's address alone. Sign-in throttling (django-axes) and
the search log's per-reader bounds read it the same way."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from certfaq import config
from search_insights import analytics
from search_insights.models import SearchLog
from tests.factories import make_staff_user

HOME = reverse("faqs:home")
LOGIN = reverse("admin:login")
PASSWORD = "a-long-editor-password-1"

PROXY = "127.0.0.1"  # nginx on gunicorn's machine: every request's REMOTE_ADDR
CDN = "104.16.0.1"  # a proxy in front of nginx, which nginx appends
READER, OTHER_READER = "81.2.69.142", "2.125.160.216"
FORGED = "1.2.3.4"


def trusting(proxies: str) -> override_settings:
    """The settings as TRUSTED_PROXY_COUNT=`proxies` makes them."""
    return override_settings(**config.client_address_settings({"TRUSTED_PROXY_COUNT": proxies}))


def request_from(remote_addr: str, forwarded_for: str | None) -> dict:
    """A request's connection address and, when given, its X-Forwarded-For header."""
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return meta


def failed_sign_in_address(remote_addr: str, forwarded_for: str | None) -> str | None:
    """The address django-axes counts a wrong password against."""
    client = Client(**request_from(remote_addr, forwarded_for))
    response = client.post(LOGIN, {"username": "editor", "password": "wrong", "next": "/resources/admin/"})
    assert response.status_code == 200
    return AccessAttempt.objects.get().ip_address


def search(query: str, remote_addr: str, forwarded_for: str | None) -> None:
    response = Client(**request_from(remote_addr, forwarded_for)).get(HOME, {"s": query})
    assert response.status_code == 200


def searches_of(query: str) -> int:
    row = SearchLog.objects.filter(query=query, day=timezone.localdate()).first()
    return row.searches if row else 0


# --- the setting ------------------------------------------------------------------------


def test_the_site_reads_addresses_as_its_environment_says():
    assert {name: getattr(settings, name) for name in config.client_address_settings({})} == (
        config.client_address_settings({"TRUSTED_PROXY_COUNT": "0"})
    )


@pytest.mark.parametrize("raw", ["-1", "one", "1.5", "²", "1 proxy"])
def test_a_bad_proxy_count_stops_the_site_with_a_message_naming_it(raw):
    with pytest.raises(config.ConfigError, match=rf"TRUSTED_PROXY_COUNT must be a whole number, not '{raw}'"):
        config.client_address_settings({"TRUSTED_PROXY_COUNT": raw})


# --- the address sign-in throttling counts ------------------------------------------------


ADDRESSES = [
    # proxies, REMOTE_ADDR, X-Forwarded-For, the address counted
    pytest.param("0", READER, None, READER, id="no proxy"),
    pytest.param("0", READER, FORGED, READER, id="no proxy, forged header ignored"),
    pytest.param("0", PROXY, READER, PROXY, id="an uncounted proxy: its own address"),
    pytest.param("1", PROXY, READER, READER, id="one proxy"),
    pytest.param("1", PROXY, f"{FORGED}, {READER}", READER, id="one proxy, forged left-most entry"),
    pytest.param("1", PROXY, f"not-an-address, {READER}", READER, id="one proxy, junk left-most entry"),
    pytest.param("1", PROXY, "2a00:1450:4001::1", "2a00:1450:4001::1", id="one proxy, IPv6 reader"),
    pytest.param("1", PROXY, None, PROXY, id="one proxy, straight to gunicorn"),
    pytest.param("2", PROXY, f"{READER}, {CDN}", READER, id="two proxies"),
    pytest.param("2", PROXY, f"{FORGED}, {READER}, {CDN}", READER, id="two proxies, forged left-most entry"),
    pytest.param("2", PROXY, READER, None, id="two proxies, only one passed: no address to choose"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("proxies", "remote_addr", "forwarded_for", "counted"), ADDRESSES)
def test_sign_in_throttling_counts_the_address_our_outermost_proxy_saw(
    proxies, remote_addr, forwarded_for, counted
):
    make_staff_user(password=PASSWORD)
    with trusting(proxies):
        assert failed_sign_in_address(remote_addr, forwarded_for) == counted


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_by_default_a_forged_header_does_not_escape_a_sign_in_lock():
    make_staff_user(password=PASSWORD)
    for attempt in range(3):
        failed = Client(REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt + 1}")
        failed.post(LOGIN, {"username": "editor", "password": f"wrong-{attempt}"})

    elsewhere = Client(REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=OTHER_READER)
    response = elsewhere.post(LOGIN, {"username": "editor", "password": PASSWORD})

    assert response.status_code == 429 and "_auth_user_id" not in elsewhere.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_behind_one_proxy_a_guessers_lock_is_not_the_editors():
    make_staff_user(password=PASSWORD)
    with trusting("1"):
        guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER)
        for attempt in range(3):
            guesser.post(LOGIN, {"username": "editor", "password": f"wrong-{attempt}"})
        locked = guesser.post(LOGIN, {"username": "editor", "password": PASSWORD})

        editor = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_READER)
        response = editor.post(LOGIN, {"username": "editor", "password": PASSWORD})

    assert locked.status_code == 429
    assert response.status_code == 302 and "_auth_user_id" in editor.session


# --- the reader the search log's bounds count -----------------------------------------------


def fill_a_readers_day(remote_addr: str, forwarded_for: str) -> None:
    """As many distinct queries as one reader's searches count for in a day."""
    for number in range(analytics.READER_QUERIES_PER_DAY):
        search(f"exam question {number}", remote_addr, forwarded_for)


@pytest.mark.django_db
def test_by_default_forged_headers_share_one_readers_share_of_the_log():
    fill_a_readers_day(READER, FORGED)

    search("passing score", READER, OTHER_READER)

    assert searches_of("exam question 0") == 1
    assert searches_of("passing score") == 0


@pytest.mark.django_db
def test_behind_one_proxy_each_reader_has_their_own_share_of_the_log():
    with trusting("1"):
        fill_a_readers_day(PROXY, READER)
        search("passing score", PROXY, OTHER_READER)
        search("exam question 0", PROXY, OTHER_READER)

    assert searches_of("passing score") == 1
    assert searches_of("exam question 0") == 2


@pytest.mark.django_db
def test_behind_one_proxy_a_forged_left_most_entry_does_not_make_a_new_reader():
    with trusting("1"):
        for attempt in range(analytics.READER_REPEATS_PER_DAY + 3):
            search("buy cheap answers", PROXY, f"10.9.8.{attempt}, {READER}")
        search("buy cheap answers", PROXY, OTHER_READER)

    assert searches_of("buy cheap answers") == analytics.READER_REPEATS_PER_DAY + 1


@pytest.mark.django_db
def test_behind_two_proxies_readers_are_told_apart_by_the_entry_before_the_cdns():
    with trusting("2"):
        for address in (READER, OTHER_READER, FORGED):
            for _ in range(analytics.READER_REPEATS_PER_DAY + 1):
                search("passing score", PROXY, f"{address}, {CDN}")
        search("passing score", PROXY, f"{OTHER_READER}, {READER}, {CDN}")  # READER again

    assert searches_of("passing score") == 3 * analytics.READER_REPEATS_PER_DAY
