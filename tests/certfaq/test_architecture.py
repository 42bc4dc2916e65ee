"""The shape of the code: dependencies point one way, and one save path writes
questions. Read from the source with `ast`, so an import hidden inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every top-level package of the project (apps moved out of faqs included), not tests.
PACKAGES = tuple(
    sorted(path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests")
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, anywhere in it (`from pkg import sub` names
    the submodule when there is one)."""
    found = set()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return {name for name in found if name in modules}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) for name, path in modules.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, frontier = set(), [start]
    while frontier:
        for name in graph.get(frontier.pop(), ()):
            if name not in seen:
                seen.add(name)
                frontier.append(name)
    return seen


def test_no_import_cycle_among_the_projects_modules(graph):
    cycles = sorted(name for name in graph if name in reachable(graph, name))
    assert cycles == []


def test_the_models_load_without_the_link_redirect_or_wordpress_code(graph):
    loaded = reachable(graph, "faqs.models") | {"faqs.models"}
    forbidden = ("links", "faqs.publishing", "wordpress")
    assert not {name for name in loaded if name.partition(".")[0] in forbidden or name.startswith(forbidden)}


def test_nothing_outside_the_wordpress_layer_imports_it(graph):
    # The URL configuration that includes its URLs is the one allowed door.
    importers = {
        name
        for name, imported in graph.items()
        if name.partition(".")[0] != "wordpress" and any(i.partition(".")[0] == "wordpress" for i in imported)
    }
    assert importers == set()


def test_the_url_configuration_includes_the_wordpress_urls_by_name():
    assert 'include("wordpress.urls")' in (ROOT / "faqs" / "urls.py").read_text(encoding="utf-8")


# The save path and the model are the only code that calls a question's save().
SAVE_PATH_MODULES = ("faqs.publishing", "faqs.models.question")
# Every other save() call must be on one of these receivers, known not to be a Question.
# A new one is added here only after reading the call: anything that may hold a
# question (a form, `self.instance`, `item`...) goes through publishing.save_question.
NON_QUESTION_RECEIVERS = {
    "super()": "a model's save() extending Model.save (not in class Question: see below)",
    "category": "publishing.save_category: a Category",
    "user": "the WordPress importer's inactive authors, accounts' people: a User",
    "reset_request": "accounts.passwords: Django's PasswordResetForm, which mails and writes nothing",
    "pending": "drafts.changes: a PendingChange, a live question's draft changes (the live row unwritten)",
    "person": "the WordPress importer's byline profiles: a people.Person",
    "default_storage": "media: a library file written through Django's storage API",
    "picture": "media.renditions: a Pillow image encoded into a rendition",
    "frames[0]": "media.uploads: a Pillow image (its frames) encoded into the stored file",
}
SAVE_METHODS = ("save", "save_base")


def save_calls(source: str) -> list[tuple[int, str, str | None]]:
    """Every `<receiver>.save(...)` (or `.save_base(...)`) call in `source`: its line,
    the receiver as written and the name of the class the call is in, if any."""
    calls = []

    def visit(node: ast.AST, in_class: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name)
                continue
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr in SAVE_METHODS
            ):
                calls.append((child.lineno, ast.unparse(child.func.value), in_class))
            visit(child, in_class)

    visit(ast.parse(source), None)
    return calls


def question_saves(source: str) -> list[int]:
    """Lines of save() calls that may write a Question: any receiver not known to be
    something else, and super().save() inside a class named Question."""
    return [
        line
        for line, receiver, in_class in save_calls(source)
        if receiver not in NON_QUESTION_RECEIVERS or (receiver == "super()" and in_class == "Question")
    ]


@pytest.mark.parametrize(
    "source",
    [
        "item.save()",
        "form.save()",
        "self.instance.save(update_fields=['status'])",
        "Question.save(imported_question)",
        "models.Model.save(question)",
        "question.save_base(raw=True)",
        "class Question(models.Model):\n    def save(self):\n        super().save()",
    ],
)
def test_the_save_path_guard_sees_any_receiver_that_may_be_a_question(source):
    assert question_saves(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "category.save()",
        "user.save()",
        "class Category(models.Model):\n    def save(self):\n        super().save()",
    ],
)
def test_the_save_path_guard_lets_known_other_models_save(source):
    assert question_saves(source) == []


def test_questions_are_written_only_through_the_save_path():
    """Outside the save path (and the model itself), no module calls save() on
    anything that may be a question: every writer goes through
    publishing.save_question/questions_written."""
    offenders = [
        f"{name}:{line}"
        for name, path in project_modules().items()
        if name not in SAVE_PATH_MODULES
        for line in question_saves(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
