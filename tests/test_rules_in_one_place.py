"""Who may see what is decided in one module: ``classroom/rules.py``.

Outside it, no module of application code filters a queryset by site membership or by role by
hand: no lookup through ``members``, ``groups`` or a user's or volunteer's ``sites``, no
``is_superuser`` and no role name inside a ``filter``, ``exclude``, ``get``, ``values`` or ``Q``,
and no query made on someone's ``.sites`` (``volunteer.sites.filter(...)``,
``site__in=volunteer.sites.all()``). Such a filter belongs in the rules module,
as a ``SiteScopedQuerySet`` setting or a named rule there. Tests and migrations are not looked at.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("lib", "classroom", "volunteers", "activities", "config", "casework", "reporting", "oversight")
RULES = (Path("classroom/rules.py"), Path("classroom/rules"))
QUERY_METHODS = {"filter", "exclude", "get", "values", "values_list"}
QUERY_FUNCTIONS = {"Q", "get_object_or_404", "get_list_or_404"}
SCOPE_WORDS = {"members", "groups", "is_superuser"}
ROLE_NAMES = {"STAFF", "COORDINATOR", "VOLUNTEER", "ROLES", "MANAGERS"}


def application_modules(root: Path = ROOT):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts or "tests" in relative.parts:
                continue
            if any(relative == rules or rules in relative.parents for rules in RULES):
                continue
            yield relative


def _is_query(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr in QUERY_METHODS
    return isinstance(func, ast.Name) and func.id in QUERY_FUNCTIONS


def _names_scope(text: str) -> bool:
    """A lookup through ``members``, ``groups`` or ``is_superuser``, or on through someone's ``sites``."""
    parts = text.split("__")
    return bool(SCOPE_WORDS & set(parts)) or "sites" in parts[:-1]


def _is_sites(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "sites"


def _scoping_in(call: ast.Call) -> str:
    """What in this query call scopes by membership or role ("" when nothing does)."""
    if isinstance(call.func, ast.Attribute) and _is_sites(call.func.value):
        return ".sites." + call.func.attr
    for keyword in call.keywords:
        if (keyword.arg or "").endswith("__in") and any(map(_is_sites, _walk_outside_rules(keyword.value))):
            return f"{keyword.arg}=...sites"
        if keyword.arg is not None and _names_scope(keyword.arg):
            return keyword.arg
    for node in [*call.args, *(k.value for k in call.keywords)]:
        for inner in _walk_outside_rules(node):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str) and _names_scope(inner.value):
                return repr(inner.value)
            if (isinstance(inner, ast.Attribute) and inner.attr in ROLE_NAMES
                    and isinstance(inner.value, ast.Name) and inner.value.id == "rules"):
                return f"rules.{inner.attr}"
    return ""


def _walk_outside_rules(node: ast.AST):
    """The nodes under ``node``, less the calls of the rules module (``rules.role_holders(rules.STAFF)``)."""
    yield node
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "rules"):
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_outside_rules(child)


def hand_made_scopes(root: Path = ROOT) -> list[str]:
    """``path:line: what`` for every query call outside the rules module that scopes by hand."""
    found = []
    for relative in application_modules(root):
        tree = ast.parse((root / relative).read_text(encoding="utf-8"), filename=str(relative))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_query(node) and (what := _scoping_in(node)):
                found.append(f"{relative}:{node.lineno}: {what}")
    return found


def test_no_module_outside_the_rules_filters_by_site_membership_or_role():
    assert hand_made_scopes() == []


def test_the_check_finds_a_hand_made_scope(tmp_path):
    """The check itself: each kind of hand-made scope is found, and the rules module is left alone."""
    app = tmp_path / "classroom"
    app.mkdir()
    (app / "views.py").write_text(
        "from django.db.models import Q\n"
        "from classroom import rules\n"
        "a = Student.objects.filter(site__members=user)\n"
        "b = Activity.objects.filter(Q(site__isnull=True) | Q(site__members=user))\n"
        "c = User.objects.filter(groups__name=rules.COORDINATOR)\n"
        "d = User.objects.exclude(is_superuser=True)\n"
        "e = Site.objects.values('members')\n"
        "f = HomeVisit.objects.filter(**{f'{path}__members': user})\n"
        "g = Student.objects.filter(site=site)\n"
        "h = User.objects.filter(pk__in=rules.role_holders(rules.STAFF))\n"
        "i = User.objects.filter(pk__in=people(rules.STAFF))\n"
        "j = ClassDay.objects.filter(site__in=volunteer.sites.all())\n"
        "k = volunteer.sites.filter(pk=class_day.site_id).exists()\n"
        "m = User.objects.filter(sites__in=sites)\n"
        "n = volunteer.sites.set(sites)\n",
        encoding="utf-8",
    )
    (app / "rules.py").write_text("a = Student.objects.filter(site__members=user)\n", encoding="utf-8")
    migrations = app / "migrations"
    migrations.mkdir()
    (migrations / "0001_initial.py").write_text("a = Group.objects.get(groups__name='staff')\n", encoding="utf-8")
    found = hand_made_scopes(tmp_path)
    assert sorted({int(line.split(":")[1]) for line in found}) == [3, 4, 5, 6, 7, 8, 11, 12, 13, 14]
    assert all(line.startswith("classroom/views.py:") for line in found)
