"""The admin's sign-in under django-axes: the page shown while a user name is locked
(the same page, saying so and until when, status 429: AXES_LOCKOUT_CALLABLE) and the
user name attempts are counted under (AXES_USERNAME_CALLABLE)."""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

USERNAME_FIELD = "username"  # the admin form's field and authenticate()'s keyword
USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The sign-in form again, an empty password and a message in place of "wrong
    password": the right password is refused too until the cool-off ends."""
    username = get_client_username(request, credentials) or ""
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "app_path": request.get_full_path(),
        "next": request.POST.get("next") or reverse("admin:index"),
        "form": AdminAuthenticationForm(request, initial={"username": username}),
        "locked_username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(get_cool_off(request).total_seconds() // 60),
        "unlocks_at": unlock_time(username, request.axes_ip_address),
    }
    return render(request, "admin/login_locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def unlock_time(username: str, address: str | None) -> datetime | None:
    """When the lock on this user name and address ends (AXES_LOCKOUT_PARAMETERS): the
    cool-off after their last counted failure (tries during a lock-out are not counted,
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT)."""
    attempts = AccessAttempt.objects.filter(username=username, ip_address=address)
    last_failure = attempts.aggregate(last=Max("attempt_time"))["last"]
    return last_failure + get_cool_off() if last_failure else None


def attempted_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The user name a sign-in tried, cut to the length axes stores: the admin's form
    does not check length, and a longer name would make PostgreSQL refuse the attempt's
    row (a 500). No account has such a name, so nothing is lost by cutting it."""
    source = credentials if credentials else request.POST
    username = source.get(USERNAME_FIELD)
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username
