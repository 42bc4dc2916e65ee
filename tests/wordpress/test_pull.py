"""import_wordpress https://…: a live WordPress site pulled through its REST API (a
stand-in WordPress on 127.0.0.1), with faults injected; the pull ends as a file import
of the same data ends, resumes after an interruption and changes nothing when re-run."""

import io
import json
import random
import signal
import socket
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from faqs.models import Category, Question
from media.models import Image
from people.models import Person
from tests.media.images import image_bytes
from tests.wordpress import generated_site
from tests.wordpress.standin import Fault, StandInWordPress
from tests.wordpress.wordpress_items import faq_item, term_item, write_json

pytestmark = pytest.mark.django_db

PASSWORD = "abcd EFGH 1234 ijkl MNOP 5678"  # an application password, as WordPress shows it
UPLOADS = "2024/01"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_pull(address: str, tmp_path: Path, *, stderr: io.StringIO | None = None, **options):
    """The command's output, errors and exit code; the spool in tmp_path unless told."""
    out, err = io.StringIO(), stderr or io.StringIO()
    options.setdefault("spool", str(tmp_path / "spool"))
    options = {name: value for name, value in options.items() if value is not None}
    try:
        call_command("import_wordpress", address, stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), error.returncode
    return out.getvalue(), err.getvalue(), 0


def site(count: int = 250, **options) -> StandInWordPress:
    questions = [faq_item(n, **{"faq-categories": [1 + n % 3]}) for n in range(1, count + 1)]
    return StandInWordPress(questions, [term_item(t) for t in (1, 2, 3)], **options)


def faq_offsets(standin: StandInWordPress) -> list[int]:
    return [int(seen.query["offset"]) for seen in standin.requests_to("wp/v2/faq")]


# --- discovery and paging


def test_finds_the_api_from_the_link_header_and_pages_through_every_question(tmp_path):
    with site(250) as standin:
        out, err, code = run_pull(standin.url, tmp_path)
    assert code == 0, err
    assert Question.objects.count() == 250 and Category.objects.count() == 3
    assert set(Question.objects.get(pk=7).categories.values_list("pk", flat=True)) == {2}
    assert "pulled: 3 categories, 250 questions in " in out
    assert "questions: 250 created" in out
    first = standin.requests_to("wp/v2/faq")[0].query
    assert (first["per_page"], first["orderby"], first["order"]) == ("100", "id", "asc")
    assert first["_embed"] == "author,wp:featuredmedia"  # the byline and the featured image
    assert faq_offsets(standin) == [0, 99, 198]  # one item of overlap a page
    assert not (tmp_path / "spool").exists()  # imported: the spool is gone


@pytest.mark.parametrize(
    "permalinks, given",
    [(True, "api_root"), (False, "url"), (False, "api_root")],
    ids=["wp-json root given", "rest_route from the Link header", "rest_route root given"],
)
def test_finds_the_api_given_its_root_or_in_the_rest_route_form(tmp_path, permalinks, given):
    with site(120, permalinks=permalinks) as standin:
        _, err, code = run_pull(getattr(standin, given), tmp_path)
        home_read = bool(standin.requests_to("home"))
    assert code == 0, err
    assert Question.objects.count() == 120
    assert home_read == (given == "url")


def test_signed_in_the_pull_takes_drafts_pending_private_and_scheduled_questions(tmp_path, monkeypatch):
    monkeypatch.setenv("WORDPRESS_APP_PASSWORD", PASSWORD)
    writer = {
        "id": 7,
        "name": "Dana Reyes",
        "slug": "dana-reyes",
        "description": "CMA since 2015.",
        "url": "",
    }
    statuses = ["publish", "draft", "pending", "private", "future"]
    questions = [
        faq_item(n, status=status, author=7, _embedded={"author": [writer]})
        for n, status in enumerate(statuses, start=1)
    ]
    questions[-1].update(date="2099-01-01T08:00:00", date_gmt="2099-01-01T08:00:00")  # due later
    with StandInWordPress(questions, credentials=("editor", PASSWORD)) as standin:
        _, err, code = run_pull(standin.url, tmp_path, user="editor")
        asked = standin.requests_to("wp/v2/faq")[0].query
    assert code == 0, err
    assert (asked["context"], asked["status"]) == ("edit", "any")
    assert sorted(Question.objects.values_list("status", flat=True)) == sorted(
        ["published", "draft", "pending", "private", "scheduled"]
    )
    assert Person.objects.get(pk=7).name == "Dana Reyes"  # the byline, from the embedded user
    assert set(Question.objects.values_list("written_by_id", flat=True)) == {7}


def test_without_signing_in_only_published_questions_come(tmp_path):
    questions = [faq_item(1), faq_item(2, status="draft")]
    with StandInWordPress(questions, credentials=("editor", PASSWORD)) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
        asked = standin.requests_to("wp/v2/faq")[0].query
    assert code == 0, err
    assert "context" not in asked and "status" not in asked
    assert list(Question.objects.values_list("pk", flat=True)) == [1]


# --- faults


@pytest.mark.parametrize(
    "fault, said",
    [
        ("500", "HTTP 500: internal_server_error"),
        ("429", "HTTP 429: too_many_requests"),
        ("malformed", "a malformed page: not JSON"),
        ("hang", "no complete answer (TimeoutError"),
    ],
)
def test_a_passing_fault_is_retried_and_nothing_is_lost(tmp_path, fault, said):
    with site(250, hang_seconds=5) as standin:
        standin.faults = {2: Fault(fault)}
        _, err, code = run_pull(standin.url, tmp_path, timeout=1.0)
        faq = standin.requests_to("wp/v2/faq")
    assert code == 0, err
    assert Question.objects.count() == 250
    assert f"retrying: {said}" in err
    if fault == "hang":
        return  # the hung request is logged when it ends, after the pull
    assert faq_offsets(standin) == [0, 99, 99, 198]  # the same page asked again
    if fault == "429":
        assert faq[2].at - faq[1].at >= 1.0  # Retry-After: 1 honoured


def test_a_page_malformed_on_every_try_is_reported_and_the_pull_stops(tmp_path):
    with site(250) as standin:
        standin.faults = {2: Fault("malformed"), 3: Fault("malformed")}
        out, err, code = run_pull(standin.url, tmp_path, tries=2)
    assert code == 1
    assert "a malformed page: not JSON" in err and "gave up after 2 tries" in err
    assert "offset=99" in err  # the page named
    assert Question.objects.count() == 0
    assert (tmp_path / "spool" / "state.json").exists()  # kept, to resume


def test_questions_deleted_and_added_mid_pull_skip_nothing(tmp_path):
    """Two questions of the first page are deleted before the second is read: page
    numbers would now start one item later and skip question 101 (and 102); the
    pull steps back, then takes the questions published meanwhile too."""
    added = tuple(faq_item(n) for n in range(301, 311))
    with site(300) as standin:
        standin.faults = {2: Fault("change", removed=(10, 20), added=added)}
        _, err, code = run_pull(standin.url, tmp_path)
    assert code == 0, err
    assert set(Question.objects.values_list("pk", flat=True)) == set(range(1, 311))
    assert faq_offsets(standin)[:3] == [0, 99, 0]  # the overlap failed: one page back


def test_an_interrupted_pull_resumes_where_it_stopped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default spool: .wordpress-pull/<host> in the working directory
    with site(450) as standin:
        standin.faults = {3: Fault("down")}
        _, err, code = run_pull(standin.url, tmp_path, spool=None, tries=2)
        assert code == 1 and "Run the same command again to resume" in err
        assert Question.objects.count() == 0
        spool = next((tmp_path / ".wordpress-pull").iterdir())
        assert json.loads((spool / "state.json").read_text())["collections"]["faq"]["items"] == 199
        standin.heal()
        before = len(standin.requests_to("wp/v2/faq"))
        out, err, code = run_pull(standin.url, tmp_path, spool=None)
        resumed = faq_offsets(standin)[before:]
    assert code == 0, err
    assert "resuming the pull begun" in err and "202 items already fetched" in err  # 3 terms, 199 questions
    assert resumed == [198, 297, 396]  # only the pages it did not have
    assert Question.objects.count() == 450
    assert not spool.exists()


@pytest.fixture
def ctrl_c_interrupts():
    """Ctrl-C raises KeyboardInterrupt, as in a terminal. A suite started in the
    background (`make test &`, a CI runner's shell) inherits SIGINT ignored, and Python
    then installs no handler: the simulated Ctrl-C would be lost."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_keeps_what_was_fetched_and_the_same_command_resumes(tmp_path, ctrl_c_interrupts):
    assert threading.current_thread() is threading.main_thread()  # where SIGINT lands
    with site(450, hang_seconds=5) as standin:
        standin.faults = {3: Fault("interrupt")}
        _, err, code = run_pull(standin.url, tmp_path)
        assert code == 130 and "interrupted. What was fetched is kept" in err
        assert Question.objects.count() == 0
        before = len(standin.requests_to("wp/v2/faq"))
        _, err, code = run_pull(standin.url, tmp_path)
        resumed = faq_offsets(standin)[before:]
    assert code == 0, err
    assert resumed == [198, 297, 396]
    assert Question.objects.count() == 450


def test_a_second_pull_changes_nothing_and_says_so(tmp_path):
    with site(250) as standin:
        run_pull(standin.url, tmp_path)
        before = list(Question.objects.order_by("pk").values())
        out, err, code = run_pull(standin.url, tmp_path)
    assert code == 0, err
    assert "questions: 0 created, 0 updated, 250 unchanged" in out
    assert "categories: 0 created, 0 updated, 3 unchanged" in out
    assert "nothing changed" in out
    assert list(Question.objects.order_by("pk").values()) == before


def test_a_dry_run_pull_writes_nothing_and_says_what_it_would_do(tmp_path):
    with site(250) as standin:
        out, err, code = run_pull(standin.url, tmp_path, dry_run=True)
    assert code == 0, err
    assert "dry run, nothing written; would have: questions: 250 created" in out
    assert Question.objects.count() == 0 and Category.objects.count() == 0
    assert not (tmp_path / "spool").exists()


# --- progress


def test_progress_is_plain_lines_in_a_log(tmp_path):
    with site(1200) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("faq: ")]
    assert len(lines) == 2  # every 10 pages, and the last
    assert lines[0].startswith("faq: 991 of 1,200 items, 10 of 13 pages, ")
    assert lines[1].startswith("faq: 1,200 of 1,200 items, 13 of 13 pages, ")
    assert lines[1].endswith(" items/s, 0 s left")


def test_progress_is_one_line_rewritten_on_a_terminal(tmp_path):
    terminal = Terminal()
    with site(250) as standin:
        _, _, code = run_pull(standin.url, tmp_path, stderr=terminal)
    shown = terminal.getvalue()
    assert code == 0
    assert shown.count("\rfaq: ") == 3  # each page rewrites the line
    assert "\rfaq: 250 of 250 items, 3 of 3 pages, " in shown and "left" in shown


# --- images


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_site(standin_files: dict[str, bytes] | None = None) -> StandInWordPress:
    """A question showing a 300×200 variant of chart.jpg (attachment 123, described in
    wp/v2/media) and featuring fee-table.png (attachment 321, embedded), and one showing
    an image the site no longer has."""
    files = standin_files or {
        f"{UPLOADS}/chart.jpg": image_bytes("JPEG", (600, 400)),
        f"{UPLOADS}/chart-300x200.jpg": image_bytes("JPEG", (300, 200)),
        f"{UPLOADS}/fee-table.png": image_bytes("PNG", (200, 100)),
    }
    standin = StandInWordPress([], files=files)
    site_uploads = f"{standin.url}wp-content/uploads"
    chart = (
        f'<figure class="wp-block-image"><img src="{site_uploads}/{UPLOADS}/chart-300x200.jpg" '
        'alt="Pass rates" class="wp-image-123" width="300"><figcaption>CMA pass rates</figcaption></figure>'
    )
    gone = f'<p><img src="{site_uploads}/2023/12/gone.jpg" alt="Gone"></p>'
    attachments = [
        attachment(
            123, f"{site_uploads}/{UPLOADS}/chart.jpg", "Pass rates by year, 2020 to 2024", "Source: NHA"
        ),
        attachment(321, f"{site_uploads}/{UPLOADS}/fee-table.png", "Fee table for the exam", "Fees in 2024"),
    ]
    questions = [
        faq_item(7, content={"rendered": f"<p>Rates:</p>{chart}"}, featured_media=321),
        faq_item(8, content={"rendered": f"<p>Old:</p>{gone}"}),
    ]
    standin.hold(questions, attachments)
    return standin


def attachment(attachment_id: int, url: str, alt: str, caption: str) -> dict:
    return {
        "id": attachment_id,
        "type": "attachment",
        "media_type": "image",
        "title": {"rendered": f"Image {attachment_id}"},
        "source_url": url,
        "alt_text": alt,
        "caption": {"rendered": f"<p>{caption}</p>\n"},
        "media_details": {"file": url.split("/uploads/")[1]},
    }


def test_images_are_downloaded_into_the_library_with_alt_text_and_captions(tmp_path, media_root):
    with image_site() as standin:
        out, err, code = run_pull(standin.url, tmp_path)
        fetched = [seen.route for seen in standin.seen if seen.route.startswith("uploads/")]
        described = standin.requests_to("wp/v2/media")
    assert code == 0, err
    chart = Image.objects.get(wp_source=f"{UPLOADS}/chart.jpg")
    assert (chart.width, chart.height) == (600, 400)  # the original, not the variant shown
    assert (chart.alt_text, chart.caption) == ("Pass rates by year, 2020 to 2024", "Source: NHA")
    fees = Question.objects.get(pk=7).featured_image
    assert (fees.wp_source, fees.title, fees.alt_text) == (
        f"{UPLOADS}/fee-table.png",
        "Image 321",
        "Fee table for the exam",
    )
    assert f'<img src="{chart.file.url}" alt="Pass rates">' in Question.objects.get(pk=7).content
    assert sorted(fetched) == [
        "uploads/2023/12/gone.jpg",
        f"uploads/{UPLOADS}/chart.jpg",
        f"uploads/{UPLOADS}/fee-table.png",
    ]
    assert [seen.query["include"] for seen in described] == ["123"]  # 321 came embedded
    assert "images: 2 downloaded, 0 already in the library" in out
    assert "image http://127.0.0.1" in err and "gone.jpg not downloaded" in err and "HTTP 404" in err


def test_a_second_pull_downloads_no_image_the_library_has(tmp_path, media_root):
    with image_site() as standin:
        run_pull(standin.url, tmp_path)
        first = len(standin.seen)
        out, err, code = run_pull(standin.url, tmp_path)
        again = [seen.route for seen in standin.seen[first:] if seen.route.startswith("uploads/")]
    assert code == 0, err
    assert again == ["uploads/2023/12/gone.jpg"]  # still missing; the others are in the library
    assert "images: 0 downloaded, 2 already in the library" in out
    assert Image.objects.count() == 2


def test_an_image_over_the_upload_limit_is_not_downloaded(tmp_path, media_root, settings):
    settings.MEDIA_MAX_UPLOAD_MB = 1
    noise = random.Random(1).randbytes(1536 * 1024)  # gzip does not shrink it: over the limit either way
    huge = {f"{UPLOADS}/chart.jpg": noise, f"{UPLOADS}/fee-table.png": image_bytes("PNG")}
    with image_site(huge) as standin:
        out, err, code = run_pull(standin.url, tmp_path)
    assert code == 0, err
    assert "chart-300x200.jpg not downloaded: " in err and "chart.jpg: over MEDIA_MAX_UPLOAD_MB (1 MB)" in err
    assert list(Image.objects.values_list("wp_source", flat=True)) == [f"{UPLOADS}/fee-table.png"]


# --- clear errors


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    "address, said",
    [
        ("http://", "is not a web address to pull from"),
        ("ftp://example.org/resources/", "is not a web address to pull from"),
        ("https://exa mple.org:port/", "is not a web address to pull from"),
        ("http://127.0.0.1:{closed_port}/resources/", "cannot reach the site"),
        ("https://editor:s3cret@example.org/", "give the user with --user"),
    ],
)
def test_a_bad_address_is_a_clear_error(tmp_path, address, said):
    # The port is found when the test runs: the test's id stays the same on every xdist worker.
    address = address.replace("{closed_port}", str(closed_port()))
    _, err, code = run_pull(address, tmp_path, tries=1)
    assert code == 1 and said in err
    assert "Traceback" not in err and "s3cret" not in err


def test_a_site_that_is_not_wordpress_is_a_clear_error(tmp_path):
    with site(3, announce=False) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
        _, err_root, code_root = run_pull(standin.url + "wp-json/", tmp_path)
    assert code == 1 and "announces no WordPress REST API" in err
    assert code_root == 1 and "no such address (HTTP 404)" in err_root
    assert Question.objects.count() == 0


def test_a_wordpress_site_without_the_faq_post_type_in_its_api_is_a_clear_error(tmp_path):
    with site(3, routes=["/", "/wp/v2/posts"]) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
    assert code == 1 and "has no wp/v2/faq route" in err and "show_in_rest" in err


def test_a_site_without_the_categories_route_gives_placeholder_categories(tmp_path):
    with site(3, routes=["/", "/wp/v2/faq"]) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
    assert code == 0, err
    assert "warning: the site's API has no wp/v2/faq-categories" in err
    assert Question.objects.count() == 3 and Category.objects.count() == 3  # from the ids


def test_a_refused_application_password_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("WORDPRESS_APP_PASSWORD", "not it")
    with site(3, credentials=("editor", PASSWORD)) as standin:
        _, err, code = run_pull(standin.url, tmp_path, user="editor")
    assert code == 1
    assert "refused the sign-in (HTTP 401: incorrect_password" in err and "WORDPRESS_APP_PASSWORD" in err
    assert Question.objects.count() == 0


def test_a_site_whose_api_needs_a_sign_in_says_so(tmp_path):
    with site(3, sign_in_required=True) as standin:
        _, err, code = run_pull(standin.url, tmp_path)
    assert code == 1
    assert "the site's API needs a sign-in (HTTP 401: rest_not_logged_in" in err and "give --user" in err


def test_the_password_is_never_taken_from_the_command_line(tmp_path, monkeypatch):
    monkeypatch.delenv("WORDPRESS_APP_PASSWORD", raising=False)
    _, err, code = run_pull("https://example.org/", tmp_path, user="editor", password="secret")
    assert code == 1 and "--password is refused" in err
    _, err, code = run_pull("https://example.org/", tmp_path, user="editor")
    assert code == 1 and "needs the user's application password in WORDPRESS_APP_PASSWORD" in err


def test_pull_options_with_files_and_a_site_with_files_are_refused(tmp_path):
    items = write_json(tmp_path / "items.json", [faq_item(7)])
    for args, options, said in [
        ([str(items)], {"user": "editor"}, "--user and --spool are for pulling a site"),
        (["https://example.org/", str(items)], {}, "Give one site address to pull, or files"),
        (["https://example.org/"], {"media_dir": str(tmp_path)}, "--media-dir is for files"),
    ]:
        with pytest.raises(CommandError, match=said):
            call_command("import_wordpress", *args, stdout=io.StringIO(), stderr=io.StringIO(), **options)
    assert Question.objects.count() == 0


def test_the_password_is_not_sent_unencrypted_to_another_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("WORDPRESS_APP_PASSWORD", PASSWORD)
    _, err, code = run_pull("http://wordpress.example/wp-json/", tmp_path, user="editor")
    assert code == 1 and "would cross the network unencrypted" in err


def test_a_spool_folder_holding_other_files_is_refused(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with site(3) as standin:
        _, err, code = run_pull(standin.url, tmp_path, spool=str(tmp_path / "mine"))
    assert code == 1 and "holds files that are not a pull's" in err
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_a_spool_that_cannot_be_written_is_a_clear_error(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    with site(3) as standin:
        _, err, code = run_pull(standin.url, tmp_path, spool=str(tmp_path / "a-file" / "spool"))
    assert code == 1 and "cannot write the spool" in err and "a-file" in err
    assert "Traceback" not in err


# --- the whole site


def site_rows() -> dict:
    """What an import writes, in comparable form."""
    filed = Question.categories.through.objects.values_list("question_id", "category_id")
    tagged = Question.tags.through.objects.values_list("object_id", "tag__name")
    return {
        "questions": list(Question.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "filed": sorted(filed),
        "tagged": sorted(tagged),
    }


def file_import_rows(tmp_path: Path, items: list[dict], terms: list[dict]) -> dict:
    """The rows a file import of the same data makes, rolled back after reading them."""
    write_json(tmp_path / "terms.json", terms)
    write_json(tmp_path / "questions.json", items)
    with transaction.atomic():
        call_command("import_wordpress", str(tmp_path / "terms.json"), str(tmp_path / "questions.json"),
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
        rows = site_rows()
        transaction.set_rollback(True)
    assert Question.objects.count() == 0
    return rows


@pytest.mark.long
def test_a_pull_of_5000_questions_with_faults_ends_as_a_file_import_and_a_second_changes_nothing(tmp_path):
    short = (60, 180)  # words an answer: the pull is tested here, not the sanitiser
    terms, questions = generated_site.terms(), generated_site.questions(5000, words=short)
    published_meanwhile = generated_site.questions(10, first_id=5001, seed=1, words=short)
    expected = file_import_rows(tmp_path, questions + published_meanwhile, terms)
    assert len(expected["questions"]) == 5010 and len(expected["categories"]) == 30
    with StandInWordPress(questions, terms, hang_seconds=6) as standin:
        standin.faults = {
            3: Fault("500"),
            6: Fault("hang"),
            9: Fault("429"),
            12: Fault("malformed"),
            # Deleted after they were fetched: the pull keeps them, as a file export
            # taken before would; their going shifts every later page back.
            20: Fault("change", removed=(50, 51, 1000), added=tuple(published_meanwhile)),
        }
        out, err, code = run_pull(standin.url, tmp_path, timeout=2.0)
        assert code == 0, err
        assert err.count("retrying: ") == 4
        assert site_rows() == expected
        out, err, code = run_pull(standin.url, tmp_path, timeout=2.0)
    assert code == 0, err
    assert "questions: 0 created, 0 updated, 5007 unchanged" in out and "nothing changed" in out
    assert site_rows() == expected
