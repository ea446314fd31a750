"""Imports run one way: activities -> volunteers -> classroom, and casework -> classroom; reporting, dataio and
oversight, at the top, may use all four and none of the four uses them; every app may use lib, which uses no app of ours. The benchmark (bench/) uses the apps; none of them uses it.

Every .py file of each app is parsed (imports inside functions included; migrations are left
out: they name other apps only as dependencies). A lower app shows what a higher one owns
through ``classroom.extensions``, never by importing it.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "lib": {"dataio", "oversight", "config", "classroom", "casework", "volunteers", "activities", "reporting", "bench"},
    "classroom": {"dataio", "oversight", "casework", "volunteers", "activities", "reporting", "bench"},
    "casework": {"dataio", "oversight", "volunteers", "activities", "reporting", "bench"},
    "volunteers": {"dataio", "oversight", "activities", "casework", "reporting", "bench"},
    "activities": {"dataio", "oversight", "reporting", "bench"},
    # The report to the city sits at the top: it reads every app, and none of them imports it.
    # The benchmark (bench/) may import any app; nothing that runs in production imports it.
    "reporting": {"dataio", "oversight", "bench"},
    # Data in and out (imports, the full export, backups, retention) sits beside reporting.
    "dataio": {"reporting", "oversight", "bench"},
    # The staff administrator's screens (users and roles, change history, access log) sit beside them.
    "oversight": {"reporting", "dataio", "bench"},
    "config": {"bench"},
}


def imported_apps(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif (isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
              and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add((node.args[0].value.split(".")[0], node.lineno))
    return found


def app_files(app: str):
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.relative_to(ROOT / app).parts]


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_no_higher_app(app):
    files = app_files(app)
    assert files, f"no Python files found in {app}/"
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in files
        for name, line in sorted(imported_apps(ast.parse(path.read_text(encoding="utf-8"), str(path))))
        if name in FORBIDDEN[app]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from casework import warnings\n    import activities.models\n")
    assert {name for name, _line in imported_apps(tree)} == {"casework", "activities"}


# A URL name is an import too, though Python never sees it: a page of classroom that names a higher
# app's URL breaks when that app is not there. Classroom names only its own; what it shows of a higher
# app comes through classroom.extensions (templates/includes/ and base.html hold the project's shared
# navigation, which may name any app's URLs, and are not checked).
URL_NAME = re.compile(
    r"""\{%\s*url\s+["']([\w-]+):"""                       # {% url 'app:name' %}
    r"""|\b(?:reverse|reverse_lazy|redirect|resolve_url)\(\s*["']([\w-]+):"""  # reverse("app:name")
    r"""|\b(?:href|hx-\w+|action)=["']([\w-]+):[\w-]+["']"""  # a name written into an attribute
    r"""|["']([\w-]+):[\w-]+["']""",                        # any other "app:name" literal, e.g. a dict of URL names
)
OTHER_APPS = ("casework", "volunteers", "activities", "reporting", "dataio", "oversight", "config", "admin")


def foreign_url_names(text: str) -> list[tuple[str, int]]:
    found = []
    for match in URL_NAME.finditer(text):
        app = next(group for group in match.groups() if group)
        if app in OTHER_APPS:
            found.append((app, text.count("\n", 0, match.start()) + 1))
    return found


def test_classroom_names_no_url_of_another_app():
    files = app_files("classroom") + sorted((ROOT / "templates" / "classroom").rglob("*.*"))
    assert len(files) > 20
    wrong = [
        f"{path.relative_to(ROOT)}:{line} names a URL of {app}"
        for path in files
        for app, line in foreign_url_names(path.read_text(encoding="utf-8"))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_url_check_sees_every_way_of_naming_a_url():
    text = """{% url 'volunteers:pairing_plan' class_day.pk %}
        <div hx-get="volunteers:volunteer_attendance"></div>
        return redirect("casework:visit_list")
        reverse("activities:activity_list", args=[1])
        HOMES = {"volunteer": "volunteers:home_volunteer"}
        {% url "classroom:roster" class_day.pk %} reverse("classroom:home") "12:30" "ja:jp"
    """
    assert [app for app, _line in foreign_url_names(text)] == [
        "volunteers", "volunteers", "casework", "activities", "volunteers"]
