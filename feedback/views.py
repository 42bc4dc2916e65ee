"""The "Was this helpful?" endpoint: the question page's form posts here, with or
without JavaScript (static/feedback/helpful.js swaps the answer in place of the form).

CSRF: the endpoint is exempt from Django's token check, and refuses cross-site posts
itself. The question page is served to anonymous readers from the page cache and a
CDN, the same bytes for everyone: a token in its form (or the cookie that goes with
it) would make every page personal and uncacheable. The token would protect nothing
here: a vote carries no ambient authority (the endpoint reads no session, cookie or
user, and changes nothing anyone owns), so a forged vote is no more than a vote the
attacker could send themselves, and one client's votes are bounded (feedback.votes).
What is left, a third-party page making its visitors' browsers vote, is refused by
the browser's own headers: an `Origin` that is not this site's, or `Sec-Fetch-Site:
cross-site`, is a 403 and nothing is stored.

Each answer is made for this request only (`Cache-Control: private, no-store`) and
sets no cookie; the thanks is the POST's own answer (200), not a redirect to a GET
page: a token of the vote would then sit in a URL (history, logs, a Referer), and a
reload that re-posts is harmless (a repeated vote is not counted).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from faqs import seo
from faqs.models import Question
from feedback import votes
from feedback.forms import ReasonForm, VoteForm
from feedback.models import Vote


@csrf_exempt  # why: the module's docstring
def vote(request: HttpRequest, question_id: int) -> HttpResponse:
    """Step one: yes or no. The thanks page holds the reason form (step two)."""
    refused = refusal(request)
    if refused:
        return refused
    question = public_question(question_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return refuse(request, 400, "Choose “Yes” or “No” to say whether the answer helped.", question)
    helpful = form.cleaned_data["helpful"] == "yes"
    token = votes.record_vote(request, question, helpful)
    context = {"helpful": helpful, "token": token, "reasons": Vote.Reason.choices}
    return thanks(request, question, "feedback/thanks.html", context)


@csrf_exempt  # why: the module's docstring
def reason(request: HttpRequest, question_id: int) -> HttpResponse:
    """Step two: the optional reason and text, added once to the vote the token names
    (a token of this question's thanks)."""
    refused = refusal(request)
    if refused:
        return refused
    question = public_question(question_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        problems = " ".join(error for errors in form.errors.values() for error in errors)
        return refuse(request, 400, problems, question)
    vote_id = votes.use_token(form.cleaned_data["token"], question.pk)
    if vote_id is None:  # expired, used, forged or another question's: said the same
        return refuse(request, 400, "This form has expired. Thank you all the same.", question)
    votes.amend_vote(vote_id, form.cleaned_data["reason"], form.cleaned_data["comment"])
    return thanks(request, question, "feedback/thanks_final.html", {})


def public_question(question_id: int) -> Question:
    """The public question voted on, read by its primary key and asked `is_public()`
    (not through `published()`, which SQLite answers from the visibility index)."""
    question = (
        Question.objects.only("pk", "title", "slug", "status", "published_at").filter(pk=question_id).first()
    )
    if question is None or not question.is_public():
        raise Http404("No such question")
    return question


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer to a request this endpoint does not take, if it is one: not a POST
    (405), or sent by another site's page (403)."""
    if request.method != "POST":
        response = refuse(request, 405, "Feedback is sent with the form under an answer.")
        response["Allow"] = "POST"
        return response
    if is_cross_site(request):
        return refuse(request, 403, "Feedback is taken only from this site's own pages.")
    return None


def is_cross_site(request: HttpRequest) -> bool:
    """Sent by a page of another site: the browser says so (`Sec-Fetch-Site`), or names
    another origin (`Origin`: browsers send it with every POST). A request with neither
    (a script, an old browser) is not a browser's forged one: its votes are its own."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin not in own_origins(request)


def own_origins(request: HttpRequest) -> set[str]:
    """SITE_URL's origin, CSRF_TRUSTED_ORIGINS (the site's other public addresses), and
    the origin the request came to (its Host passed ALLOWED_HOSTS): what Django's CSRF
    check accepts too."""
    site = urlsplit(settings.SITE_URL)
    return {
        f"{site.scheme}://{site.netloc}",
        *settings.CSRF_TRUSTED_ORIGINS,
        f"{request.scheme}://{request.get_host()}",
    }


def thanks(request: HttpRequest, question: Question, template: str, context: dict) -> HttpResponse:
    page = seo.PageInfo(
        title=f"Thank you for your feedback - {settings.SITE_NAME}",
        path=request.path,
        crumbs=[
            seo.Crumb("Home", reverse("faqs:home")),
            seo.Crumb(question.title, question.get_absolute_url()),
            seo.Crumb("Your feedback"),
        ],
        description=f"Your feedback on “{question.title}” was sent. Tell us more if you like.",
        # As its X-Robots-Tag says (for_this_request): a page made for one reader's POST.
        noindex=True,
        nofollow=True,
    )
    context = {
        **context,
        "question": question,
        "head": seo.build_head(page),
        "crumbs": page.crumbs,
        "reason_url": reverse("faqs:feedback_reason", args=[question.pk]),
        "comment_max_chars": ReasonForm.base_fields["comment"].max_length,
    }
    return for_this_request(render(request, template, context))


def refuse(request: HttpRequest, status: int, message: str, question: Question | None = None) -> HttpResponse:
    """A readable page for a request the endpoint does not take; nothing was stored."""
    page = seo.PageInfo(
        title=f"Feedback not sent - {settings.SITE_NAME}",
        path=request.path,
        crumbs=[seo.Crumb("Home", reverse("faqs:home")), seo.Crumb("Feedback not sent")],
        description="Your feedback could not be sent.",
        noindex=True,
        nofollow=True,
    )
    context = {"message": message, "question": question, "head": seo.build_head(page), "crumbs": page.crumbs}
    return for_this_request(render(request, "feedback/refused.html", context, status=status))


def for_this_request(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
