"""The access table (tests/access_table.py), checked cell by cell.

Every named URL pattern (the admin's aside) and every operation of the API's OpenAPI schema must
have a line in the table, and every line must still exist. Each cell is a request as that role:
a GET with site A's objects (the roles' own; the volunteer is paired with the child). Where a role
may open a page of an object, the same page of site B's object answers 404 (unless the line says
the object is shared, ``=``). Where a role is refused, a POST is refused too and writes nothing.
Pages a role other than staff may open never show a child's case-work (``SENSITIVE``).
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings

from classroom import rules
from classroom.factories import SiteFactory, UserFactory
from classroom.models import Attendance, ClassDay, Consent, DropIn, Student, TutoringRecord
from tests import access_table as table
from tests.access_world import (
    CHILD_NAME,
    FORM_DATA,
    SENSITIVE,
    api_body,
    api_operations,
    api_url,
    side,
    text_of,
    url_for,
    url_patterns,
)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-table-media")


@pytest.fixture(autouse=True)
def _media_root(settings, media):
    """The module's one world keeps its photos in one folder for all its tests (overrides conftest's)."""
    settings.MEDIA_ROOT = media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media):
    """One world for the whole module, inside a transaction rolled back at its end; each test runs in a
    savepoint of it, so a request that writes leaves the next test the same world."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        site_a, site_b = SiteFactory(name="A教室"), SiteFactory(name="B教室")
        users = {
            "admin": UserFactory(username="t-admin", roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[site_a]),
            "staff": UserFactory(username="t-staff", roles=[rules.STAFF], sites=[site_a]),
            "coord": UserFactory(username="t-coord", roles=[rules.COORDINATOR], sites=[site_a]),
            "vol": UserFactory(username="t-vol", roles=[rules.VOLUNTEER]),
            "vol2": UserFactory(username="t-vol2", roles=[rules.VOLUNTEER]),
            "far": UserFactory(username="t-far", roles=[rules.STAFF, rules.COORDINATOR], sites=[site_b]),
            "norole": UserFactory(username="t-norole"),
        }
        from volunteers.factories import VolunteerFactory

        VolunteerFactory(user=users["vol2"], sites=[site_a])
        a = side(site_a, users["staff"], users["vol"])
        b = side(site_b, users["far"], UserFactory(username="t-vol-b", roles=[rules.VOLUNTEER]))
        clients = {}
        for role in table.ROLES:
            clients[role] = Client()
            if role != "anon":
                clients[role].force_login(users[role])
        yield {"a": a, "b": b, "users": users, "clients": clients}
        transaction.set_rollback(True)


def outcome(response) -> str:
    """The table's word for a response."""
    code = response.status_code
    if code in (301, 302, 303):
        location = response["Location"]
        return "LOGIN" if location.startswith(resolve_url(settings.LOGIN_URL)) else "GO"
    if code == 401:
        return "LOGIN"
    if code in (200, 201, 204):
        return "OK"
    return str(code)


PATTERNS = {name: (pattern, route) for name, pattern, route in url_patterns()}
API_OPERATIONS = api_operations()
# The API's routes are URL names too ("api:student", ...): the table states them as operations instead.
API_PAGES = {"api:openapi-json", "api:openapi-view", "api:api-root"}
URL_NAMES = [name for name in PATTERNS if not name.startswith("api:") or name in API_PAGES]

# Roles that are not staff: their pages never show a child's case-work; who is not the child's
# coordinator never reads the child's name either.
NOT_STAFF = ("coord", "vol", "vol2", "norole", "anon")
NOT_THE_CHILDS = ("vol", "vol2", "norole", "anon")
# Roles that also POST (with form data) to every page whose GET they are refused: no write gets past.
POSTED_TO = ("vol", "norole", "anon")


def snapshot():
    return [m.objects.count() for m in (Student, Attendance, ClassDay, Consent, DropIn, TutoringRecord)]


def request(client, method: str, url: str, body: dict | None = None, **extra):
    """One request; the client keeps its cookies (a POST to sign out does not sign the next test out)."""
    cookies = client.cookies
    client.cookies = SimpleCookie()
    dict.update(client.cookies, cookies)
    try:
        if body is not None and "/api/" in url:
            return getattr(client, method.lower())(url, json.dumps(body), content_type="application/json", **extra)
        if body is not None:  # a form
            return getattr(client, method.lower())(url, body, **extra)
        return getattr(client, method.lower())(url, **extra)
    finally:
        client.cookies = cookies


def target(key: str, world: dict) -> tuple[str, dict | None]:
    """The URL (and the API body) of a URL name or API operation, filled with one side's objects."""
    if key in PATTERNS and key not in API_OPERATIONS:
        return url_for(key, PATTERNS[key][0], world), (FORM_DATA[key](world) if key in FORM_DATA else None)
    return api_url(key, world), api_body(key, world)


def names_an_object(key: str) -> bool:
    if key in API_OPERATIONS:
        return "{" in key
    pattern = PATTERNS[key][0].pattern
    return bool(pattern.converters or pattern.regex.groupindex) or key in FORM_DATA


def observe(key: str, method: str, world: dict) -> dict[str, str]:
    """Each role's outcome for ``key`` (each request in a savepoint rolled back: a write leaves no trace)."""
    url, body = target(key, world["a"])
    cells = {}
    for role in table.ROLES:
        with transaction.atomic():
            cells[role] = outcome(request(world["clients"][role], method, url, body))
            transaction.set_rollback(True)
    return cells


def check(key: str, line: str, world: dict):
    method, expected = table.parse(line)
    url, body = target(key, world["a"])
    failures = []
    for role in table.ROLES:
        client = world["clients"][role]
        refused = expected[role] in {"404", "LOGIN", "403", "405"}
        before = snapshot() if refused and method != "GET" else None
        with transaction.atomic():
            response = request(client, method, url, body)
            got = outcome(response)
            if got != expected[role]:
                failures.append(f"{role}: {method} {url} -> {got} ({response.status_code}), the table says "
                                f"{expected[role]}")
            elif got == "OK" and (role in NOT_STAFF or (role == "far" and key not in table.SAME_FOR_ANOTHER_SITE)):
                failures += leaks(role, url, text_of(response))
                if role == "coord":  # the fragment an htmx request gets, too
                    failures += leaks(role, url, text_of(request(client, method, url, body, HTTP_HX_REQUEST="true")))
            if before is not None and snapshot() != before:
                failures.append(f"{role}: {method} {url} was refused but wrote")
            if refused and method == "GET" and role in POSTED_TO:
                before = snapshot()
                posted = request(client, "POST", url, None, data={"status": "present"})
                # The API validates a body before the view runs: a bad body answers 400/422, and nothing is written.
                if outcome(posted) not in {"LOGIN", "403", "404", "405"} | ({"400", "422"} if "/api/" in url else set()):
                    failures.append(f"{role}: POST {url} -> {posted.status_code}, where the GET is refused")
                if snapshot() != before:
                    failures.append(f"{role}: POST {url} was refused but wrote")
            transaction.set_rollback(True)
        if expected[role] in {"OK", "GO"} and names_an_object(key) and key not in table.SAME_FOR_ANOTHER_SITE:
            theirs, their_body = target(key, world["b"])
            with transaction.atomic():
                got = outcome(request(client, method, theirs, their_body))
                if got != "404":
                    failures.append(f"{role}: {method} {theirs} (site B's object) -> {got}, not 404")
                transaction.set_rollback(True)
    return failures


def leaks(role: str, url: str, content: str) -> list[str]:
    if role == "far":
        return [f"far: {url} shows site A"] if "A教室" in content else []
    found = [label for label, value in SENSITIVE.items() if value in content]
    if role in NOT_THE_CHILDS and CHILD_NAME in content:
        found.append("the child's name")
    return [f"{role}: {url} shows {', '.join(found)}"] if found else []


@pytest.mark.parametrize("key", sorted(set(URL_NAMES) | set(table.URLS)))
def test_url(world, db, key):
    if key not in table.URLS or key not in PATTERNS:
        pytest.skip("test_every_url_and_operation_has_a_line says what to do")
    failures = check(key, table.URLS[key], world)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("key", sorted(set(API_OPERATIONS) | set(table.API)))
def test_api_operation(world, db, key):
    if key not in table.API or key not in API_OPERATIONS:
        pytest.skip("test_every_url_and_operation_has_a_line says what to do")
    failures = check(key, table.API[key], world)
    assert not failures, "\n".join(failures)


def test_every_url_and_operation_has_a_line(world, db):
    """A URL name or API operation without a line fails here, with the line to paste (as it answers now:
    check every cell before pasting); a line whose URL name or operation is gone fails too."""
    missing = []
    for key in URL_NAMES:
        if key not in table.URLS:
            method = "GET"
            cells = observe(key, method, world)
            if "405" in cells.values():
                method, cells = "POST", observe(key, "POST", world)
            missing.append(table.render(key, method, cells))
    for key in API_OPERATIONS:
        if key not in table.API:
            missing.append(table.render(key, key.split()[0], observe(key, key.split()[0], world)))
    gone = sorted((set(table.URLS) - set(URL_NAMES)) | (set(table.API) - set(API_OPERATIONS)))
    message = []
    if missing:
        message.append("Add these lines to tests/access_table.py (URLS or API), after checking each role's cell "
                       "is what it should be:\n" + "\n".join(missing))
    if gone:
        message.append("Remove these lines from tests/access_table.py (no such URL name or API operation): "
                       + ", ".join(gone))
    unknown = sorted(set(table.SAME_FOR_ANOTHER_SITE) - set(table.URLS) - set(table.API))
    if unknown:
        message.append("SAME_FOR_ANOTHER_SITE names lines that do not exist: " + ", ".join(unknown))
    assert not message, "\n\n".join(message)


def test_the_docs_show_the_table():
    """docs/security.md "Who sees what" is the code table as scripts/access_table.py renders it."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / "access_table.py"
    spec = importlib.util.spec_from_file_location("access_table_script", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    docs = script.DOCS.read_text(encoding="utf-8")
    assert script.markdown() in docs, "run: .venv/bin/python scripts/access_table.py --write"
