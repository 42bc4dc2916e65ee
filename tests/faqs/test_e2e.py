"""End-to-end journeys in a real browser: Debian's chromium driven by Playwright.

The site runs in pytest-django's live server (a real HTTP server in a thread) on the
test database. Playwright's own browser download is not used: the tests launch
/usr/bin/chromium and fail loudly when it is missing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from faqs.models import Question
from tests.factories import make_staff_user
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# A demo question whose title holds the search word (see wordpress/demo_data/questions.json).
SEARCH_WORD = "retake"
DEMO_TITLE = "How Many Times Can You Retake the CMA Exam?"
DEMO_SLUG = "how-many-times-can-you-retake-the-cma-exam"
OTHER_TITLE_MATCH = "How Long Do You Have to Wait to Retake the NCLEX?"


@pytest.fixture
def allow_orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop in the main thread; without this,
    Django refuses ORM calls made by the test while the browser is open (the browser
    fixture's Chromium allows them for as long as it runs)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class Chromium:
    """One chromium for a run of browser tests in a test process: started by the first,
    stopped after the last (conftest's pytest_runtest_teardown), each test in its own
    contexts. The browser tests share one xdist group, so a run is the whole session.

    While Playwright runs, its event loop is current in this thread: Django's ORM is
    allowed beside it for as long (the tests' own setup and teardown use the database
    between two browser tests), and the database connections made meanwhile live in a
    context variable, not the thread-local Django uses otherwise."""

    def __init__(self) -> None:
        self.playwright = None
        self.browser: Browser | None = None
        self.async_unsafe: str | None = None

    @property
    def running(self) -> bool:
        return self.browser is not None

    def start(self) -> Browser:
        if self.browser is not None:
            return self.browser
        if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
            pytest.fail(
                f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                "(`make system-deps`, or `apt-get install chromium`). They are never skipped.",
                pytrace=False,
            )
        expect.set_options(timeout=TIMEOUT_MS)
        self.async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000
        )
        return self.browser

    def close_contexts(self) -> None:
        """What one test opened; and the database connections made beside the loop:
        left open, they would outlive the test database (PostgreSQL refuses to drop it)."""
        if self.browser is not None:
            for context in self.browser.contexts:
                context.close()
        connections.close_all()

    def stop(self) -> None:
        if self.browser is None:
            return
        try:
            self.close_contexts()
            self.browser.close()
        finally:
            self.playwright.stop()
            self.browser = self.playwright = None
            if self.async_unsafe is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self.async_unsafe


CHROMIUM_RUN = Chromium()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """The process's chromium (started at the first browser test, not per test); the
    contexts a test opens are closed after it, so each test starts with none."""
    try:
        yield CHROMIUM_RUN.start()
    finally:
        CHROMIUM_RUN.close_contexts()


class RequestsInFlight:
    """Counts the requests the live server is still answering. A page closed at a test's
    end may leave one running (a snippet preview, a presence mark): on SQLite's shared
    in-memory database it holds a table lock, and the flush between tests then fails
    with "database table is locked"."""

    def __init__(self, server) -> None:
        self.count, self.lock = 0, threading.Lock()
        answer = server.process_request_thread

        def counted(request, client_address) -> None:
            with self.lock:
                self.count += 1
            try:
                answer(request, client_address)
            finally:
                with self.lock:
                    self.count -= 1

        server.process_request_thread = counted

    def wait_until_idle(self, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while self.count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def site(django_db_setup, transactional_db, live_server, settings) -> Iterator[str]:
    """The site's home URL on the live server; absolute URLs point at it too.

    The test database is set up before the live server starts (as Django's
    LiveServerTestCase does), so on SQLite the server shares its in-memory database.
    After the test, its pages are closed (whichever fixture came first) and the
    database is flushed only once the server has answered every request it took."""
    server = live_server.thread.httpd
    if not hasattr(server, "requests_in_flight"):
        server.requests_in_flight = RequestsInFlight(server)
    home = live_server.url + reverse("faqs:home")
    settings.SITE_URL = home
    assert home == live_server.url + "/resources/"
    yield home
    CHROMIUM_RUN.close_contexts()  # no page asks for more
    server.requests_in_flight.wait_until_idle()


def open_page(browser: Browser, **context_options) -> tuple[Page, list[str]]:
    """A page in a fresh context (own cookies), plus the list of failed responses
    (4xx/5xx for the page or its stylesheet) it records as it goes."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    failures: list[str] = []

    def record(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failures.append(f"{response.status} {response.url}")

    page.on("response", record)
    return page, failures


def answer_editor(page: Page):
    """The answer's rich-text editor (ProseMirror's editable element) on a change form."""
    return page.locator(".field-content .ProseMirror[contenteditable=true]").first


def type_answer(page: Page, text: str) -> None:
    """Replace the answer with one paragraph of `text`, typed into the editor."""
    answer_editor(page).click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def breadcrumb_items(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("nav[aria-label=Breadcrumb] li").all_inner_texts()]


def breadcrumb_separator(page: Page) -> str:
    """The CSS-drawn separator before the second crumb (it is not in the HTML)."""
    return (
        page.locator("nav[aria-label=Breadcrumb] li")
        .nth(1)
        .evaluate("li => getComputedStyle(li, '::before').content")
        .strip('"')
    )


def test_visitor_searches_reads_a_question_and_browses_up(site, settings, browser):
    load_demo()
    page, failures = open_page(browser)

    response = page.goto(site)
    assert response.status == 200
    expect(page).to_have_title(f"{settings.SITE_NAME} - {settings.SITE_TAGLINE}")

    # One search box on every page, the header's (issue 20).
    expect(page.get_by_role("search")).to_have_count(1)
    search_box = page.get_by_role("banner").get_by_label("Search questions")
    search_box.fill(SEARCH_WORD)
    search_box.press("Enter")

    page.wait_for_url(f"{site}?s={SEARCH_WORD}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Search results for “{SEARCH_WORD}”")
    results = page.locator("main .card__title a")
    expect(results.first).to_be_visible()
    titles = results.all_inner_texts()
    # The two questions with the word in their title come first (the CMA one also has
    # it in a category and a tag); answer-only matches follow.
    assert titles[:2] == [DEMO_TITLE, OTHER_TITLE_MATCH], titles
    expect(page.locator(".result-count")).to_have_text(f"{len(titles)} questions found.")

    page.get_by_role("link", name=DEMO_TITLE, exact=True).click()
    question_url = f"{site}faq/{DEMO_SLUG}/"
    page.wait_for_url(question_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_TITLE)

    crumbs = page.locator("nav[aria-label=Breadcrumb]")
    expect(crumbs).to_be_visible()
    separator = breadcrumb_separator(page)
    assert separator == "›"
    assert f" {separator} ".join(breadcrumb_items(page)) == f"Home › faqs › {DEMO_TITLE}"

    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical.startswith(settings.SITE_URL)
    assert canonical == question_url

    crumbs.get_by_role("link", name="faqs", exact=True).click()
    page.wait_for_url(f"{site}faq/")
    expect(page.get_by_role("heading", level=1)).to_have_text("All questions")
    expect(page.get_by_role("link", name=DEMO_TITLE, exact=True)).to_be_visible()
    assert failures == []

    # Narrow phone: the question page must not scroll sideways.
    phone, phone_failures = open_page(browser, viewport={"width": 360, "height": 740})
    assert phone.goto(question_url).status == 200
    expect(phone.get_by_role("heading", level=1)).to_have_text(DEMO_TITLE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "question-360px.png"), full_page=True)
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"horizontal scroll at 360px: scrollWidth={scroll_width}"
    assert phone_failures == []


def test_editor_publishes_a_question_in_the_admin(site, settings, browser):
    load_demo()  # on PostgreSQL this also checks the id sequences were moved past id 549
    password = "a-long-editor-password-1"
    editor = make_staff_user(password=password)
    title = "Can You Bring a Calculator to the CMA Exam?"
    slug = "can-you-bring-a-calculator-to-the-cma-exam"
    admin_url = site + "admin/"

    page, failures = open_page(browser)
    page.goto(admin_url)
    page.wait_for_url(f"{admin_url}login/?next=/resources/admin/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(admin_url)
    expect(page.get_by_role("link", name="Questions")).to_be_visible()

    page.goto(f"{admin_url}faqs/question/add/")
    page.locator("input[name=title]").fill(title)
    answer_editor(page).click()
    page.keyboard.type("Yes: a small, non-programmable calculator is provided on screen.")
    page.locator("select[name=status]").select_option(label="Published")
    save = page.locator("input[name=_save]")
    # Counted at once (the page has loaded): a missing button means the form's HTML is
    # broken, and waiting for it would only hide that behind a timeout.
    assert save.count() == 1, (
        "the admin's add-question form has no Save button: the page's HTML is cut short "
        f"(visible text ends with {page.locator('body').inner_text()[-120:]!r})"
    )
    save.click()
    page.wait_for_url(f"{admin_url}faqs/question/")
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    saved = Question.objects.get(title=title)
    assert saved.slug == slug
    assert saved.status == Question.Status.PUBLISHED and saved.is_public()
    assert saved.author == editor

    # The editor sees it on the public archive, newest first, and opens it.
    assert page.goto(f"{site}faq/").status == 200
    expect(page.locator("main .card__title a").first).to_have_text(title)
    page.get_by_role("link", name=title, exact=True).click()
    question_url = f"{site}faq/{slug}/"
    page.wait_for_url(question_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".preview-banner")).to_have_count(0)
    assert failures == []

    # An anonymous visitor (fresh context: no session cookie) sees it too.
    visitor, visitor_failures = open_page(browser)
    response = visitor.goto(question_url)
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    assert visitor.locator("link[rel=canonical]").get_attribute("href") == question_url
    assert visitor_failures == []


PAGES_TO_AUDIT = [
    "",
    "faq/",
    f"faq/{DEMO_SLUG}/",
    "faq/what-happens-if-you-fail-the-cma-exam-2/",
    f"?s={SEARCH_WORD}",
    "faq-categories/cma-exam/",
    "tag/retake/",
    "faq/no-such-question/",
    "editorial-policy/",  # a site page (site_pages)
    "author/dana-whitfield/",  # an author page (people), ProfilePage
]


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_every_page_type_passes_an_accessibility_audit(site, browser, width):
    """axe-core (the engine behind browser accessibility checkers) finds no violation
    (contrast, landmarks, labels, heading order, …) on any page type, on a phone and
    on a desktop; each page has one h1, a skip link and no sideways scroll."""
    load_demo()
    page, _ = open_page(browser, viewport={"width": width, "height": 800})
    axe = Axe()
    for path in PAGES_TO_AUDIT:
        page.goto(site + path)
        result = axe.run(page)
        problems = [(v["id"], v["impact"], len(v["nodes"])) for v in result.response["violations"]]
        assert problems == [], f"{path}: {problems}"
        assert page.locator("h1").count() == 1, path
        assert page.locator("a.skip-link[href='#content']").count() == 1, path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
