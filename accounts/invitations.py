"""An invitation: a mail to a new colleague with a link to set their password (the
password reset confirmation page, with a token valid PASSWORD_RESET_TIMEOUT), sent
when an administrator adds them, and again on request from the people list."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from faqs import site


def set_password_url(user) -> str:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site.absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def invite(user, invited_by) -> None:
    """Mail `user` the link to set a password. Raises what the mail backend raises."""
    context = {
        "user": user,
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "role": roles.role_of(user),
        "site_name": settings.SITE_NAME,
        "set_password_url": set_password_url(user),
        "sign_in_url": site.absolute_url(reverse("admin:login")),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string("accounts/invitation_subject.txt", context).strip()
    send_mail(subject, render_to_string("accounts/invitation_email.txt", context), None, [user.email])
