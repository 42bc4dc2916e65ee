"""People in the admin: an administrator adds a colleague by name, email and role and
an invitation lets them choose a password; the list shows roles; the change form has
no groups or permissions; the last administrator cannot be demoted (issue 19)."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.urls import reverse

from accounts import roles
from tests.factories import make_editor, make_member

pytestmark = pytest.mark.django_db

User = get_user_model()
ROLES_MIGRATION = importlib.import_module("faqs.migrations.0009_publishing_roles")
ADD = reverse("admin:auth_user_add")
LIST = reverse("admin:auth_user_changelist")
LINK = re.compile(r"http://127\.0\.0\.1:8000(/resources/admin/reset/\S+/)")


@pytest.fixture
def administrator():
    return User.objects.create_superuser(
        "boss", "boss@example.org", "a-long-admin-password-1", first_name="Ada"
    )


# The invitation goes once the account is committed (transaction.on_commit), and
# says so on the next page: these tests commit, as the site does.
COMMITTING = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def roles_made(django_db_blocker):
    """The Editor and Author groups as migration 0009 makes them: a transactional test
    before this one may have flushed them with every other row."""
    with django_db_blocker.unblock():
        ROLES_MIGRATION.create_roles(apps, SimpleNamespace(connection=connection))


@pytest.fixture
def invite(client):
    """Add a colleague as `operator`."""

    def post(operator, **fields):
        client.force_login(operator)
        data = {
            "first_name": "Jane",
            "last_name": "Roe",
            "email": "Jane.Roe@Example.org",
            "role": roles.EDITOR,
        }
        return client.post(ADD, data | fields, follow=True)

    return post


def change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def test_adding_a_colleague_asks_name_email_and_role_only(client, administrator):
    client.force_login(administrator)
    page = client.get(ADD).content.decode()
    for field in ('name="first_name"', 'name="last_name"', 'name="email"', 'name="role"'):
        assert field in page
    for internal in ('name="password1"', 'name="is_staff"', 'name="groups"', 'name="user_permissions"'):
        assert internal not in page
    assert "Administrator: everything" in page  # an administrator may make another


@COMMITTING
def test_an_invited_colleague_chooses_a_password_and_signs_in(client, administrator, invite):
    response = invite(administrator)
    assert response.status_code == 200
    jane = User.objects.get(email="Jane.Roe@example.org")
    assert jane.username == "Jane.Roe@example.org" and jane.first_name == "Jane"
    assert jane.is_staff and not jane.is_superuser and not jane.has_usable_password()
    assert roles.role_of(jane) == roles.EDITOR and jane.has_perm("faqs.publish_question")
    assert "An invitation to choose a password was sent to Jane.Roe@example.org" in response.content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Jane.Roe@example.org"] and "invited" in message.subject
    assert "Ada has added you to Certilyst as editor" in message.body
    path = LINK.search(message.body).group(1)

    client.logout()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    password = "a-new-and-long-password-7"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert client.login(username="Jane.Roe@example.org", password=password)
    assert client.get(reverse("admin:index")).status_code == 200


@COMMITTING
def test_an_address_already_in_use_is_refused_and_nothing_is_sent(client, administrator, invite):
    make_member(roles.AUTHOR, "jane.roe@example.org")
    response = invite(administrator)
    assert "Someone already has an account with this address." in response.content.decode()
    assert User.objects.count() == 2 and not mail.outbox


@COMMITTING
def test_a_mail_server_that_fails_keeps_the_account_and_says_so(client, administrator, settings, invite):
    settings.EMAIL_BACKEND = "tests.accounts.failing_mail.Backend"
    response = invite(administrator)
    assert response.status_code == 200
    assert User.objects.filter(email="Jane.Roe@example.org").exists()
    assert "could not be sent" in response.content.decode()


def test_an_invitation_can_be_sent_again_from_the_list(client, administrator):
    author = make_member(roles.AUTHOR, "al")
    author.email = "al@example.org"
    author.save()
    client.force_login(administrator)
    client.post(LIST, {"action": "send_invitation", "_selected_action": [author.pk]})
    assert [message.to for message in mail.outbox] == [["al@example.org"]]


def test_only_an_administrator_may_give_the_administrator_role(client, invite):
    manager = make_editor("auth.add_user", "auth.change_user", "auth.view_user", username="manager")
    client.force_login(manager)
    assert "Administrator: everything" not in client.get(ADD).content.decode()
    response = invite(manager, role=roles.ADMINISTRATOR)
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="Jane.Roe@example.org").exists()


def test_an_administrators_account_is_changed_by_administrators_only(client, administrator):
    manager = make_editor("auth.change_user", "auth.view_user", username="manager")
    client.force_login(manager)
    assert client.post(change_url(administrator), {"first_name": "Mallory"}).status_code == 403
    administrator.refresh_from_db()
    assert administrator.first_name == "Ada"


def test_the_list_shows_each_persons_role_and_filters_by_it(client, administrator):
    make_member(roles.EDITOR, "ed")
    make_member(roles.AUTHOR, "au")
    client.force_login(administrator)
    page = client.get(LIST).content.decode()
    for username, role in (("ed", "Editor"), ("au", "Author"), ("boss", "Administrator")):
        assert re.search(rf">{username}</a></th>.*?<td class=\"field-role\">{role}</td>", page, re.S)
    authors = client.get(LIST, {"role": roles.AUTHOR}).context["cl"].result_list
    assert [user.username for user in authors] == ["au"]


def test_changing_a_role_moves_the_person_between_groups(client, administrator):
    author = make_member(roles.AUTHOR, "au")
    client.force_login(administrator)
    page = client.get(change_url(author)).content.decode()
    assert (
        'name="groups"' not in page
        and 'name="user_permissions"' not in page
        and 'name="is_staff"' not in page
    )
    data = {
        "username": "au",
        "first_name": "Al",
        "last_name": "",
        "email": "",
        "role": roles.EDITOR,
        "is_active": "on",
    }
    assert client.post(change_url(author), data).status_code == 302
    assert list(author.groups.values_list("name", flat=True)) == [roles.EDITOR]
    assert User.objects.get(pk=author.pk).has_perm("faqs.publish_question")


def test_the_only_administrator_cannot_stop_being_one(client, administrator):
    client.force_login(administrator)
    data = {
        "username": "boss",
        "first_name": "Ada",
        "email": "boss@example.org",
        "role": roles.EDITOR,
        "is_active": "on",
    }
    response = client.post(change_url(administrator), data)
    assert "the only administrator" in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_superuser
    User.objects.create_superuser("second", "second@example.org", "another-long-password-2")
    assert client.post(change_url(administrator), data).status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser and roles.role_of(administrator) == roles.EDITOR


def test_role_groups_exist(db):
    assert set(Group.objects.filter(name__in=roles.GROUP_ROLES).values_list("name", flat=True)) == {
        "Editor",
        "Author",
    }


def test_a_person_with_no_role_keeps_their_access_when_saved(client, administrator):
    custom = User.objects.create_user("custom", "custom@example.org", is_staff=True)
    client.force_login(administrator)
    page = client.get(change_url(custom)).content.decode()
    assert "No role: access as given elsewhere" in page
    data = {
        "username": "custom",
        "first_name": "Cy",
        "email": "custom@example.org",
        "role": "",
        "is_active": "on",
    }
    assert client.post(change_url(custom), data).status_code == 302
    custom.refresh_from_db()
    assert custom.first_name == "Cy" and roles.role_of(custom) == "" and custom.is_staff


def test_invitations_and_deletions_spare_administrators_for_non_administrators(client, administrator):
    manager = make_editor("auth.view_user", "auth.change_user", "auth.delete_user", username="manager")
    client.force_login(manager)
    client.post(LIST, {"action": "send_invitation", "_selected_action": [administrator.pk]})
    assert not mail.outbox  # an administrator's account is theirs to look after
    delete = reverse("admin:auth_user_delete", args=[administrator.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=administrator.pk).exists()
    client.post(LIST, {"action": "delete_selected", "_selected_action": [administrator.pk], "post": "yes"})
    assert User.objects.filter(pk=administrator.pk).exists()
