"""Lost your password? Django's password reset views under the admin, as Django's
admin expects them (its sign-in page links to `admin_password_reset`), with:
- the same answer whether the address has an account or not (Django's), and mail to
  an invited colleague who has not set a password yet (Django's form skips them);
- throttling, counted in the cache by django-ratelimit: at most
  PASSWORD_RESETS_PER_ADDRESS mails an hour to one address (anyone can type a
  colleague's address; past the limit the answer is the same and no mail goes), and
  PASSWORD_RESETS_PER_CLIENT requests an hour from one client (its address read as
  sign-in throttling reads it), past which it gets a 429 page;
- the account unlocked once a new password is set: a sign-in lock-out (django-axes)
  for its user name ends with the reset."""

from __future__ import annotations

import logging
import unicodedata

from axes.helpers import get_client_ip_address
from axes.utils import reset as unlock_sign_in
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse_lazy
from django_ratelimit.core import is_ratelimited

from faqs import site

logger = logging.getLogger(__name__)


def over_limit(request: HttpRequest, group: str, counted: str, per_hour: int) -> bool:
    """Count one more under (`group`, `counted`) and say whether that passed `per_hour`.
    A cache that cannot count refuses (logged): a reset mail can wait, a flood cannot."""
    try:
        return is_ratelimited(
            request, group=group, key=lambda _group, _request: counted, rate=f"{per_hour}/h", increment=True
        )
    except Exception:
        logger.exception("Password resets: the cache could not count %s", group)
        return True


def same_address(one: str, other: str) -> bool:
    """Django's comparison of email addresses: Unicode-normalised, case-folded."""
    return unicodedata.normalize("NFKC", one).casefold() == unicodedata.normalize("NFKC", other).casefold()


class ResetForm(PasswordResetForm):
    def get_users(self, email: str):
        """Active staff with this address, with a password or not yet (invited)."""
        User = get_user_model()
        found = User._default_manager.filter(email__iexact=email, is_active=True, is_staff=True)
        return (user for user in found if same_address(email, user.email))


class AdminContextMixin:
    """The admin's header and styles on the reset pages."""

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminContextMixin, auth_views.PasswordResetView):
    form_class = ResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        client = get_client_ip_address(request) or ""
        if over_limit(request, "password-reset-client", client, settings.PASSWORD_RESETS_PER_CLIENT):
            context = {**admin.site.each_context(request), "title": "Too many requests"}
            return render(request, "accounts/password_reset_throttled.html", context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, reset_request):
        address = unicodedata.normalize("NFKC", reset_request.cleaned_data["email"]).casefold()
        if not over_limit(
            self.request, "password-reset-address", address, settings.PASSWORD_RESETS_PER_ADDRESS
        ):
            reset_request.save(
                request=self.request,
                domain_override=site.domain(),
                use_https=site.scheme() == "https",  # SITE_URL's, not the request's (a proxy's)
                email_template_name=self.email_template_name,
                subject_template_name=self.subject_template_name,
                extra_email_context={"site_name": settings.SITE_NAME},
            )
        return HttpResponseRedirect(self.get_success_url())  # the same answer either way


class PasswordResetDoneView(AdminContextMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminContextMixin, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        unlock_sign_in(username=form.user.get_username())
        return response


class PasswordResetCompleteView(AdminContextMixin, auth_views.PasswordResetCompleteView):
    pass
