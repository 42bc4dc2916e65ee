"""While another editor has a question open, its change form says so."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editing.models import EditingPresence
from tests.factories import make_editor, make_question

pytestmark = pytest.mark.django_db


def editor_client(username: str) -> Client:
    user = get_user_model().objects.create_superuser(username=username, email=f"{username}@example.com")
    user.first_name = username.capitalize()
    user.save()
    client = Client()
    client.force_login(user)
    return client


def presence_url(question) -> str:
    return reverse("admin:faqs_question_presence", args=[question.pk])


def change_url(question) -> str:
    return reverse("admin:faqs_question_change", args=[question.pk])


def test_the_second_editor_is_told_who_has_the_question_open():
    question = make_question()
    ana, ben = editor_client("ana"), editor_client("ben")
    first = ana.get(change_url(question)).content.decode()
    assert "also editing this question" not in first
    second = ben.get(change_url(question)).content.decode()
    assert "Ana (since " in second and "is also editing this question" in second
    # Ana's form, renewing its mark, now hears of Ben.
    others = ana.post(presence_url(question)).json()["others"]
    assert [other["name"] for other in others] == ["Ben"]


def test_a_mark_nobody_renews_expires_by_itself():
    question = make_question()
    ana, ben = editor_client("ana"), editor_client("ben")
    ana.get(change_url(question))
    EditingPresence.objects.update(seen_at=timezone.now() - timedelta(minutes=2))  # Ana's tab crashed
    assert ben.post(presence_url(question)).json() == {"others": []}
    assert list(EditingPresence.objects.values_list("user__username", flat=True)) == ["ben"]  # cleared away


def test_leaving_drops_the_mark_at_once():
    question = make_question()
    ana, ben = editor_client("ana"), editor_client("ben")
    ana.get(change_url(question))
    ana.post(presence_url(question), {"leave": "1"})
    assert ben.post(presence_url(question)).json() == {"others": []}


def test_renewing_a_mark_keeps_its_opening_time():
    question = make_question()
    ana, ben = editor_client("ana"), editor_client("ben")
    ana.get(change_url(question))
    opened = EditingPresence.objects.get().opened_at
    EditingPresence.objects.update(opened_at=opened - timedelta(minutes=5))
    ana.post(presence_url(question))
    since = ben.post(presence_url(question)).json()["others"][0]["since"]
    assert since == timezone.localtime(opened - timedelta(minutes=5)).strftime("%H:%M")


def test_the_presence_endpoint_refuses_what_it_should(client, django_assert_max_num_queries):
    question = make_question()
    ana = editor_client("ana")
    assert ana.get(presence_url(question)).status_code == 405
    assert ana.post(reverse("admin:faqs_question_presence", args=[99999])).status_code == 404
    assert client.post(presence_url(question)).status_code == 302  # to the sign-in
    client.force_login(make_editor("redirects.view_redirect"))
    assert client.post(presence_url(question)).status_code == 403
    with django_assert_max_num_queries(16):
        assert ana.post(presence_url(question)).status_code == 200
