"""faqs.site.slug_path: a question's, category's, tag's or author's address is the one
reverse() gives, found without searching the URLconf on each call, under any script
prefix and URLconf; and a question page names its related questions, terms and people
without a reverse() each."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.urls.resolvers import URLResolver

from faqs.site import slug_path
from people.models import Person
from tests.factories import make_category, make_question

SLUG_VIEWS = ["faqs:question", "faqs:category", "faqs:tag", "people:author"]
SLUGS = ["q-1", "ünïcode-é", "with space", "50%-off", "a'b(c)", "~:@!$&*+,;=", "?#", "x" * 300]


@pytest.fixture
def prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize("viewname", SLUG_VIEWS)
@pytest.mark.parametrize("script_prefix", ["/", "/resources/", "/a b/"])
def test_a_slug_path_is_the_path_reverse_gives(viewname, script_prefix, prefix):
    set_script_prefix(script_prefix)
    for slug in SLUGS:
        assert slug_path(viewname, slug) == reverse(viewname, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "a/b"])
def test_a_slug_reverse_would_refuse_is_refused(slug):
    with pytest.raises(NoReverseMatch):
        slug_path("faqs:question", slug)


def test_a_slug_path_follows_a_new_urlconf(settings):
    before = slug_path("faqs:question", "q-1")
    settings.ROOT_URLCONF = "tests.faqs.urls_elsewhere"
    assert slug_path("faqs:question", "q-1") == "/elsewhere/faq/q-1/" != before


@pytest.fixture
def reversed_views(monkeypatch) -> list:
    """The name of every view reverse() looks up from here on."""
    names = []
    real = URLResolver._reverse_with_prefix

    def recording(resolver, lookup_view, _prefix, *args, **kwargs):
        names.append(lookup_view)
        return real(resolver, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", recording)
    return names


@pytest.mark.django_db
def test_a_question_page_names_its_questions_terms_and_people_without_reverse(settings, reversed_views):
    settings.PAGE_CACHE, settings.PAGE_FRAGMENTS = False, False  # the page made anew each time
    category = make_category(slug="exams")
    author = Person.objects.create(name="Ana Diaz", slug="ana-diaz")
    shown = make_question(slug="shown", categories=[category], tags=["nclex", "rn"], written_by=author)
    for number in range(3):
        make_question(slug=f"related-{number}", categories=[category], tags=["nclex"])
    Client().get(shown.get_absolute_url())  # each address's pattern found once a process
    reversed_views.clear()
    page = Client().get(shown.get_absolute_url()).content.decode()
    for path in ["/resources/faq/related-1/", "/resources/faq-categories/exams/", "/resources/tag/nclex/"]:
        assert f'href="{path}"' in page
    assert 'href="/resources/author/ana-diaz/"' in page
    assert reversed_views and not {"question", "category", "tag", "author"} & set(reversed_views)
