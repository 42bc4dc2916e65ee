"""Redirects come along: the CSV files Yoast SEO Premium and the Redirection plugin
export are imported through the redirect admin's checks (chains collapsed, loops
refused, another site only with the permission), and the site's redirects exported in
either format come back the same."""

import io
import json

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command

from links.models import InternalLink
from links.redirect_csv import plain_path_of_regex, read_redirects
from links.redirects import point
from tests.factories import make_editor, make_question

pytestmark = pytest.mark.django_db

YOAST_EXPORT = (
    '"Origin","Target","Type","Format"\n'
    '"/faq/old-cma-fees","/faq/cma-exam-fees/","301","plain"\n'
    '"/faq/retired-question","/","410","plain"\n'
    '"/faq/cpa-tips-2019","https://certilyst.com/resources/faq/cpa-tips/","301","plain"\n'
)
REDIRECTION_EXPORT = (
    "source,target,regex,code,type,hits,title,status\n"
    '"/resources/old-guide/","/resources/faq/guide/",0,301,"url",12,"","active"\n'
    '"/resources/moved-for-good/","/resources/faq/guide/",0,308,"url",0,"","active"\n'
    '"/resources/withdrawn/","",0,410,"error",3,"","active"\n'
    '"/resources/sale/","/resources/faq/offers/",0,302,"url",0,"Spring sale","active"\n'
    '"/resources/paused/","/resources/faq/guide/",0,301,"url",0,"","disabled"\n'
    '"/wp-content/uploads/old.pdf","/resources/faq/guide/",0,301,"url",0,"","active"\n'
    '"/resources/proxied/","/resources/faq/guide/",0,301,"pass",0,"","active"\n'
)


def run_import(tmp_path, content, *args) -> tuple[int, str, str]:
    """import_redirects on `content` (text or bytes) in a file: exit code, output, errors."""
    path = tmp_path / "redirects.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return run_command("import_redirects", str(path), *args)


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), f"{err.getvalue()}{error}"
    return 0, out.getvalue(), err.getvalue()


def stored() -> dict[str, str]:
    return dict(Redirect.objects.values_list("old_path", "new_path"))


# --- the two formats ----------------------------------------------------------------


def test_a_yoast_export_is_read_from_the_sites_path_as_yoast_reads_it(tmp_path, client):
    code, out, err = run_import(tmp_path, YOAST_EXPORT)
    assert (code, err) == (0, "")
    assert stored() == {
        "/resources/faq/old-cma-fees/": "/resources/faq/cma-exam-fees/",
        "/resources/faq/retired-question/": "",
        # The old origin's address is this site's: kept as its path.
        "/resources/faq/cpa-tips-2019/": "/resources/faq/cpa-tips/",
    }
    assert "3 imported" in out and "(yoast format)" in out
    # Yoast matched its origins with or without the trailing slash; so does the site.
    for old_address in ("/resources/faq/old-cma-fees/", "/resources/faq/old-cma-fees"):
        response = client.get(old_address)
        assert response.status_code == 301
        assert response["Location"].endswith("/resources/faq/cma-exam-fees/")
    assert client.get("/resources/faq/retired-question/").status_code == 410


def test_a_redirection_export_is_read_with_its_whole_paths_and_what_cannot_be_kept_is_reported(
    tmp_path, client
):
    code, out, err = run_import(tmp_path, REDIRECTION_EXPORT)
    assert code == 1
    assert stored() == {
        "/resources/old-guide/": "/resources/faq/guide/",
        "/resources/moved-for-good/": "/resources/faq/guide/",  # 308 kept as 301
        "/resources/withdrawn/": "",
    }
    assert "skipped line 5: 302 is a temporary redirect" in err
    assert "skipped line 6: the redirect is disabled in Redirection" in err
    assert "skipped line 7: /wp-content/uploads/old.pdf is outside the site's path /resources/" in err
    assert "skipped line 8: Redirection's “pass” action has no equivalent here" in err
    assert "3 imported" in out and "4 skipped" in out and "(redirection format)" in out
    assert client.get("/resources/old-guide/")["Location"] == "/resources/faq/guide/"
    assert client.get("/resources/withdrawn/").status_code == 410


def test_redirection_rows_need_no_header_nor_the_optional_columns(tmp_path):
    code, _, _ = run_import(tmp_path, "/resources/a/,/resources/b/\n/resources/c/,/resources/d/\n")
    assert code == 0
    assert stored() == {"/resources/a/": "/resources/b/", "/resources/c/": "/resources/d/"}


def test_a_bom_quoted_commas_and_excels_semicolons_are_read(tmp_path):
    yoast = (
        '\ufeff"Origin","Target","Type","Format"\r\n'
        '"/faq/fees,2024","/faq/fees/?years=2024,2025","301","plain"\r\n'
        '"/faq/say-""hi""","/faq/greeting/","301","plain"\r\n'
    )
    code, _, err = run_import(tmp_path, yoast)
    assert (code, err) == (0, "")
    assert stored() == {
        "/resources/faq/fees,2024/": "/resources/faq/fees/?years=2024,2025",
        "/resources/faq/say-%22hi%22/": "/resources/faq/greeting/",
    }
    Redirect.objects.all().delete()
    code, _, _ = run_import(tmp_path, "source;target;regex;code\n/resources/x/;/resources/y/;0;301\n")
    assert code == 0
    assert stored() == {"/resources/x/": "/resources/y/"}


def test_a_translated_yoast_header_is_told_by_the_rows_below_it(tmp_path):
    german = '"Ursprung","Ziel","Typ","Format"\n"/faq/alt","/faq/neu/","301","plain"\n'
    code, out, _ = run_import(tmp_path, german)
    assert code == 0 and "(yoast format)" in out
    assert stored() == {"/resources/faq/alt/": "/resources/faq/neu/"}


def test_non_ascii_addresses_are_kept_as_requests_name_them(tmp_path, client):
    code, _, _ = run_import(
        tmp_path, '"Origin","Target","Type","Format"\n"/faq/café","/faq/cafe/","301","plain"\n'
    )
    assert code == 0
    assert stored() == {"/resources/faq/caf%C3%A9/": "/resources/faq/cafe/"}
    assert client.get("/resources/faq/café/")["Location"] == "/resources/faq/cafe/"


# --- regular expressions --------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern, path",
    [
        ("^/old-page/?$", "/old-page/"),
        ("^/old-page/$", "/old-page/"),
        ("^/old-page$", "/old-page"),
        (r"^/guide\.html$", "/guide.html"),
        (r"^faq/old\-slug/?$", "faq/old-slug/"),
        ("^/guide.html$", None),  # an unescaped dot matches any character
        (r"^/faq/(\d+)/?$", None),
        ("^/old-.*$", None),
        ("/old-page/", None),  # unanchored: any address containing it
        ("^/old-page/", None),
        (r"\A\d+\Z", None),
        (r"^/price\$$", "/price$"),
        (r"^/price\$", None),  # the last dollar is a literal one: no end anchor
    ],
)
def test_a_regex_is_a_plain_address_only_when_it_names_one(pattern, path):
    assert plain_path_of_regex(pattern) == path


def test_plain_regexes_are_imported_as_addresses_and_real_ones_reported(tmp_path):
    yoast = (
        '"Origin","Target","Type","Format"\n'
        '"^faq/old-page/?$","/faq/new-page/","301","regex"\n'
        '"^/faq/(\\d+)/?$","/faq/$1/","301","regex"\n'
    )
    code, out, err = run_import(tmp_path, yoast)
    assert code == 1
    assert stored() == {"/resources/faq/old-page/": "/resources/faq/new-page/"}
    assert "1 of them from plain-path regexes" in out
    assert "skipped line 3: “^/faq/(\\d+)/?$” is a regular expression" in err
    Redirect.objects.all().delete()
    redirection = (
        '"source","target","regex","code"\n"^/resources/guide\\.html$","/resources/faq/guide/",1,301\n'
    )
    code, _, _ = run_import(tmp_path, redirection)
    assert code == 0
    assert stored() == {"/resources/guide.html": "/resources/faq/guide/"}


def test_redirection_guesses_a_regex_when_its_column_is_missing(tmp_path):
    code, _, err = run_import(tmp_path, "/resources/a/,/resources/b/\n/resources/(.*)/old,/resources/$1/\n")
    assert code == 1
    assert "line 2: “/resources/(.*)/old” is a regular expression" in err
    assert stored() == {"/resources/a/": "/resources/b/"}


# --- the admin's checks ------------------------------------------------------------------

OFFSITE = (
    '"Origin","Target","Type","Format"\n"/faq/partner-course","https://partner.example/cma/","301","plain"\n'
)


def test_a_redirect_to_another_site_needs_the_permission_of_the_user_named(tmp_path):
    code, _, err = run_import(tmp_path, OFFSITE)
    assert code == 1
    assert "partner.example is another site: a redirect there needs the permission" in err
    make_editor("redirects.add_redirect", username="plain-editor")
    assert run_import(tmp_path, OFFSITE, "--user", "plain-editor")[0] == 1
    assert stored() == {}
    make_editor("redirects.add_redirect", "links.add_offsite_redirect", username="trusted")
    code, _, err = run_import(tmp_path, OFFSITE, "--user", "trusted")
    assert (code, err) == (0, "")
    assert stored() == {"/resources/faq/partner-course/": "https://partner.example/cma/"}


def test_addresses_no_permission_allows_are_refused_as_the_admin_refuses_them(tmp_path):
    make_editor("links.add_offsite_redirect", username="trusted")
    rows = '"/resources/a/","javascript:alert(1)",0,301\n"/resources/b/","//evil.example/",0,301\n'
    code, _, err = run_import(tmp_path, rows, "--user", "trusted")
    assert code == 1 and stored() == {}
    assert err.count("Enter a path on this site") == 2


def test_an_unknown_user_is_a_clear_error(tmp_path):
    code, _, err = run_import(tmp_path, OFFSITE, "--user", "nobody")
    assert code == 1 and "--user nobody: no such user" in err


def test_a_published_questions_address_gets_no_redirect(tmp_path):
    make_question(slug="still-here")
    code, _, err = run_import(tmp_path, "/resources/faq/still-here/,/resources/faq/elsewhere/\n")
    assert code == 1 and stored() == {}
    assert "/resources/faq/still-here/ is a published question's address" in err


def test_chains_collapse_through_the_file_and_the_site(tmp_path):
    point("/resources/older/", "/resources/a/")  # already here, leads to an address the file moves
    rows = (
        "/resources/a/,/resources/b/\n"
        "/resources/b/,/resources/c/\n"
        "/resources/d/,/resources/gone/\n"
        '/resources/gone/,"",0,410\n'
    )
    code, out, err = run_import(tmp_path, rows)
    assert (code, err) == (0, "")
    assert stored() == {
        "/resources/older/": "/resources/c/",
        "/resources/a/": "/resources/c/",
        "/resources/b/": "/resources/c/",
        "/resources/d/": "",  # through a 410: gone too
        "/resources/gone/": "",
    }
    assert "4 imported" in out and "3 collapsed" in out


def test_loops_are_refused(tmp_path):
    point("/resources/x/", "/resources/y/")
    rows = (
        "/resources/a/,/resources/b/\n"
        "/resources/b/,/resources/a\n"  # back to /a/ through APPEND_SLASH
        "/resources/y/,/resources/x/\n"  # the site already sends x to y
    )
    code, _, err = run_import(tmp_path, rows)
    assert code == 1
    assert "line 1: /resources/a/ → /resources/b/ → /resources/a/ would loop; refused" in err
    assert "line 2: /resources/b/ → /resources/a/ → /resources/b/ would loop; refused" in err
    # Through the site's own redirect: the admin's form refuses it (links.redirect_admin).
    loop = "/resources/y/ → /resources/x/ → /resources/y/"
    assert f"line 3: Redirect to: This would make a loop: {loop}." in err
    assert stored() == {"/resources/x/": "/resources/y/"}
    code, _, err = run_import(
        tmp_path, '"Origin","Target","Type","Format"\n"/faq/self","/faq/self/","301","plain"\n'
    )
    assert code == 1 and "would make a loop: /resources/faq/self/ → /resources/faq/self/" in err


def test_a_second_import_changes_nothing(tmp_path):
    rows = "/resources/a/,/resources/b/\n/resources/b/,/resources/c/\n/resources/a/,/resources/b/\n"
    assert run_import(tmp_path, rows)[0] == 0
    before = list(Redirect.objects.order_by("pk").values_list("pk", "old_path", "new_path"))
    code, out, err = run_import(tmp_path, rows)
    assert (code, err) == (0, "")
    assert "0 imported" in out and "3 unchanged" in out and "0 collapsed" in out
    assert list(Redirect.objects.order_by("pk").values_list("pk", "old_path", "new_path")) == before


def test_a_different_redirect_here_is_reported_or_replaced_on_request(tmp_path):
    point("/resources/a/", "/resources/b/")
    rows = "/resources/a/,/resources/c/\n/resources/b/,/resources/a/\n"
    code, _, err = run_import(tmp_path, rows)
    assert code == 1
    assert "/resources/a/ already redirects to /resources/b/ here, the file says /resources/c/" in err
    assert "--replace" in err
    assert stored() == {"/resources/a/": "/resources/b/"}
    code, out, err = run_import(tmp_path, "/resources/a/,/resources/c/\n", "--replace")
    assert (code, err) == (0, "")
    assert "1 imported (1 replacing the site's)" in out
    assert stored() == {"/resources/a/": "/resources/c/"}


def test_two_rows_for_one_address_that_disagree_are_reported(tmp_path):
    code, _, err = run_import(tmp_path, "/resources/a/,/resources/b/\n/resources/a/,/resources/c/\n")
    assert code == 1
    assert "line 2: line 1 gives /resources/a/ another target" in err
    assert stored() == {"/resources/a/": "/resources/b/"}


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    point("/resources/older/", "/resources/a/")
    code, out, _ = run_import(
        tmp_path, "/resources/a/,/resources/b/\n/resources/sale/,/resources/x/,0,302\n", "--dry-run"
    )
    assert code == 1
    assert out.startswith("dry run, nothing written; would have: redirects: 1 imported")
    assert "1 collapsed" in out
    assert stored() == {"/resources/older/": "/resources/a/"}


def test_an_imported_redirect_moves_links_that_named_the_old_address(tmp_path):
    target = make_question(slug="new-home")
    make_question(content='<p>See <a href="/resources/faq/old-home/">the old page</a>.</p>')
    assert InternalLink.objects.get(target_slug="old-home").target_id is None
    code, _, _ = run_import(tmp_path, "/resources/faq/old-home/,/resources/faq/new-home/\n")
    assert code == 0
    link = InternalLink.objects.get(target_slug="old-home")
    assert link.target_id == target.pk and link.status == InternalLink.Status.REDIRECTED


# --- bad files ------------------------------------------------------------------------------


def test_malformed_rows_are_reported_by_line_and_the_rest_imported(tmp_path):
    yoast = (
        '"Origin","Target","Type","Format"\n'
        '"/faq/a","/faq/b/","301","plain"\n'
        '"/faq/c","/faq/d/","301"\n'
        '"/faq/e","/faq/f/","moved","plain"\n'
        '"/faq/g","/faq/h/","301","wildcard"\n'
        '"/faq/multi\nline","/faq/j/","301","plain"\n'
        '"/faq/k","/faq/l/","301","plain"\n'
        '"/faq/m","/faq/n/","301","plain" "oops"\n'
    )
    code, out, err = run_import(tmp_path, yoast)
    assert code == 1
    assert "skipped line 3: Yoast's rows have 4 columns (origin, target, type, format); this one has 3" in err
    assert "skipped line 4: the HTTP code is “moved”, not a number" in err
    assert "skipped line 5: the format is “wildcard”, not plain or regex" in err
    assert "skipped line 9: not valid CSV" in err
    # A line break in an address is dropped, as browsers drop it (the WHATWG URL rules).
    assert set(stored()) == {"/resources/faq/a/", "/resources/faq/multiline/", "/resources/faq/k/"}
    assert "3 imported" in out and "4 skipped" in out


@pytest.mark.parametrize(
    "row, message",
    [
        ('"/resources/a/","http://[::1/",0,301', "“http://[::1/” is not a valid address"),
        ('"http://[::1/a","/resources/b/",0,301', "“http://[::1/a” is not a valid address"),
        ('"/resources/a/","/resources/b/",0,"3\u00b901"', "the HTTP code is “3\u00b901”, not a number"),
        ('"/resources/a/","/resources/b/",yes,301', "the regex column is “yes”, not 0 or 1"),
        (
            f'"/resources/{"a" * 200}/","/resources/b/",0,301',
            "Redirect from: Ensure this value has at most 200",
        ),
        (
            '"https://old.example/a/","/resources/b/",0,301',
            "https://old.example/a/ is another site's address",
        ),
        ('"/resources/a/","",0,301', "the target is empty (only a 410 has none)"),
        ('"/resources/a/","/resources/b/",0,451', "HTTP 451 is not an answer this site gives"),
        ('"/resources/a/","/resources/b/",0,404', "404: an address nothing answers already gets one"),
        (
            f'"/resources/{"a" * 140_000}/","/resources/b/",0,301',
            "not valid CSV (field larger than field limit",
        ),
    ],
)
def test_odd_rows_are_reported_with_the_reason(tmp_path, row, message):
    code, _, err = run_import(
        tmp_path, f'"source","target","regex","code"\n{row}\n"/resources/c/","/resources/d/"\n'
    )
    assert code == 1 and f"skipped line 2: {message}" in err
    assert stored() == {"/resources/c/": "/resources/d/"}


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\n  \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "holds binary data, not CSV text"),
        ("Origin,Target\n/faq/caf\xe9,/faq/\n".encode("latin-1"), "is not UTF-8 text (byte 23)"),
        (b'{"old_path": "/resources/a/", "new_path": "/resources/b/"}', "is neither Yoast's redirect CSV"),
        (b"<html><body>Not found</body></html>\n", "is neither Yoast's redirect CSV"),
        (b"/resources/a/\n/resources/b/\n", "is neither Yoast's redirect CSV"),
        (b'"' + b"a" * 140_000 + b'"\n', "holds no rows of comma-separated values (line 1: not valid CSV"),
    ],
)
def test_a_file_that_is_no_redirect_csv_is_a_clear_error(tmp_path, content, message):
    code, out, err = run_import(tmp_path, content)
    assert code == 1 and message in err and out == ""
    assert stored() == {}


def test_a_missing_file_is_a_clear_error(tmp_path):
    code, _, err = run_command("import_redirects", str(tmp_path / "nowhere.csv"))
    assert code == 1 and "No such file or directory" in err


def test_a_header_alone_imports_nothing_and_succeeds(tmp_path):
    code, out, _ = run_import(tmp_path, '"Origin","Target","Type","Format"\n')
    assert code == 0 and "0 imported" in out


# --- export and the round trip ----------------------------------------------------------------


def site_redirects() -> None:
    """Redirects of every kind the site keeps: a slug move, a 410, a path outside the
    site's path, another site (with the permission), an address with a query."""
    point("/resources/faq/old-slug/", "/resources/faq/new-slug/")
    point("/resources/faq/deleted/", "")
    point("/resources/faq/to-shop/", "/shop/cma/")
    point("/resources/faq/partner/", "https://partner.example/cma/?ref=certilyst")
    point("/resources/old,page/", "/resources/faq/new-slug/#fees")


def test_yoast_export_is_written_as_yoast_writes_it(tmp_path):
    site_redirects()
    path = tmp_path / "yoast.csv"
    assert run_command("export_redirects", str(path))[0] == 0
    assert path.read_text(encoding="utf-8") == (
        '"Origin","Target","Type","Format"\n'
        '"/faq/deleted/","","410","plain"\n'
        '"/faq/old-slug/","/faq/new-slug/","301","plain"\n'
        '"/faq/partner/","https://partner.example/cma/?ref=certilyst","301","plain"\n'
        '"/faq/to-shop/","http://127.0.0.1:8000/shop/cma/","301","plain"\n'
        '"/old,page/","/faq/new-slug/#fees","301","plain"\n'
    )


def test_redirection_export_is_written_as_redirection_writes_it(tmp_path):
    point("/resources/faq/old-slug/", "/resources/faq/new-slug/")
    point("/resources/faq/deleted/", "")
    path = tmp_path / "redirection.csv"
    assert run_command("export_redirects", str(path), "--format", "redirection")[0] == 0
    assert path.read_text(encoding="utf-8") == (
        '"source","target","regex","code","type","hits","title","status"\n'
        '"/resources/faq/deleted/","",0,410,"error",0,"","active"\n'
        '"/resources/faq/old-slug/","/resources/faq/new-slug/",0,301,"url",0,"","active"\n'
    )


@pytest.mark.parametrize("file_format", ["yoast", "redirection"])
def test_export_then_import_into_an_empty_site_gives_the_same_redirects(tmp_path, file_format):
    site_redirects()
    before = stored()
    path = tmp_path / "export.csv"
    assert run_command("export_redirects", str(path), "--format", file_format)[0] == 0
    Redirect.objects.all().delete()
    make_editor("links.add_offsite_redirect", username="trusted")
    code, _, err = run_command("import_redirects", str(path), "--user", "trusted")
    assert (code, err) == (0, "")
    assert stored() == before


def test_a_path_outside_the_sites_path_is_left_out_of_yoasts_format_only(tmp_path):
    point("/old-blog/cma/", "/resources/faq/cma/")
    code, _, err = run_command("export_redirects", str(tmp_path / "yoast.csv"))
    assert code == 1 and "left out /old-blog/cma/: outside the site's path /resources/" in err
    assert run_command("export_redirects", str(tmp_path / "r.csv"), "--format", "redirection")[0] == 0
    assert "/old-blog/cma/" in (tmp_path / "r.csv").read_text(encoding="utf-8")


def test_an_export_agrees_with_the_wordpress_exports_redirects(tmp_path):
    site_redirects()
    assert run_command("export_wordpress", str(tmp_path / "site"))[0] == 0
    backup = json.loads((tmp_path / "site" / "redirects.json").read_text(encoding="utf-8"))
    assert run_command("export_redirects", str(tmp_path / "r.csv"), "--format", "redirection")[0] == 0
    _, rows, problems = read_redirects((tmp_path / "r.csv").read_bytes())
    assert problems == []
    assert [(row.old_path, row.new_path) for row in rows] == [
        (item["old_path"], item["new_path"]) for item in backup
    ]


def test_an_unwritable_export_path_is_a_clear_error(tmp_path):
    code, _, err = run_command("export_redirects", str(tmp_path / "no-folder" / "r.csv"))
    assert code == 1 and "No such file or directory" in err
