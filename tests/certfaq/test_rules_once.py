"""Each rule once. Who may see a question is written in faqs/models/question.py (the
queryset's listed()/published()/in_sitemap(), the rows' is_public() and kin, and the SQL
fragments for raw queries); who may do what is written in faqs/permissions.py. These
tests read the source with `ast` and fail when either rule is written again elsewhere,
and check that the queryset and the row predicates give the same answers."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from faqs.models import Question
from tests.certfaq.test_architecture import PACKAGES
from tests.factories import make_question

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_HOME = Path("faqs/models/question.py")
PERMISSIONS_HOME = Path("faqs/permissions.py")

# The statuses the public may see, as the model names them and as they are stored.
PUBLIC_STATUS_NAMES = {"PUBLISHED", "SCHEDULED"}
PUBLIC_STATUS_VALUES = {Question.Status.PUBLISHED.value, Question.Status.SCHEDULED.value}
# A lookup comparing a publication date: `published_at__lte`, `question__published_at__gt`…
DATE_COMPARISON = re.compile(r"(^|__)published_at__(lt|lte|gt|gte)$")
# The same in SQL: `published_at <= %s`, `e.published_at > now()`…
SQL_DATE_COMPARISON = re.compile(r"published_at\s*(<=|>=|<|>)")
SQL_STATUS_TEST = re.compile(r"\bstatus\s*(=|IN\b)", re.IGNORECASE)
# The permissions the predicates in faqs/permissions.py stand for.
PERMISSION_NAME = re.compile(
    r"\bfaqs\.((publish|change|view|delete)_question)\b|\blinks\.add_offsite_redirect\b"
)


def project_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                files.append(path.relative_to(ROOT))
    return files


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (prose about a rule is no rule)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def strings(tree: ast.AST) -> list[ast.Constant]:
    skipped = docstrings(tree)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
    ]


def names_the_present(node: ast.AST) -> bool:
    """Whether an expression is (or uses) the present time: timezone.now(), now, self.now…"""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and "now" in part.id.lower():
            return True
        if isinstance(part, ast.Attribute) and "now" in part.attr.lower():
            return True
    return False


def is_public_status(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in PUBLIC_STATUS_NAMES
    return isinstance(node, ast.Constant) and node.value in PUBLIC_STATUS_VALUES


def fields_tested(node: ast.AST) -> set[str]:
    """The fields one filter call names as keywords, or one boolean expression reads."""
    if isinstance(node, ast.Call):
        return {keyword.arg for keyword in node.keywords if keyword.arg}
    if isinstance(node, ast.BoolOp):
        return {part.attr for part in ast.walk(node) if isinstance(part, ast.Attribute)}
    return set()


def visibility_rules_written(tree: ast.AST) -> list[str]:
    """Where a module writes who may see a question itself, with line numbers."""
    found = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        # A set of the statuses the public sees: (Status.PUBLISHED, Status.SCHEDULED).
        listed = isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts
        if listed and sum(is_public_status(element) for element in node.elts) >= 2:
            found.append(f"{where}: the public statuses listed")
        # Statuses filtered as a set: status__in=…, question__status__in=…
        if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("status__in"):
            found.append(f"{where}: {node.arg}=")
        # A publication date compared with now: published_at__lte=timezone.now()
        dated = isinstance(node, ast.keyword) and node.arg and DATE_COMPARISON.search(node.arg)
        if dated and names_the_present(node.value):
            found.append(f"{where}: {node.arg}= the present time")
        # The same in Python: question.published_at <= now
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            dated = any(isinstance(side, ast.Attribute) and side.attr == "published_at" for side in sides)
            if dated and any(names_the_present(side) for side in sides):
                found.append(f"{where}: published_at compared with the present time")
        # The sitemap's own half, side by side: filter(noindex=False, canonical_url=""),
        # or `not question.noindex and not question.canonical_url`.
        if {"noindex", "canonical_url"} <= fields_tested(node):
            found.append(f"{where}: noindex and canonical_url tested together")
    for node in strings(tree):
        if SQL_DATE_COMPARISON.search(node.value) or SQL_STATUS_TEST.search(node.value):
            found.append(f"line {node.lineno}: SQL tests a date or status itself: {node.value[:60]!r}")
    return found


def permission_rules_written(tree: ast.AST) -> list[str]:
    return [
        f"line {node.lineno}: {PERMISSION_NAME.search(node.value).group(0)}"
        for node in strings(tree)
        if PERMISSION_NAME.search(node.value)
    ]


def test_who_may_see_a_question_is_written_only_in_the_model_module():
    written = {
        str(path): rules
        for path in project_files()
        if path != VISIBILITY_HOME
        and (rules := visibility_rules_written(ast.parse((ROOT / path).read_text(encoding="utf-8"))))
    }
    assert written == {}, "call Question.objects.published()/listed()/in_sitemap(), is_public() & co."


def test_who_may_do_what_is_written_only_in_the_permissions_module():
    written = {
        str(path): rules
        for path in project_files()
        if path != PERMISSIONS_HOME
        and (rules := permission_rules_written(ast.parse((ROOT / path).read_text(encoding="utf-8"))))
    }
    assert written == {}, "call a predicate of faqs.permissions instead"


@pytest.mark.parametrize(
    "source",
    [
        "Question.objects.filter(status=Question.Status.PUBLISHED, published_at__lte=timezone.now())",
        "Entry.objects.filter(question__published_at__gt=now)",
        "LISTED = (Question.Status.PUBLISHED, Question.Status.SCHEDULED)",
        "visible = question.status in ('published', 'scheduled')",
        "rows = Question.objects.filter(pk__in=ids, status__in=LISTED)",
        "due = question.published_at <= timezone.now()",
        "sql = 'SELECT id FROM faqs_searchentry WHERE published_at <= %s'",
        "sql = f\"SELECT id FROM faqs_question WHERE status IN ('published', 'scheduled')\"",
        "Question.objects.published().filter(noindex=False, canonical_url='')",
        "shown = not question.noindex and not question.canonical_url",
    ],
)
def test_the_guard_sees_the_visibility_rule_written_again(source):
    assert visibility_rules_written(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "Question.objects.published().filter(pk=pk)",
        "Question.objects.in_sitemap()",
        "queryset.exclude(status=Question.Status.PUBLISHED)",  # the bulk action's own concern
        "entries.filter(published_at__lt=since)",  # paging by date, not visibility
        '"""Readers see published_at <= now."""',
    ],
)
def test_the_guard_lets_callers_of_the_rule_be(source):
    assert visibility_rules_written(ast.parse(source)) == []


@pytest.mark.parametrize(
    "source",
    [
        'user.has_perm("faqs.publish_question")',
        'if request.user.has_perm("faqs.change_question"): pass',
        'PERMISSION = "links.add_offsite_redirect"',
    ],
)
def test_the_guard_sees_a_permission_rule_written_again(source):
    assert permission_rules_written(ast.parse(source))


# --- the queryset and the row predicates agree ------------------------------------


@pytest.mark.django_db
def test_the_querysets_and_the_row_predicates_give_the_same_answers():
    now = timezone.now()
    questions = [
        make_question(status=status, published_at=when, noindex=noindex, canonical_url=canonical)
        for status in Question.Status.values
        for when in (None, now - timedelta(days=1), now + timedelta(days=1))
        for noindex, canonical in ((False, ""), (True, ""), (False, "https://example.com/original/"))
    ]
    for method, predicate in (
        ("listed", "is_listed"),
        ("published", "is_public"),
        ("in_sitemap", "is_in_sitemap"),
    ):
        by_query = set(getattr(Question.objects, method)().values_list("pk", flat=True))
        by_row = {question.pk for question in Question.objects.all() if getattr(question, predicate)()}
        assert by_query == by_row, method
    public = {question.pk for question in questions if question.is_public()}
    assert public and public < {question.pk for question in questions if question.is_listed()}
