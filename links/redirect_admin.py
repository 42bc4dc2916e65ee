"""Redirects: django.contrib.redirects' admin, refusing open redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.contrib import admin
from django.contrib.redirects import admin as redirect_admin
from django.contrib.redirects.models import Redirect

from faqs.permissions import may_redirect_offsite
from faqs.site import is_web_address, stays_on_site
from links.redirects import loop_through

# --- redirects -------------------------------------------------------------------
# Readers trust a link on the site's own domain: a redirect from it to another site
# (an open redirect) needs a permission of its own, links.add_offsite_redirect.


class RedirectForm(forms.ModelForm):
    may_leave_site = False  # RedirectAdmin.get_form sets it from the editor's permissions

    class Meta:
        model = Redirect
        fields = ["site", "old_path", "new_path"]
        help_texts = {
            "new_path": "A path on this site, such as “/resources/faq/some-question/”, or empty "
            "so the old address answers 410 Gone. An address on another site needs the "
            "permission “Can add redirects to other sites”.",
        }

    def clean(self) -> dict:
        """A redirect that would lead back to its own address (itself, or through the
        site's other redirects) is refused: browsers would loop until they give up."""
        cleaned = super().clean()
        old_path, target = cleaned.get("old_path"), cleaned.get("new_path")
        if old_path and target and (loop := loop_through(old_path, target, besides=self.instance.pk)):
            message = f"This would make a loop: {' → '.join(loop)}. Enter where it ends."
            self.add_error("new_path", message)
        return cleaned

    def clean_new_path(self) -> str:
        """A path here, an address of this site, or empty (410 Gone) is always fine;
        another site's address only with the permission; anything else never."""
        target = self.cleaned_data["new_path"]
        if not target or stays_on_site(target):
            return target
        if not is_web_address(target):
            raise forms.ValidationError(
                "Enter a path on this site, such as “/resources/faq/some-question/”, "
                "or a full address starting with https://."
            )
        if not self.may_leave_site:
            raise forms.ValidationError(
                f"{urlsplit(target).hostname} is another site: a redirect there needs the "
                "permission “Can add redirects to other sites”. Enter a path on this site instead."
            )
        return target


admin.site.unregister(Redirect)


@admin.register(Redirect)
class RedirectAdmin(redirect_admin.RedirectAdmin):
    form = RedirectForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_leave_site = may_redirect_offsite(request.user)
        return form
