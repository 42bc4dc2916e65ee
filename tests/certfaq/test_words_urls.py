"""Each rule once: the word rules (tokeniser, stemmer, stop lists) live in faqs.words,
used by search and by the link checks alike; the search URL is built by one function;
a question's URL is read by the URL configuration that routes it, never by a regex."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from faqs.site import search_url
from faqs.words import stem
from links.resolve import question_slug
from links.words import anchor_matches, meaningful_words
from search import engine as search
from tests.factories import make_question

ROOT = Path(__file__).resolve().parents[2]
WORD_RULES = ROOT / "faqs" / "words.py"


def project_sources() -> list[Path]:
    return [
        path
        for package in ("faqs", "certfaq")
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings or bare strings (not code)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def strings_in_code(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal a module uses as a value (f-string parts
    included), docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prose = docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
    ]


# --- word rules ---------------------------------------------------------------------


@pytest.mark.django_db
def test_retakes_and_retaking_match_retake_in_the_anchor_check_as_in_search():
    title = "How many times can you retake the CMA exam?"
    make_question(title=title)

    for word in ("retakes", "retaking"):
        assert search.search(word).count == 1
        assert anchor_matches(word, title)
        assert meaningful_words(word) == {stem(word)} == meaningful_words("retake")


def test_only_the_word_rules_module_stems_tokenises_or_lists_stop_words():
    written_again = []
    for path in project_sources():
        if path == WORD_RULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            imported = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                imported = [node.module or ""]
            if any(name.startswith("snowballstemmer") for name in imported):
                written_again.append(f"{path.relative_to(ROOT)}:{node.lineno} imports a stemmer")
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [target.id for target in targets if isinstance(target, ast.Name)]
                if any("STOP_WORDS" in name for name in names):
                    written_again.append(f"{path.relative_to(ROOT)}:{node.lineno} lists stop words")
        for line, text in strings_in_code(path):
            if r"[^\W_]" in text:
                written_again.append(f"{path.relative_to(ROOT)}:{line} says what a word is")

    assert written_again == []


# --- URLs ---------------------------------------------------------------------------


def search_url_builders(path: Path) -> list[str]:
    """Where a module builds a `?s=` URL: a literal holding `?s=`, or a mapping or
    keyword named `s` (what urlencode turns into `s=`), outside faqs.site.search_url."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = {
        id(node)
        for function in tree.body
        if path == ROOT / "faqs" / "site.py" and getattr(function, "name", "") == "search_url"
        for node in ast.walk(function)
    }
    found = [f"{path.relative_to(ROOT)}:{line}" for line, text in strings_in_code(path) if "?s=" in text]
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Dict) and any(
            isinstance(key, ast.Constant) and key.value == "s" for key in node.keys
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Call) and any(keyword.arg == "s" for keyword in node.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_search_url_is_built_by_search_url_alone():
    builders = [place for path in project_sources() for place in search_url_builders(path)]
    templates = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "?s=" in path.read_text(encoding="utf-8")
    ]

    assert builders == []
    assert templates == []


def test_search_url_is_the_results_page_with_its_page_and_spelling_choice():
    assert search_url("cma retake") == "/resources/?s=cma+retake"
    assert search_url("a&b=c", page=2, as_typed=True) == "/resources/?s=a%26b%3Dc&paged=2&as_typed=1"
    assert search_url("") == "/resources/?s="


def test_no_module_reads_a_question_url_with_a_regex():
    """The question URL is `faq/<slug>/` in faqs.urls; reading it with a pattern of
    its own is a second copy that can drift from the route."""
    found = []
    for path in project_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            module = node.func.value
            if isinstance(module, ast.Name) and module.id in ("re", "regex") and node.args:
                pattern = node.args[0]
                if isinstance(pattern, ast.Constant) and "faq" in str(pattern.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")

    assert found == []


@pytest.mark.parametrize(
    ("rest", "slug"),
    [
        ("faq/Retake-Rules/", "retake-rules"),
        ("faq/retake-rules", "retake-rules"),  # the slash APPEND_SLASH would add
        ("faq/page/2/", None),  # the archive's second page
        ("faq/", None),
        ("faq-categories/cma/", None),
        ("faq/a/b/", None),
        ("", None),
    ],
)
def test_a_question_url_is_read_by_the_route_that_serves_it(rest, slug):
    assert question_slug(rest) == slug
