"""The site pages' admin: flatpages' own, with the answer's rich-text editor (it offers
only what `content.sanitize()` keeps) and the content cleaned on save, the page's
address under SITE_URL's path, and the options this site does not use left out."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.urls import NoReverseMatch, Resolver404, resolve

from faqs import content, site
from faqs.admin.editor import answer_widget
from site_pages import pages

SITE_PAGE_VIEW = "faqs:site_page"  # the route that serves site pages (site_pages.urls)


class SitePageForm(FlatpageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].help_text = (
            "The page's address after the site's, with a slash at each end: “/about/” is "
            f"{site.home_url()}about/."
        )
        self.fields["title"].help_text = "The page's heading, its name in search results and the footer."
        self.fields["content"].widget = answer_widget(self.instance.content)
        self.fields["content"].help_text = "Scripts, styles and unsafe links are removed on saving."
        if "sites" in self.fields and not self.instance.pk:
            self.fields["sites"].initial = [settings.SITE_ID]

    def clean_url(self) -> str:
        url = super().clean_url()
        # The site routes only addresses ending in a slash (site_pages.urls).
        if not url.endswith("/"):
            raise forms.ValidationError("The address must end with a slash, e.g. “/about/”.")
        if taken_by := address_owner(url):
            raise forms.ValidationError(f"This address is taken by {taken_by}: choose another.")
        return url

    def clean_content(self) -> str:
        page_html = self.cleaned_data.get("content") or ""
        if problem := content.answer_size_error(page_html):
            raise forms.ValidationError(problem)
        return content.sanitize(page_html)


def address_owner(url: str) -> str | None:
    """What the site answers at the page's address instead of the page, if anything: the
    site pages' route comes last (faqs.urls), so a page at an address another view
    takes (“/faq/” is the archive's) would never be shown."""
    try:
        match = resolve(pages.path_of(url))
    except NoReverseMatch:
        raise forms.ValidationError("The address cannot have an empty part between two slashes.") from None
    except Resolver404:
        return None
    if match.view_name == SITE_PAGE_VIEW:
        return None
    return f"another page of the site (“{match.view_name}”)"


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class SitePageAdmin(FlatPageAdmin):
    form = SitePageForm
    fieldsets = (
        (None, {"fields": ("url", "title", "content", "sites")}),
        ("Advanced options", {"classes": ("collapse",), "fields": ("registration_required",)}),
    )
    list_display = ("title", "url", "registration_required")
    list_display_links = ("title",)

    def view_on_site(self, page: FlatPage) -> str:
        return site.absolute_url(pages.page_path(page))
