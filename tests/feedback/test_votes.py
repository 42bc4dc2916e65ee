""" "Was this helpful?" as a reader's browser without JavaScript sends it: a vote, then
its reason, each answered by a page; one client counted once; nothing about the
reader kept; the question page still the same cached bytes for everyone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from feedback import votes
from feedback.models import FeedbackCount, Vote
from tests.factories import make_question, make_staff_user

pytestmark = pytest.mark.django_db

READER, OTHER_READER = "81.2.69.142", "2.125.160.216"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"
SITE_ORIGIN = "http://127.0.0.1:8000"  # SITE_URL's


def reader(address: str = READER, agent: str = BROWSER) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent)


def vote_url(question) -> str:
    return reverse("faqs:feedback_vote", args=[question.pk])


def reason_url(question) -> str:
    return reverse("faqs:feedback_reason", args=[question.pk])


def token_in(response) -> str:
    html = response.content.decode()
    start = html.index('name="token" value="') + len('name="token" value="')
    return html[start : html.index('"', start)]


def counts(question) -> tuple[int, int]:
    row = FeedbackCount.objects.filter(pk=question.pk).first()
    return (row.helpful, row.not_helpful) if row else (0, 0)


# --- a vote without JavaScript -----------------------------------------------------


def test_a_reader_votes_no_and_adds_a_reason_to_the_same_vote(django_assert_max_num_queries):
    question = make_question(title="How long is the NCLEX?")
    client = reader()

    # The question; the vote and its count (an update, an insert for a first vote) in a
    # transaction (two savepoints in a test); the footer's site pages (base.html).
    with django_assert_max_num_queries(8):
        voted = client.post(vote_url(question), {"helpful": "no"})

    assert voted.status_code == 200
    assert "Thank you for your feedback" in voted.content.decode()
    assert 'value="outdated"' in voted.content.decode()  # the reasons are asked after "No"
    with django_assert_max_num_queries(3):  # the question; the vote amended; the footer's pages
        explained = client.post(
            reason_url(question), {"token": token_in(voted), "reason": "outdated", "comment": "Fees changed."}
        )

    assert explained.status_code == 200
    assert f'href="{question.get_absolute_url()}"' in explained.content.decode()
    vote = Vote.objects.get()
    assert (vote.question, vote.helpful, vote.reason, vote.comment) == (
        question,
        False,
        "outdated",
        "Fees changed.",
    )
    assert counts(question) == (0, 1)


def test_a_helpful_vote_asks_no_reason_and_keeps_none():
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "yes"})
    assert 'name="reason"' not in voted.content.decode()

    client.post(
        reason_url(question), {"token": token_in(voted), "reason": "wrong", "comment": "Clear, thanks."}
    )

    vote = Vote.objects.get()
    assert (vote.helpful, vote.reason, vote.comment) == (True, "", "Clear, thanks.")
    assert counts(question) == (1, 0)


def test_every_answer_of_the_endpoint_is_for_this_request_only_and_sets_no_cookie():
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "no"})
    explained = client.post(reason_url(question), {"token": token_in(voted), "reason": "unclear"})
    refused = client.get(vote_url(question))

    for response in (voted, explained, refused):
        assert response["Cache-Control"] == "private, no-store"
        assert "Set-Cookie" not in response.headers
        assert response.cookies == {}
        assert "noindex" in response["X-Robots-Tag"]
    assert client.cookies == {}


# --- one client counted once ----------------------------------------------------------


def test_a_second_vote_from_the_same_client_is_thanked_but_not_counted():
    question = make_question()
    first = reader().post(vote_url(question), {"helpful": "yes"})
    again = reader().post(vote_url(question), {"helpful": "no"})  # a new client object: no cookie either way

    assert first.status_code == again.status_code == 200
    assert "Thank you for your feedback" in again.content.decode()
    assert counts(question) == (1, 0)
    assert Vote.objects.count() == 1
    # The repeat's reason form amends the client's first vote.
    reader().post(reason_url(question), {"token": token_in(again), "comment": "Still useful."})
    assert Vote.objects.get().comment == "Still useful."


def test_another_clients_vote_counts():
    question = make_question()
    reader(READER).post(vote_url(question), {"helpful": "no"})
    reader(OTHER_READER).post(vote_url(question), {"helpful": "yes"})

    assert counts(question) == (1, 1)
    assert Vote.objects.count() == 2


def test_a_client_that_renames_its_browser_on_every_vote_is_still_counted_once():
    question = make_question()
    for n in range(20):
        assert reader(agent=f"bot/{n}").post(vote_url(question), {"helpful": "yes"}).status_code == 200

    assert counts(question) == (1, 0)
    assert Vote.objects.count() == 1


def test_a_client_that_renames_its_browser_still_has_one_days_share(monkeypatch):
    monkeypatch.setattr(votes, "CLIENT_VOTES_PER_DAY", 2)
    questions = [make_question() for _ in range(4)]
    for n, question in enumerate(questions):
        reader(agent=f"bot/{n}").post(vote_url(question), {"helpful": "yes"})

    assert [counts(question) for question in questions] == [(1, 0), (1, 0), (0, 0), (0, 0)]


def test_one_client_counts_on_a_bounded_number_of_questions_a_day(settings, monkeypatch):
    monkeypatch.setattr(votes, "CLIENT_VOTES_PER_DAY", 2)
    questions = [make_question() for _ in range(3)]
    for question in questions:
        assert reader().post(vote_url(question), {"helpful": "yes"}).status_code == 200

    assert [counts(question) for question in questions] == [(1, 0), (1, 0), (0, 0)]


def test_nothing_in_the_database_holds_the_readers_address_or_browser():
    question = make_question()
    voted = reader().post(vote_url(question), {"helpful": "no"})
    reader().post(
        reason_url(question), {"token": token_in(voted), "reason": "wrong", "comment": "See page 3."}
    )

    columns = {field.column for model in (Vote, FeedbackCount) for field in model._meta.concrete_fields}
    assert columns == {"id", "question_id", "helpful", "reason", "comment", "created_at", "not_helpful"}
    stored = [str(value) for value in Vote.objects.values_list().get()]
    stored += [str(value) for value in FeedbackCount.objects.values_list().get()]
    assert not [value for value in stored if READER in value or "Mozilla" in value or "Chrome" in value]


def test_the_client_is_remembered_under_a_hash_not_its_address(rf):
    request = rf.post("/", REMOTE_ADDR=READER, HTTP_USER_AGENT=BROWSER)
    key = votes.client_key(request, "42")
    assert READER not in key and "Mozilla" not in key
    assert key == votes.client_key(rf.post("/", REMOTE_ADDR=READER, HTTP_USER_AGENT=BROWSER), "42")
    assert key != votes.client_key(rf.post("/", REMOTE_ADDR=OTHER_READER, HTTP_USER_AGENT=BROWSER), "42")
    assert key != votes.client_key(request, "43")
    # The address alone: a user agent is the client's to change.
    assert key == votes.client_key(rf.post("/", REMOTE_ADDR=READER, HTTP_USER_AGENT="bot/1"), "42")


# --- the question page stays the same bytes for everyone ---------------------------------


def test_the_question_page_has_the_form_and_no_token_or_cookie_and_stays_cached():
    question = make_question()
    page = Client().get(question.get_absolute_url())
    reader().post(vote_url(question), {"helpful": "yes"})
    first, second = Client().get(question.get_absolute_url()), Client().get(question.get_absolute_url())

    html = page.content.decode()
    assert f'action="{vote_url(question)}"' in html and "Was this helpful?" in html
    assert "csrfmiddlewaretoken" not in html
    for response in (page, first, second):
        assert "Set-Cookie" not in response.headers and response.cookies == {}
    assert second["X-Page-Cache"] == "hit"  # a vote changes nothing the page shows
    assert second.content == page.content


def test_a_preview_shows_no_form(client):
    question = make_question(status="draft")
    client.force_login(make_staff_user())
    assert "Was this helpful?" not in client.get(question.get_absolute_url()).content.decode()


# --- refused, with nothing stored -------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": SITE_ORIGIN, "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_a_post_from_another_sites_page_is_refused(headers):
    question = make_question()
    response = reader().post(vote_url(question), {"helpful": "yes"}, **headers)

    assert response.status_code == 403
    assert "Feedback not sent" in response.content.decode()
    assert Vote.objects.count() == 0 and counts(question) == (0, 0)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": SITE_ORIGIN, "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
    ],
)
def test_a_post_from_this_sites_page_is_taken(headers):
    question = make_question()
    assert reader().post(vote_url(question), {"helpful": "yes"}, **headers).status_code == 200
    assert counts(question) == (1, 0)


def test_a_vote_on_no_question_or_one_not_public_is_a_404():
    draft = make_question(status="draft")
    missing = reader().post(reverse("faqs:feedback_vote", args=[999_999]), {"helpful": "yes"})
    hidden = reader().post(vote_url(draft), {"helpful": "yes"})

    assert missing.status_code == hidden.status_code == 404
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"helpful": "maybe"}, {"helpful": ""}])
def test_a_vote_without_yes_or_no_is_a_400(data):
    question = make_question()
    response = reader().post(vote_url(question), data)
    assert response.status_code == 400
    assert "Choose “Yes” or “No”" in response.content.decode()
    assert Vote.objects.count() == 0


def test_the_endpoint_takes_only_posts():
    question = make_question()
    for method in ("get", "head", "put", "delete"):
        response = getattr(reader(), method)(vote_url(question))
        assert response.status_code == 405 and response["Allow"] == "POST", method
    assert reader().get(reason_url(question)).status_code == 405


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"reason": "boring"}, "Choose one of the reasons listed."),
        ({"comment": "x" * 501}, "Write at most 500 characters."),
        ({"token": ""}, "This form has expired."),
        ({"token": "forged-token"}, "This form has expired."),
    ],
)
def test_a_bad_reason_is_a_400_and_changes_nothing(fields, says):
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "no"})
    response = client.post(reason_url(question), {"token": token_in(voted), **fields})

    assert response.status_code == 400
    assert says in response.content.decode()
    assert Vote.objects.get().reason == "" and Vote.objects.get().comment == ""


def test_a_reason_of_exactly_500_characters_is_kept():
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "no"})
    assert (
        client.post(reason_url(question), {"token": token_in(voted), "comment": "y" * 500}).status_code == 200
    )
    assert len(Vote.objects.get().comment) == 500


def test_a_reason_with_line_breaks_is_counted_as_the_browser_counts_it():
    """A textarea's `maxlength` counts a line break as one character; the browser sends
    it as two (CRLF): a comment the reader could finish is kept, with its breaks."""
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "no"})
    typed = "\n".join(["y" * 99] * 5) + "z"  # 500 characters as the browser counts them
    sent = typed.replace("\n", "\r\n")  # 504 as it sends them

    response = client.post(reason_url(question), {"token": token_in(voted), "comment": sent})

    assert response.status_code == 200
    assert Vote.objects.get().comment == typed


# --- the reason's token: its own question's, once ------------------------------------


def test_a_token_posted_for_another_question_is_refused_and_changes_nothing():
    asked, other = make_question(title="Asked?"), make_question(title="Other?")
    client = reader()
    voted = client.post(vote_url(asked), {"helpful": "no"})

    refused = client.post(reason_url(other), {"token": token_in(voted), "reason": "wrong", "comment": "Spam"})

    assert refused.status_code == 400
    assert "Feedback not sent" in refused.content.decode()
    assert Vote.objects.get().comment == "" and Vote.objects.get().reason == ""
    # The token still serves its own question's reason form.
    kept = client.post(reason_url(asked), {"token": token_in(voted), "comment": "Mine."})
    assert kept.status_code == 200 and Vote.objects.get().comment == "Mine."


def test_a_token_amends_its_vote_once():
    question = make_question()
    client = reader()
    voted = client.post(vote_url(question), {"helpful": "no"})
    token = token_in(voted)
    first = client.post(
        reason_url(question), {"token": token, "reason": "outdated", "comment": "Fees changed."}
    )

    again = client.post(reason_url(question), {"token": token, "reason": "wrong", "comment": "Overwritten"})

    assert first.status_code == 200
    assert again.status_code == 400
    assert "Thank you all the same." in again.content.decode()
    vote = Vote.objects.get()
    assert (vote.reason, vote.comment) == ("outdated", "Fees changed.")


def test_the_thank_you_page_describes_itself_and_says_noindex_nofollow_twice(client):
    """Lighthouse's SEO audit: a meta description; the meta robots and the header agree."""
    question = make_question()
    response = client.post(reverse("faqs:feedback_vote", args=[question.pk]), {"helpful": "no"})
    html = response.content.decode()
    assert '<meta name="description" content="Your feedback on' in html
    assert '<meta name="robots" content="noindex, nofollow" />' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
