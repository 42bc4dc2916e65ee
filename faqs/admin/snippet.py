"""The change form's search snippet and social card: what `seo.build_head()` will emit
for the form's unsaved values, asked of the real builder, so no head rule is written
a second time in JavaScript. The meters' limits live here too; the page's script only
measures the title's width (a browser's job) and draws what this module says.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.forms import ModelForm
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from faqs import seo
from faqs.models import Question
from faqs.slugs import slug_from_title

# Google cuts titles at about 600 px of 20 px Arial, descriptions at about 158
# characters on desktop (fewer on phones: seo.DESCRIPTION_MAX_CHARS); Yoast's meters use
# the same figures.
TITLE_MAX_PX = 600
TITLE_MIN_PX = 200
DESCRIPTION_MIN_CHARS = 120
DESCRIPTION_MAX_CHARS = seo.DESCRIPTION_MAX_CHARS


@dataclass
class Snippet:
    title: str
    description: str
    description_derived: bool
    description_state: str  # good, amber or red
    description_advice: str
    url: str
    breadcrumb: str
    robots: str
    og_title: str
    og_description: str
    og_site_name: str
    indexed: bool


def description_meter(description: str) -> tuple[str, str]:
    length = len(description)
    if not length:
        return "red", "Missing: search engines will pick a passage themselves."
    if length < DESCRIPTION_MIN_CHARS:
        aim = f"{DESCRIPTION_MIN_CHARS}–{DESCRIPTION_MAX_CHARS}"
        return "amber", f"{length} characters: short; aim for {aim}."
    if length > DESCRIPTION_MAX_CHARS:
        return "red", f"{length} characters: search results cut it after about {DESCRIPTION_MAX_CHARS}."
    return "good", f"{length} characters: a good length."


def breadcrumb(url: str) -> str:
    """The URL as Google prints it above a result: host › path › parts."""
    parts = urlsplit(url)
    return " › ".join([parts.hostname or "", *[part for part in parts.path.split("/") if part]])


def snippet_for(question: Question) -> Snippet:
    """The snippet of an unsaved question: its answer sanitised and its description
    derived as a save would, nothing written."""
    question.prepare_content()
    if not question.slug:
        question.slug = slug_from_title(question.title) or "question"
    head = seo.build_head(seo.question_page(question))
    description = head.get("description", "")
    state, advice = description_meter(description)
    url = head.get("canonical") or head["og_url"]
    robots = head["robots"]
    return Snippet(
        title=head["title"],
        description=description,
        description_derived=not question.meta_description.strip() and bool(description),
        description_state=state,
        description_advice=advice,
        url=url,
        breadcrumb=breadcrumb(url),
        robots=", ".join(robots.values()),
        og_title=head["og_title"],
        og_description=head.get("og_description", ""),
        og_site_name=head["og_site_name"],
        indexed=robots["index"] == "index",
    )


def unsaved_question(form: ModelForm) -> Question:
    """The form's instance with every valid value of the form applied (as Django's
    _post_clean does before a save); invalid fields keep their stored value."""
    form.is_valid()
    return form.instance


def preview_response(form: ModelForm) -> JsonResponse:
    return JsonResponse(asdict(snippet_for(unsaved_question(form))))


def preview_panel(question: Question, endpoint: str) -> SafeString:
    """The panel on the change form, filled from the stored question; the script
    refreshes it from `endpoint` as the editor types."""
    context = {
        "snippet": snippet_for(copy.copy(question)),  # prepare_content() must not touch the form's
        "endpoint": endpoint,
        "title_max_px": TITLE_MAX_PX,
        "title_min_px": TITLE_MIN_PX,
        "description_max_chars": DESCRIPTION_MAX_CHARS,
    }
    return render_to_string("admin/faqs/question/snippet_preview.html", context)
