"""Headers and sign-in throttling: a Content Security Policy and a Permissions-Policy on
every response, public and admin; django-axes locking the admin's sign-in after ten
wrong passwords, saying so, until the cool-off ends or a command lifts it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from certfaq import config
from faqs import content
from faqs.models import Question
from faqs.views import server_error
from tests.certfaq.test_config import production_env, run_manage
from tests.factories import make_question, make_staff_user
from tests.faqs.test_e2e import DEMO_SLUG, open_page
from wordpress.demo import load_demo

PROJECT = Path(__file__).resolve().parents[2]
LOGIN = reverse("admin:login")
PASSWORD = "a-long-editor-password-1"
LOCKED = "Too many failed sign-in attempts"
WRONG = "Please enter the correct username and password"
SHOTS = Path("/tmp/shots/security")


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


def sign_in(client, password: str, username: str = "editor"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/resources/admin/"})


def lock_out(client, username: str = "editor"):
    """Ten wrong passwords; the tenth answer is the lock-out page."""
    for attempt in range(9):
        response = sign_in(client, f"wrong-{attempt}", username)
        assert response.status_code == 200 and WRONG in response.content.decode(), attempt
    return sign_in(client, "wrong-9", username)


# --- Content Security Policy and Permissions-Policy -----------------------------------


@pytest.mark.django_db
def test_every_page_public_and_admin_carries_a_policy_without_inline_script(client, admin_client):
    question = make_question(slug="with-policy")
    responses = {
        "home": client.get("/resources/"),
        "question": client.get(question.get_absolute_url()),
        "not found": client.get("/resources/faq/missing/"),
        "health": client.get("/resources/health/"),
        "sign-in": client.get(LOGIN),
        "change form": admin_client.get(reverse("admin:faqs_question_change", args=[question.pk])),
    }
    for name, response in responses.items():
        assert response.status_code == (404 if name == "not found" else 200), name
        directives = policy(response)
        if name == "change form":  # the editor's import map carries the nonce
            assert directives["script-src"][0] == "'self'" and len(directives["script-src"]) == 2, name
            assert directives["script-src"][1].startswith("'nonce-"), name
            assert str(response.context["request"].csp_nonce) in directives["script-src"][1]
        else:
            assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'", django_settings.TIPTAP_BASE_STYLE], name
        assert directives["style-src-attr"] == ["'unsafe-inline'"], name
        assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"], name
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], name
        assert "Content-Security-Policy-Report-Only" not in response, name


@pytest.mark.django_db
def test_gone_and_server_error_pages_take_their_style_from_a_file(client, rf):
    make_question(slug="removed").delete()
    gone = client.get("/resources/faq/removed/")
    assert gone.status_code == 410 and policy(gone)["style-src"] == [
        "'self'",
        django_settings.TIPTAP_BASE_STYLE,
    ]
    for html in (gone.content.decode(), server_error(rf.get("/resources/")).content.decode()):
        assert "<style" not in html and 'href="/resources/static/css/site.css"' in html


def test_answers_cannot_carry_the_style_attributes_the_policy_allows():
    assert content.sanitize('<p style="position:fixed;inset:0">Hi</p>') == "<p>Hi</p>"


@pytest.mark.django_db
def test_every_response_turns_off_the_browser_features_the_site_never_uses(client, admin_client):
    for response in (client.get("/resources/"), admin_client.get("/resources/admin/")):
        features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", feature


HEADERS_SCRIPT = (
    "from django.test import Client; from django.test.utils import setup_test_environment;"
    "setup_test_environment(); r = Client().get('/resources/health/', secure=True);"
    "print(r.get('Content-Security-Policy')); print(r.get('Content-Security-Policy-Report-Only'))"
)


def test_report_only_mode_and_extra_sources_come_from_the_environment(tmp_path):
    env = {
        **production_env(tmp_path),
        "CSP_REPORT_ONLY": "true",
        "CSP_EXTRA_SOURCES": "img-src https://img.example.com data:; media-src https://video.example.com",
        "CSP_REPORT_URI": "https://reports.example.com/csp",
    }
    result = run_manage("shell", "-v", "0", "-c", HEADERS_SCRIPT, env=env)
    enforced, report_only = result.stdout.strip().splitlines()[-2:]
    assert enforced == "None", result.stderr[-2000:]
    assert "img-src 'self' https://img.example.com data:" in report_only
    assert "media-src 'self' https://video.example.com" in report_only
    assert "script-src 'self';" in report_only
    assert report_only.endswith("; report-uri https://reports.example.com/csp")


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("CSP_REPORT_ONLY", "maybe", "CSP_REPORT_ONLY must be true or false"),
        (
            "CSP_EXTRA_SOURCES",
            "script-src 'unsafe-eval'",
            "CSP_EXTRA_SOURCES: \"'unsafe-eval'\" in script-src",
        ),
        ("LOGIN_FAILURE_LIMIT", "0", "LOGIN_FAILURE_LIMIT must be a whole number of at least 1"),
    ],
)
def test_bad_security_values_stop_the_site_naming_their_variable(tmp_path, variable, value, message):
    result = run_manage("check", env={**production_env(tmp_path), variable: value})
    assert result.returncode != 0 and message in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", {}),
        ("img-src https://img.example.com", {"img-src": ["https://img.example.com"]}),
        (
            " IMG-SRC https://*.example.com:8443/pics/ data: ; connect-src wss://live.example.com ;",
            {
                "img-src": ["https://*.example.com:8443/pics/", "data:"],
                "connect-src": ["wss://live.example.com"],
            },
        ),
        ("script-src https://js.example.com", {"script-src": ["https://js.example.com"]}),
    ],
)
def test_extra_sources_are_read_as_in_the_header(raw, expected):
    assert config.csp_extra_sources({"CSP_EXTRA_SOURCES": raw}) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "script-src 'unsafe-inline'",
        "style-src 'unsafe-inline'",
        "script-src https:",  # any script from anywhere
        "script-src data:",
        "img-src *",
        "img-src",
        "sandbox allow-scripts",
        "img-src javascript:alert(1)",
        "img-src https://ex ample.com",
        "connect-src https://example.com/a;b",
    ],
)
def test_extra_sources_that_would_undo_the_policy_are_refused(raw):
    with pytest.raises(config.ConfigError, match="CSP_EXTRA_SOURCES"):
        config.csp_extra_sources({"CSP_EXTRA_SOURCES": raw})


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "//reports.example.com", "reports", "/a b"])
def test_a_report_uri_must_be_a_url_or_a_path(raw):
    with pytest.raises(config.ConfigError, match="CSP_REPORT_URI"):
        config.csp_report_uri({"CSP_REPORT_URI": raw})


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def test_our_templates_hold_no_inline_script_handler_or_style_element():
    """What the policy would block, caught before a browser has to: scripts and
    stylesheets belong in static files; JSON-LD data blocks are the one kind of
    <script> allowed."""
    templates = [*PROJECT.glob("templates/**/*.html"), *PROJECT.glob("faqs/**/templates/**/*.html")]
    assert templates
    found = [
        f"{path.relative_to(PROJECT)}: {match.group(0)[:60]}"
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, STYLE_ELEMENT)
        for match in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- Sign-in throttling ---------------------------------------------------------------


@pytest.mark.django_db
def test_ten_wrong_passwords_lock_the_sign_in_and_the_page_says_so(client):
    make_staff_user(password=PASSWORD)
    locked = lock_out(client)
    assert locked.status_code == 429
    assert "admin/login_locked.html" in [template.name for template in locked.templates]

    right = sign_in(client, PASSWORD)
    html = right.content.decode()
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert f"{LOCKED} for “editor”" in html and WRONG not in html
    assert re.search(r"locked until \d\d:\d\d UTC \(in 1[45]\xa0minutes\)", html), html
    assert 'id="login-form"' in html  # the form is still there for after the wait


@pytest.mark.parametrize("command", [["axes_reset_username", "editor"], ["axes_reset"]])
@pytest.mark.django_db
def test_the_reset_command_lifts_the_lock(client, command):
    make_staff_user(password=PASSWORD)
    assert lock_out(client).status_code == 429
    call_command(*command, stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/resources/admin/"
    assert client.get("/resources/admin/").status_code == 200


@pytest.mark.django_db
def test_the_lock_ends_by_itself_after_the_cool_off(client, settings):
    make_staff_user(password=PASSWORD)
    assert lock_out(client).status_code == 429
    # As if the cool-off (15 minutes by default) had passed since the last failure.
    last_failure = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=last_failure - timedelta(minutes=16))
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_tries_during_the_lock_do_not_prolong_it(client):
    make_staff_user(password=PASSWORD)
    lock_out(client)
    counted = AccessAttempt.objects.get()
    for _ in range(3):
        assert sign_in(client, "still-wrong").status_code == 429
    assert AccessAttempt.objects.get().attempt_time == counted.attempt_time
    assert AccessAttempt.objects.get().failures_since_start == 10


@pytest.mark.django_db
def test_a_lock_on_one_user_name_leaves_another_editor_free(client):
    make_staff_user(password=PASSWORD)
    make_staff_user(username="other", password=PASSWORD)
    lock_out(client)
    assert sign_in(client, PASSWORD, username="other").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_count(client):
    make_staff_user(password=PASSWORD)
    for attempt in range(9):
        sign_in(client, f"wrong-{attempt}")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for attempt in range(9):
        assert sign_in(client, f"wrong-{attempt}").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("username", ["x" * 300, "nul\x00byte", "", "ü" * 150, "' OR 1=1 --", "  "])
@pytest.mark.django_db
def test_odd_user_names_are_refused_or_locked_never_a_500(client, username):
    statuses = {sign_in(client, "wrong", username).status_code for _ in range(11)}
    assert statuses <= {200, 429}


@pytest.mark.django_db
def test_a_locked_sign_in_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    make_staff_user(password=PASSWORD)
    lock_out(client)
    with django_assert_max_num_queries(8):
        assert sign_in(client, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_login_limits_come_from_the_environment(tmp_path):
    code = "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    env = {**production_env(tmp_path), "LOGIN_FAILURE_LIMIT": "5", "LOGIN_COOLOFF_MINUTES": "90"}
    assert run_manage("shell", "-v", "0", "-c", code, env=env).stdout.split()[-2:] == ["5", "1:30:00"]


@pytest.mark.django_db
def test_the_test_clients_login_still_works_beside_axes(client):
    """A sign-in through the form carries a request; conftest's client hands one to
    authenticate() too, which django-axes' backend requires."""
    make_staff_user(password=PASSWORD)
    assert client.login(username="editor", password=PASSWORD)
    assert client.get("/resources/admin/").status_code == 200
    assert not client.login(username="editor", password="wrong")


# --- In chromium ------------------------------------------------------------------------

VIOLATION_LISTENER = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""
INJECT_INLINE_SCRIPT = "document.body.append(Object.assign(document.createElement('script'), {text: '1'}))"
READ_JSON_LD = "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
POLICY_WORDS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Permissions policy",
)


def watched_page(browser: Browser) -> tuple[Page, list[str]]:
    """A page and the list of policy problems it meets: the browser's console messages
    about the CSP or the Permissions-Policy as they come, and each page's
    securitypolicyviolation events once it has loaded (see visit())."""
    page, _ = open_page(browser, viewport={"width": 1280, "height": 900})
    page.context.add_init_script(VIOLATION_LISTENER)
    problems: list[str] = []

    def console(message) -> None:
        if any(word in message.text for word in POLICY_WORDS):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    return page, problems


def collect_violations(page: Page, problems: list[str]) -> None:
    page.wait_for_load_state("load")
    problems.extend(page.evaluate("window.cspViolations"))


def visit(page: Page, problems: list[str], url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response.status == status, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    collect_violations(page, problems)


@pytest.mark.browser
def test_no_page_breaks_the_policy_in_chromium(site, browser):
    """The public pages, the sign-in and the admin's screens (question list, change form
    with its link panels, link report, categories) run under the policy with nothing
    blocked: the admin's own scripts still work and JSON-LD is still readable."""
    load_demo()
    make_question(slug="removed").delete()
    make_staff_user(password=PASSWORD)
    page, problems = watched_page(browser)

    # The watch works: an inline script put into a page is blocked, and both the event
    # and the console say so.
    visit(page, problems, site)
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(INJECT_INLINE_SCRIPT)
    page.wait_for_function("window.cspViolations.length === 1")
    assert page.evaluate("window.cspViolations")[0].startswith("script-src-elem blocked inline")
    assert len(problems) == 1 and "Executing inline script violates" in problems.pop()

    for path in ["", "faq/", "?s=retake", "faq-categories/cma-exam/", "tag/retake/"]:
        visit(page, problems, site + path)
    visit(page, problems, site + "faq/no-such-question/", status=404)
    visit(page, problems, site + "faq/removed/", status=410)
    visit(page, problems, f"{site}faq/{DEMO_SLUG}/")
    graph = page.evaluate(READ_JSON_LD)["@graph"]
    types = {str(node["@type"]) for node in graph}
    assert {"BreadcrumbList", "WebSite"} <= types and any("FAQPage" in kind for kind in types), types

    admin = site + "admin/"
    visit(page, problems, admin + "login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(admin)
    collect_violations(page, problems)

    visit(page, problems, admin + "faqs/question/")
    # actions.js runs: "select all" ticks every row.
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select").first).to_be_checked()
    linking = Question.objects.get(slug=DEMO_SLUG)  # its answer links to another question
    visit(page, problems, admin + f"faqs/question/{linking.pk}/change/")
    expect(page.locator(".field-outgoing_links_table table")).to_be_visible()
    visit(page, problems, admin + "faqs/question/add/")
    visit(page, problems, admin + "faqs/question/link-report/")
    visit(page, problems, admin + "faqs/category/")
    visit(page, problems, admin + "redirects/redirect/")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_ten_wrong_passwords_in_the_sign_in_form_lock_it_until_the_command_lifts_it(site, browser):
    editor = make_staff_user(password=PASSWORD)
    admin = site + "admin/"
    page, _ = open_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(admin + "login/")

    def submit(password: str) -> int:
        page.get_by_label("Username").fill(editor.username)
        page.get_by_label("Password").fill(password)
        with page.expect_response(lambda response: response.request.method == "POST") as answer:
            page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")
        return answer.value.status

    for attempt in range(9):
        assert submit(f"wrong-{attempt}") == 200
        expect(page.locator(".errornote")).to_contain_text(WRONG)
    assert submit("wrong-9") == 429
    expect(page.get_by_role("alert")).to_contain_text(f"{LOCKED} for “{editor.username}”")

    assert submit(PASSWORD) == 429
    expect(page.get_by_role("alert")).to_contain_text("even the right password is refused")
    audit = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"]) for v in audit if v["impact"] in ("serious", "critical")] == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "login-locked-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(SHOTS / "login-locked-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    call_command("axes_reset_username", editor.username, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert submit(PASSWORD) == 302
    page.wait_for_url(admin)
    expect(page.get_by_role("link", name="Questions")).to_be_visible()
