"""The shape of the code: dependencies point one way, and one save path writes
questions. Read from the source with `ast`, so an import hidden inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project's apps (one job each) and the project package.
PACKAGES = (
    "certfaq", "faqs", "listings", "links", "search", "search_insights", "history", "editing", "http_cache",
    "wordpress",
)  # fmt: skip


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


def test_questions_are_written_only_through_the_save_path(graph):
    """Outside faqs.publishing (and the model itself), no module calls a question's
    save(): every writer goes through publishing.save_question/questions_written."""
    offenders = []
    for name, path in project_modules().items():
        if name in ("faqs.publishing", "faqs.models.question"):
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "save"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in ("question", "obj", "draft", "imported")
            ):
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []
