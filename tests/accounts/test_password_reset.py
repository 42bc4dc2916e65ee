"""Lost your password? Django's reset pages under the admin: the same answer whether
the address has an account or not, mail to an invited colleague too, throttled per
address and per client, and a sign-in lock-out lifted by the reset (issue 19)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.certfaq.test_security import LOCKED, lock_out, sign_in
from tests.factories import make_staff_user

pytestmark = pytest.mark.django_db

User = get_user_model()
RESET = reverse("admin_password_reset")
DONE = reverse("password_reset_done")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/resources/admin/reset/\S+/)")
NEW_PASSWORD = "a-brand-new-password-42"


def ask_reset(client, email: str, address: str = "127.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def choose_password(client, message) -> None:
    """Follow the mailed link and set NEW_PASSWORD."""
    form = client.get(LINK.search(message.body).group(1), follow=True)
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")


def test_the_sign_in_page_offers_lost_your_password(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert f'<a href="{RESET}">Lost your password?</a>' in page
    form = client.get(RESET)
    assert form.status_code == 200 and 'name="email"' in form.content.decode()


def test_a_known_and_an_unknown_address_get_the_same_answer(client):
    make_staff_user(password="an-old-long-password-1", email="editor@example.org")
    known = ask_reset(client, "Editor@Example.org")
    unknown = ask_reset(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"]) == (302, DONE)
    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert "Certilyst" in mail.outbox[0].subject + mail.outbox[0].body
    choose_password(client, mail.outbox[0])
    assert client.login(username="editor", password=NEW_PASSWORD)


def test_an_invited_colleague_without_a_password_can_ask_for_one(client):
    invited = User.objects.create_user("new@example.org", "new@example.org", is_staff=True)
    assert not invited.has_usable_password()
    ask_reset(client, "new@example.org")
    assert len(mail.outbox) == 1
    choose_password(client, mail.outbox[0])
    assert client.login(username="new@example.org", password=NEW_PASSWORD)


def test_one_address_gets_at_most_the_hours_share_of_mails(client, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 2
    make_staff_user(email="editor@example.org")
    answers = [ask_reset(client, "editor@example.org", f"10.0.0.{n}") for n in range(4)]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, DONE)}  # all alike
    assert len(mail.outbox) == 2


def test_one_client_past_its_hours_share_gets_a_429(client, settings):
    settings.PASSWORD_RESETS_PER_CLIENT = 3
    for n in range(3):
        assert ask_reset(client, f"someone{n}@example.org").status_code == 302
    refused = ask_reset(client, "another@example.org")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    # Another client is still answered.
    assert ask_reset(client, "another@example.org", "10.9.9.9").status_code == 302


def test_a_new_password_lifts_a_sign_in_lock_out(client):
    make_staff_user(password="an-old-long-password-1", email="editor@example.org")
    assert lock_out(client).status_code == 429
    ask_reset(client, "editor@example.org")
    choose_password(client, mail.outbox[0])
    response = sign_in(client, NEW_PASSWORD)
    assert LOCKED not in response.content.decode()
    assert response.status_code == 302 and response["Location"] == "/resources/admin/"


def test_a_bad_or_used_link_says_so_and_changes_nothing(client):
    user = make_staff_user(password="an-old-long-password-1", email="editor@example.org")
    bad = client.get(reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))
    assert bad.status_code == 200 and "invalid" in bad.content.decode().lower()
    ask_reset(client, "editor@example.org")
    choose_password(client, mail.outbox[0])
    used = client.get(LINK.search(mail.outbox[0].body).group(1), follow=True)
    assert 'name="new_password1"' not in used.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
