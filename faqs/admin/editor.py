"""The answer's rich-text editor (django-prose-editor: ProseMirror/Tiptap) and its
"link to a question" picker.

The editor offers only what the sanitiser keeps (a test holds the two together), so
what an editor sees is what readers get; `content.sanitize()` still cleans every save.
An answer using markup the editor cannot show (a responsive image's srcset, a
definition list, a heading's id, all kept by the sanitiser) opens in a plain HTML box
instead, because ProseMirror would silently drop what its schema lacks.
"""

from __future__ import annotations

import functools

from django import forms
from django.http import JsonResponse
from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.widgets import AdminProseEditorWidget

from faqs import content, site
from links.resolve import question_path
from search import engine as search

EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},  # h1 is the question itself
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Code": True,
    "CodeBlock": True,
    "HardBreak": True,
    "HorizontalRule": True,
    # Internal links are followed and open in place, as on the old site.
    "Link": {"enableTarget": False, "protocols": sorted(content.ALLOWED_PROTOCOLS)},
    # An image from the media library (its picker: media.picker), with its alt text and
    # an optional caption, as a <figure>; the page makes it responsive (media.inline).
    "Figure": {"pickerUrl": reverse_lazy("admin:media_image_picker")},
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,  # the source view, for the rare fix
    "History": True,
}
LINK_TARGETS_SHOWN = 8


@functools.cache
def editor_markup() -> dict:
    """The tags and attributes the editor writes, as nh3 arguments (fixed: computed once,
    not on every change form)."""
    return allowlist_from_extensions(expand_extensions(EXTENSIONS))


def unshowable_markup(clean_html: str) -> list[str]:
    """What of this answer the editor would drop on opening it: "dl", "h2 id" …"""
    allowed = editor_markup()
    tags, attributes = allowed["tags"], allowed.get("attributes", {})
    found = []
    for tag, attribute in sorted(content.markup_used(clean_html)):
        if tag not in tags:
            found.append(tag)
        elif attribute and attribute not in attributes.get(tag, ()):
            found.append(f"{tag} {attribute}")
    return list(dict.fromkeys(found))


class AnswerEditor(AdminProseEditorWidget):
    """The editor, with our picker's script and the admin's editor styles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, config={"extensions": EXTENSIONS}, preset="configurable", **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-link-targets"] = reverse("admin:faqs_question_link_targets")
        return context

    @property
    def media(self):
        return super().media + forms.Media(
            js=["faqs/admin/combobox.js", "faqs/admin/link-picker.js"], css={"all": ["faqs/admin/editor.css"]}
        )


class AnswerSource(forms.Textarea):
    """The plain HTML box for an answer the editor cannot show whole."""

    def __init__(self, unshowable: list[str]):
        super().__init__(attrs={"rows": 24, "class": "vLargeTextField answer-source"})
        self.unshowable = unshowable

    def render(self, name, value, attrs=None, renderer=None):
        notice = format_html(
            '<p class="help answer-source-notice">This answer uses markup the visual editor '
            "cannot show ({}), so it opens as HTML: nothing is lost.</p>",
            ", ".join(self.unshowable),
        )
        return notice + super().render(name, value, attrs, renderer)


def answer_widget(answer_html: str) -> forms.Widget:
    unshowable = unshowable_markup(answer_html)
    return AnswerSource(unshowable) if unshowable else AnswerEditor()


def link_targets(request) -> JsonResponse:
    """Published questions whose title or term names hold every typed word (the last
    one as a beginning), best first, from the site's search engine: internal links
    are what this site lives on."""
    rows = search.title_matches(request.GET.get("q", ""), limit=LINK_TARGETS_SHOWN)
    results = [{"title": row.title, "url": site.absolute_url(question_path(row.slug))} for row in rows]
    return JsonResponse({"results": results})
