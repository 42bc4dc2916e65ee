"""Small factory functions: each makes one valid row, overridable by keyword."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.flatpages.models import FlatPage
from django.utils import timezone

from faqs import publishing
from faqs.models import Category, Question

_sequence = itertools.count(1)


def make_category(**fields) -> Category:
    number = next(_sequence)
    fields.setdefault("name", f"Category {number}")
    fields.setdefault("slug", f"category-{number}")
    category = Category(**fields)
    publishing.save_category(category)
    return category


def make_question(*, categories=(), tags=(), **fields) -> Question:
    """A published question (yesterday) unless told otherwise."""
    number = next(_sequence)
    fields.setdefault("title", f"What is question {number}?")
    fields.setdefault("content", f"<p>The answer to question {number}. It has two sentences.</p>")
    fields.setdefault("status", Question.Status.PUBLISHED)
    if fields["status"] in (Question.Status.PUBLISHED, Question.Status.SCHEDULED):
        fields.setdefault("published_at", timezone.now() - timedelta(days=1))
    question = Question(**fields)
    publishing.save_question(question, categories=categories, tags=tags)
    return question


def make_staff_user(username: str = "editor", password: str = "a-long-editor-password-1", email: str = ""):
    return get_user_model().objects.create_superuser(
        username=username, email=email or f"{username}@example.com", password=password
    )


def make_editor(*permissions: str, username: str = "writer"):
    """A staff user who is not a superuser and holds only the named permissions
    ("faqs.view_question", "redirects.add_redirect", …)."""
    user = get_user_model().objects.create_user(username=username, is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        granted = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        user.user_permissions.add(granted)
    return user


def make_member(role: str, username: str, password: str = "a-long-member-password-1"):
    """A staff user (not a superuser) whose permissions come from the group `role`
    ("Editor" or "Author", made by migration 0009)."""
    user = get_user_model().objects.create_user(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def make_site_page(url: str = "/about/", title: str = "About", content: str = "<p>Who we are.</p>", **fields):
    """A site page (a flatpage) of this site, as the admin makes one."""
    page = FlatPage.objects.create(url=url, title=title, content=content, **fields)
    page.sites.add(settings.SITE_ID)
    return page
