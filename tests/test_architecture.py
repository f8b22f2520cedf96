"""The import rules of docs/ARCHITECTURE.md, read from the source with ``ast``: the walk from a URL to SQL
and back goes one way (views → services → store / insights), and each layer imports only what
sits under it."""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "diary"


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """Every module ``path`` imports (absolute names; ``from x import y`` counts as x and x.y)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(path): imports_of(path) for path in PACKAGE.rglob("*.py")}


def within(name, *prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def offences(layer, *forbidden, allow=()):
    """``module imports name`` for each module of ``layer`` importing one of ``forbidden``."""
    return sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items() if within(module, layer)
        for name in names
        if within(name, *forbidden) and not within(name, *allow) and not within(name, module)
    )


def views_importing_views():
    return sorted(
        f"{module} imports {name}"
        for module, names in MODULES.items() if within(module, "diary.views") and module != "diary.views"
        for name in names
        if within(name, "diary.views") and name != "diary.views" and not within(name, module)
    )


RULES = {
    "no view imports another view": views_importing_views,
    "schemas never import the store (nor anything above it)": lambda: offences(
        "diary.schemas", "diary.store", "diary.db", "diary.services", "diary.views", "diary.web", "flask"),
    "insights are pure: no store, no views, no Flask, no SQL": lambda: offences(
        "diary.insights", "diary.store", "diary.db", "diary.services", "diary.views", "diary.web", "diary.schemas",
        "flask", "flask_login", "sqlite3", "sqlite_utils"),
    "the store never sees a request, a service or a view": lambda: offences(
        "diary.store", "diary.services", "diary.views", "diary.web", "diary.schemas", "flask", "flask_login"),
    "services never see a request or a view": lambda: offences(
        "diary.services", "diary.views", "diary.web", "flask", "flask_login"),
    "exports are pure formats": lambda: offences(
        "diary.exports", "diary.store", "diary.db", "diary.services", "diary.views", "diary.web", "flask"),
    "the web plumbing never imports a view": lambda: offences("diary.web", "diary.views"),
    "views and the web plumbing reach the store only through a service": lambda: (
        offences("diary.views", "diary.store") + offences("diary.web", "diary.store")),
    "vocabulary imports only messages": lambda: offences(
        "diary.vocabulary", "diary", allow=("diary.vocabulary", "diary.messages")),
    "messages import only timeutil": lambda: offences(
        "diary.messages", "diary", allow=("diary.messages", "diary.timeutil")),
    "migrations freeze their literal values (no constant of the app's)": lambda: offences(
        "diary.migrations", "diary", allow=("diary.migrations",)),
}


@pytest.mark.parametrize("rule", RULES)
def test_import_rule(rule):
    assert RULES[rule]() == []


def test_the_rules_see_an_offence(tmp_path, monkeypatch):
    """A view importing another view, and the store importing Flask, are caught."""
    monkeypatch.setitem(MODULES, "diary.views.trends", MODULES["diary.views.trends"] | {"diary.views.provider"})
    monkeypatch.setitem(MODULES, "diary.store.entries", MODULES["diary.store.entries"] | {"flask.request"})
    assert RULES["no view imports another view"]() == ["diary.views.trends imports diary.views.provider"]
    assert RULES["the store never sees a request, a service or a view"]() == ["diary.store.entries imports flask.request"]
    monkeypatch.setitem(MODULES, "diary.web.auth", MODULES["diary.web.auth"] | {"diary.store.users"})
    assert "diary.web.auth imports diary.store.users" in RULES["views and the web plumbing reach the store only through a service"]()


def test_every_layer_is_there():
    """The rules would pass vacuously if the packages moved: each one is read."""
    for layer in ("diary.views", "diary.schemas", "diary.insights", "diary.store", "diary.services",
                  "diary.exports", "diary.web"):
        assert sum(within(module, layer) for module in MODULES) >= 3, layer


def test_tests_import_helpers_not_conftest():
    """Shared test code lives in tests/helpers.py; conftest.py holds fixtures, which pytest injects."""
    tests = PACKAGE.parent / "tests"
    assert sorted(str(path.relative_to(tests)) for path in tests.rglob("*.py")
                  if within_any(imports_of_file(path), "conftest")) == []


def imports_of_file(path):
    """The top-level names a test file imports (absolute imports only)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module)
    return found


def within_any(names, prefix):
    return any(within(name, prefix) for name in names)
