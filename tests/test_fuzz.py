"""Hostile input, thrown at everything: no 500, a message in the user's language, nothing stored.

Every form and htmx control on every page a role can open, every query string of every URL
pattern, and every API operation (from the API's own OpenAPI description) is tried as staff,
coordinator and volunteer with values an attacker or a slipping finger would send: overlong
strings, NUL bytes, other sites' ids, huge and negative integers, impossible dates, unknown
choices, a ``next`` that is no URL, odd unicode. The targets are discovered, not listed: a new
page, form or API operation is covered without editing this file.

Each example runs inside a transaction that is rolled back, so the examples share one fixture
world and cannot disturb each other. After each post, no row may hold a refused value: a string
longer than its field allows, a NUL byte, an unknown choice, a date outside the plausible range,
or a reference to another site's record. The size is bounded (a few examples per target, a
fixed derandomised seed) to fit CI; ``FUZZ_EXAMPLES`` raises it for a longer local run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Verbosity, given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from casework.models import HomeVisit
from classroom import rules
from classroom.factories import ClassDayFactory, StudentFactory, UserFactory
from tests.access_world import arguments, side, url_patterns
from volunteers.factories import VolunteerFactory
from volunteers.models import SignUp, SignUpAnswer

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
HUGE = "9" * 20  # past 2**63
LONG = "あ" * 10_000  # longer than any field takes, shorter than the middleware's ceiling
UNKNOWN_CHOICE = "__no_such_choice__"
IMPOSSIBLE_DATES = ["2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "2026-02-30T25:61", "明日", "1e9"]
ODD_TEXT = ["\u202eabc", "👨‍👩‍👧\u200d", "Ａ\u0301\u0308", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
            "' OR 1=1 --", "\ufeff", "𠮷野家", "\r\n\r\nX-Header: 1", "%00", "../../etc/passwd"]
BAD_NEXT = ["NaN", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "\x00"]
NUMBERS = ["-1", "-99999", "0", "1.5", "NaN", "1e309", HUGE, "-" + HUGE, "٣"]
COMMON_QUERY_NAMES = ["page", "next", "student", "site", "date", "month", "q", "sort", "status", "week", "year"]
# Dates a person could mean: anything outside is refused (point 2 of issue 9 bounds every date field).
PLAUSIBLE_YEARS = range(1900, 2200)
# What Django itself would say in English if one of our messages or a database error slipped through.
FOREIGN_TEXT = ["This field is required", "Enter a valid", "Select a valid choice", "Ensure this value",
                "is not one of the available choices", "violates", "IntegrityError", "DataError",
                "Traceback", "制約", "に違反", "duplicate key", "null value in column", "OverflowError"]
ERROR_MARKS = ("field__error", "form-errors", "errorlist", 'role="alert"', "aria-invalid", "notice--error")


# --- Discovering targets ---------------------------------------------------------------------------
@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, date, number, file, submit...
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False
    minimum: str | None = None


@dataclass
class Target:
    method: str
    url: str
    fields: list[Field]
    htmx: bool = False
    source: str = ""

    def key(self):
        """One target per view and set of field names: the form of each roster row is tried once."""
        path = urlsplit(self.url).path
        try:
            view = resolve(path).view_name
        except Resolver404:
            view = path
        return (self.method, view, tuple(sorted({f.name for f in self.fields})))


class FormParser(HTMLParser):
    """The forms of a page (and the htmx controls inside them), as a browser would submit them."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.targets: list[Target] = []
        self.links: list[str] = []
        self._form: Target | None = None
        self._hx: list[tuple[str, str]] = []
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        hx = [(m.upper(), a[f"hx-{m}"]) for m in ("get", "post", "put", "patch", "delete") if a.get(f"hx-{m}")]
        if tag == "a" and a.get("href", "").startswith(("/", "?")):
            self.links.append(a["href"])
        if tag == "form":
            method = (a.get("method") or "get").upper()
            self._form = Target(method, a.get("action") or self.page_url, [], source=self.page_url)
            self._hx = hx
            return
        if self._form is None:
            for method, url in hx:
                self.targets.append(Target(method, url, [], htmx=True, source=self.page_url))
            return
        self._hx.extend(hx)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self._form.fields.append(Field(name, kind, a.get("value", "on" if kind in {"checkbox", "radio"} else ""),
                                           checked="checked" in a, minimum=a.get("min")))
        elif tag == "button" and name:
            self._form.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field(name, "select-multiple" if "multiple" in a else "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = value
                self._select.checked = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None and not self._select.checked and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None
        elif tag == "form" and self._form is not None:
            self.targets.append(self._form)
            for method, url in self._hx:
                if (method, url) != (self._form.method, self._form.url):  # the same post, htmx or not: drawn
                    self.targets.append(Target(method, url, self._form.fields, htmx=True, source=self.page_url))
            self._form, self._hx = None, []


def baseline(fields: list[Field]) -> dict[str, list[str]]:
    """What a browser sends for the form as rendered (the first submit button pressed)."""
    data: dict[str, list[str]] = {}
    pressed = False
    for f in fields:
        if f.kind in {"checkbox", "radio"} and not f.checked:
            continue
        if f.kind in {"file", "reset", "image"}:
            continue
        if f.kind == "submit":
            if pressed:
                continue
            pressed = True
        if f.kind == "select-multiple" and not f.checked:
            continue
        data.setdefault(f.name, []).append(f.value)
    return data


def page_targets(client: Client, url: str) -> tuple[list[Target], list[str]]:
    response = client.get(url)
    content_type = response.get("Content-Type", "")
    if response.status_code != 200 or "html" not in content_type or getattr(response, "streaming", False):
        return [], []
    parser = FormParser(url)
    parser.feed(response.content.decode())
    return parser.targets, parser.links


# --- The world -----------------------------------------------------------------------------------
@pytest.fixture
def world(site, staff):
    """The access table's world (tests/access_world.py), its child paired with a tutor of its own."""
    return side(site, staff, UserFactory(username="fuzz-tutor", roles=[rules.VOLUNTEER]))


@pytest.fixture
def fuzz_world(world, site, other_site, staff, coordinator, volunteer):
    """The access table's world (one child with every kind of record), the volunteer persona paired
    with that child, and another site's child, staff, volunteer and class day whose ids are thrown."""
    profile = VolunteerFactory(user=volunteer, sites=[site])
    record = world["record"]
    record.tutor = volunteer
    record.save(update_fields=["tutor"])
    SignUp.objects.create(volunteer=profile, class_day=world["class_day"], answer=SignUpAnswer.CAN_COME,
                          confirmed_at=timezone.now())
    upcoming = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=3))
    SignUp.objects.create(volunteer=profile, class_day=upcoming, answer=SignUpAnswer.CAN_COME)
    from activities.models import Helper

    Helper.objects.create(activity=world["activity"], volunteer=profile, role="受付")

    stranger = UserFactory(username="other-site-staff", roles=[rules.STAFF, rules.COORDINATOR], sites=[other_site])
    others = {
        "student": StudentFactory(site=other_site, family_name="隣町"),
        "staff": stranger,
        "volunteer": VolunteerFactory(sites=[other_site]),
        "class_day": ClassDayFactory(site=other_site, date=timezone.localdate()),
        "site": other_site,
    }
    visit = HomeVisit.objects.create(student=others["student"], living_environment="隣町の訪問")
    visit.staff.add(stranger)
    others["visit"] = visit
    return {**world, "profile": profile, "upcoming": upcoming, "others": others}


def other_ids(fuzz_world) -> dict[str, tuple[type[models.Model], int]]:
    return {str(obj.pk): (type(obj), obj.pk) for obj in fuzz_world["others"].values()}


# --- The database check ---------------------------------------------------------------------------
# Bookkeeping every request may write (reads logged, sessions touched, mail queued): not a record a form changed.
SKIP_MODELS = {"accesslog", "session", "signedinsession", "logentry", "outgoingmessage", "outboxmessage",
               # The change history (classroom.history): a copy of each accepted write, checked on its record.
               "historicalstudent", "historicalhousehold", "historicalguardian", "historicalhouseholdcontact",
               "historicalconsent", "historicaloutcome", "historicalhomevisit", "historicalcontact",
               "historicalfollowupaction", "historicalinformationshare", "historicalvolunteer",
               "historicalparticipant"}


def our_models():
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in {"classroom", "casework", "volunteers", "activities", "auth"} \
                and model._meta.model_name not in SKIP_MODELS:
            yield model


def dump() -> dict[str, set[tuple]]:
    rows = {}
    for model in our_models():
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model._meta.label] = (names, set(model._base_manager.order_by().values_list(*names)))
    return rows


def stored_hostility(before, after, others: dict[str, tuple[type, int]]) -> list[str]:
    """What a write stored that must have been refused."""
    found = []
    for label, (names, rows) in after.items():
        model = apps.get_model(label)
        fields = {f.attname: f for f in model._meta.concrete_fields}
        for row in rows - before[label][1]:
            for name, value in zip(names, row, strict=True):
                f = fields[name]
                if isinstance(value, str):
                    limit = getattr(f, "max_length", None) or 4000
                    if "\x00" in value or len(value) > limit or UNKNOWN_CHOICE in value:
                        found.append(f"{label}.{name} = {value[:40]!r}… ({len(value)} chars)")
                    if f.choices and value and value not in {str(k) for k, _ in f.flatchoices}:
                        found.append(f"{label}.{name} = {value[:40]!r}: not a choice")
                elif isinstance(value, dt.date) and value.year not in PLAUSIBLE_YEARS:
                    found.append(f"{label}.{name} = {value}: not a plausible date")
                elif isinstance(f, models.ForeignKey) and value is not None:
                    hit = others.get(str(value))
                    if hit and issubclass(f.related_model, hit[0]):
                        found.append(f"{label}.{name} = {value}: another site's {hit[0].__name__}")
    return found


# --- Sending ------------------------------------------------------------------------------------
class DatabaseErrors(logging.Handler):
    """Records the database errors the middleware turned into a message: each is a bug where it happened."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


# The database before any example: each example is rolled back, so this is also the state before each.
BEFORE: dict[str, dict] = {}


@pytest.fixture
def db_errors():
    handler = DatabaseErrors()
    logger = logging.getLogger("yorisoi.hostile")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    BEFORE.clear()


def short(value):
    """A payload as a readable line: long strings cut, NUL bytes shown."""
    if isinstance(value, dict):
        return {k: short(v) for k, v in value.items()}
    if isinstance(value, list):
        return [short(v) for v in value]
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:12]!r}…({len(value)} chars)"
    return value


def send(client: Client, target: Target, data: dict[str, list[str]], *, query: dict | None = None,
         json_body=None, db_errors: DatabaseErrors, others, strict: bool, role: str, what: str,
         changed: tuple[str, ...] = (), unchanged: bool = False):
    """One request in a rolled-back transaction; fails with the URL and payload on any 500."""
    url = target.url
    if query:
        url = f"{urlsplit(url).path}?{urlencode(query, doseq=True)}"
    headers = {"HTTP_HX_REQUEST": "true"} if target.htmx else {}
    context = f"{role} {target.method} {url[:200]} ({what}) from {target.source}: {short(json_body if json_body is not None else data)}"
    with contextlib.suppress(InvalidArgument):  # outside a drawn example there is nothing to note
        note(context)
    db_errors.records.clear()
    with transaction.atomic():
        before = BEFORE.get("rows") if target.method != "GET" else None
        try:
            if json_body is not None:
                response = client.generic(target.method, url, json.dumps(json_body), content_type="application/json",
                                          **headers)
            elif target.method == "GET":
                response = client.get(url, **headers)
            else:
                response = client.generic(target.method, url, urlencode(data, doseq=True),
                                          content_type="application/x-www-form-urlencoded", **headers)
        except Exception as error:
            raise AssertionError(f"500: {type(error).__name__}: {error}\n  {context}") from error
        assert response.status_code < 500, f"{response.status_code}\n  {context}"
        assert not db_errors.records, f"database error turned into a 4xx: {db_errors.records[0].getMessage()}\n  {context}"
        if before is not None:
            after = dump()
            stored = stored_hostility(before, after, others)
            assert not stored, f"stored a refused value: {stored}\n  {context}"
            if unchanged:
                changed_tables = [label for label, (_, rows) in after.items() if rows != before[label][1]]
                assert not changed_tables, f"changed {changed_tables} although every field was wrong\n  {context}"
        transaction.set_rollback(True)
    if not getattr(response, "streaming", False) and "html" in response.get("Content-Type", ""):
        html = response.content.decode()
        leaked = [t for t in FOREIGN_TEXT if t in html]
        assert not leaked, f"untranslated or database text {leaked}\n  {context}"
        if response.status_code == 200 and "<html" in html:
            assert 'lang="ja"' in html, f"page not in Japanese\n  {context}"
        if strict and response.status_code == 200 and any(f'name="{name}"' in html for name in changed):
            assert any(mark in html for mark in ERROR_MARKS), f"refused without a message\n  {context}"
    return response


# --- Hostile values ----------------------------------------------------------------------------------
def values_for(f: Field, others: list[str]) -> list[tuple[str, bool]]:
    """(value, must it be refused) for one field, by its kind."""
    common = [(LONG, True), ("a\x00b", True), (HUGE, True)] + [(v, False) for v in ODD_TEXT]
    if f.name == "next":
        return [(v, False) for v in BAD_NEXT] + common
    if f.kind in {"date", "datetime-local", "month", "time"} or "date" in f.name or f.name.endswith("_at"):
        return [(v, f.kind != "text") for v in IMPOSSIBLE_DATES] + common
    if f.kind in {"select", "select-multiple", "radio", "checkbox"}:
        return ([(UNKNOWN_CHOICE, True), ("-1", False)] + [(o, True) for o in others if o not in f.options]
                + [(v, False) for v in NUMBERS] + common)
    if f.kind == "number":
        nonneg = f.minimum is not None and f.minimum.lstrip("-").replace(".", "").isdigit() and float(f.minimum) >= 0
        return [(v, nonneg and v.startswith("-")) for v in NUMBERS] + common
    if f.kind == "hidden":
        return [("garbled", False), ("", False), ("-1", False)] + [(o, False) for o in others] + common
    return common


def every_field_at_once(fields: list[Field], others: list[str]):
    """Two fixed payloads beside the drawn ones: every field wrong in its own way (too long, an impossible
    date, an unknown choice), and every choice another site's record."""
    if not any(f.kind not in {"submit", "hidden"} for f in fields):
        return
    wrong, foreign = baseline(fields), baseline(fields)
    for f in fields:
        if f.kind in {"submit", "file", "reset", "image"} or f.name == "csrfmiddlewaretoken":
            continue
        if f.kind in {"select", "select-multiple", "radio", "checkbox"}:
            wrong[f.name] = [UNKNOWN_CHOICE]
            foreign[f.name] = [o for o in others if o not in f.options][:2] or [UNKNOWN_CHOICE]
        elif f.kind in {"date", "datetime-local", "month", "time"}:
            wrong[f.name] = ["2026-02-30"]
        elif f.kind in {"text", "textarea", "email", "tel", "search", "url", "password"}:
            wrong[f.name] = [LONG]
        elif f.kind == "number":
            wrong[f.name] = ["-1"]
    yield "every field wrong", wrong
    yield "every choice another site's", foreign
    yield "every choice a huge id", {**baseline(fields), **{
        f.name: [HUGE] for f in fields if f.kind in {"select", "select-multiple", "radio", "checkbox"}}}


@st.composite
def hostile_payload(draw, fields: list[Field], others: list[str]):
    data = baseline(fields)
    editable = [f for f in fields if f.kind not in {"submit", "file", "reset", "image"}
                and f.name != "csrfmiddlewaretoken"]
    strict = False
    changes = []
    if editable:
        for _ in range(draw(st.integers(1, 2))):
            f = draw(st.sampled_from(editable))
            value, must_refuse = draw(st.sampled_from(values_for(f, others)))
            data[f.name] = [value]
            changes.append(f.name)
            strict = strict or must_refuse
    if draw(st.booleans()):
        data["next"] = [draw(st.sampled_from(BAD_NEXT))]
    return data, strict and len(changes) == 1, changes


def run_examples(test, failures: list[str], *, examples: int = EXAMPLES) -> None:
    """Run one target's examples; a failure is kept (shrunk to its simplest payload) and the walk goes
    on, so that one run reports every target that fails."""
    try:
        settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                 verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck))(test)()
    except AssertionError as error:
        failures.append(str(error).split("\nassert ")[0])


def report(failures: list[str]) -> None:
    assert not failures, f"{len(failures)} target(s) failed:\n\n" + "\n\n".join(failures)


# --- Targets per role ---------------------------------------------------------------------------------
ROLES = ["staff", "coordinator", "volunteer", "staff_admin"]
SKIP_URLS = {"logout", "set_language", "password_change"}  # signing out or changing the password ends the walk


def url_of(name, pattern, fuzz_world) -> str | None:
    try:
        kwargs = arguments(name, pattern, fuzz_world)
    except LookupError:
        # A pattern the access table's world does not know yet: fill each id with the world's child.
        keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        kwargs = dict.fromkeys(keys, fuzz_world["student"].pk)
    if name.endswith(("my_tutoring_record",)):
        kwargs["pk"] = fuzz_world["record"].pk
    try:
        url = reverse(name, kwargs=kwargs)
    except Exception:
        return None
    if name.split(":")[-1] in {"visit_create", "contact_create", "share_create"}:
        url += f"?student={fuzz_world['student'].pk}"
    return url


READ_NAMES = re.compile(r"""GET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']|_param\(request,\s*["'](\w+)["']""")


def names_read_by(pattern) -> set[str]:
    """The query-string names the view's module reads (``request.GET.get("reply_by")``...)."""
    module = sys.modules.get(getattr(pattern.callback, "__module__", ""), None)
    try:
        source = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        return set()
    return {a or b for a, b in READ_NAMES.findall(source)}


def discover(client: Client, fuzz_world) -> tuple[list[Target], list[Target]]:
    """(form and htmx targets, query-string targets) of every page the client can open."""
    forms: dict[tuple, Target] = {}
    queries: dict[str, Target] = {}
    for name, pattern, _route in url_patterns():
        if name.startswith("api:") or name.split(":")[-1] in SKIP_URLS:
            continue
        url = url_of(name, pattern, fuzz_world)
        if url is None:
            continue
        found, links = page_targets(client, url)
        names = set(COMMON_QUERY_NAMES) | names_read_by(pattern)
        names |= {key for link in links for key, _ in parse_qsl(urlsplit(link).query, keep_blank_values=True)}
        for target in found:
            if target.method == "GET":
                names |= {f.name for f in target.fields}
            if "logout" in target.url or "/i18n/" in target.url:
                continue
            forms.setdefault(target.key(), target)
        queries[url] = Target("GET", url, [Field(n, "text") for n in sorted(names)], source=url)
        # A POST that no rendered form makes (a page shown only in some state) still gets hostile names.
        blind = Target("POST", url, [Field(n, "text") for n in ("status", "date", "student", "volunteer",
                                                                 "reason", "note", "answer", "site")], source="blind")
        forms.setdefault(blind.key(), blind)
    return list(forms.values()), list(queries.values())


@pytest.fixture
def role_client(request, fuzz_world):
    def _client(role: str) -> Client:
        client = Client()
        client.force_login(request.getfixturevalue(role))
        return client

    return _client


@pytest.mark.parametrize("role", ROLES)
def test_every_form_and_htmx_control_survives_hostile_values(role, role_client, fuzz_world, db_errors):
    client = role_client(role)
    targets, _ = discover(client, fuzz_world)
    BEFORE["rows"] = dump()
    ids = list(other_ids(fuzz_world))
    others = other_ids(fuzz_world)
    assert len(targets) > (30 if role != "volunteer" else 5), [t.url for t in targets]
    def checker(target: Target):
        @given(hostile_payload(target.fields, ids), st.booleans())
        def check(payload, as_htmx):
            data, strict, changes = payload
            sent = Target(target.method, target.url, target.fields, target.htmx or as_htmx, target.source)
            send(client, sent, data, db_errors=db_errors, others=others, role=role, what=f"changed {changes}",
                 strict=strict and target.source != "blind", changed=tuple(changes))

        return check

    failures: list[str] = []
    for target in targets:
        if target.method == "GET":
            continue
        if target.source == "blind":
            run_examples(checker(target), failures, examples=1)
            continue
        run_examples(checker(target), failures)
        for what, data in every_field_at_once(target.fields, ids):
            try:
                send(client, target, data, db_errors=db_errors, others=others, strict=False, role=role, what=what,
                     unchanged=what == "every field wrong")
            except AssertionError as error:
                failures.append(str(error).split("\nassert ")[0])
    report(failures)


@st.composite
def hostile_query(draw, names: list[str], others: list[str]):
    query = {}
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        f = Field(name, "date" if "date" in name or name in {"month", "week", "year"} else "text")
        pool = values_for(f, others) + [(v, False) for v in NUMBERS] + [(UNKNOWN_CHOICE, False)]
        query[name] = draw(st.sampled_from(pool))[0]
    return query


@pytest.mark.parametrize("role", ROLES)
def test_every_query_string_survives_hostile_values(role, role_client, fuzz_world, db_errors):
    client = role_client(role)
    _, targets = discover(client, fuzz_world)
    ids = list(other_ids(fuzz_world))
    others = other_ids(fuzz_world)
    def checker(target: Target):
        @given(hostile_query([f.name for f in target.fields], ids), st.booleans())
        def check(query, as_htmx):
            sent = Target(target.method, target.url, target.fields, as_htmx, target.source)
            send(client, sent, {}, query=query, db_errors=db_errors, others=others, strict=False, role=role,
                 what="query string")

        return check

    failures: list[str] = []
    for target in targets:
        run_examples(checker(target), failures, examples=max(2, EXAMPLES - 1))
        for value in ("2026-02-30", HUGE, UNKNOWN_CHOICE):  # every name at once, beside the drawn mixes
            try:
                send(client, target, {}, query={f.name: value for f in target.fields}, db_errors=db_errors,
                     others=others, strict=False, role=role, what=f"every name {value}")
            except AssertionError as error:
                failures.append(str(error).split("\nassert ")[0])
    report(failures)


def hostile_paths(pattern, fuzz_world, others: list[str]) -> list[str]:
    """The pattern's URL with each parameter replaced by hostile values its converter lets through."""
    converters = pattern.pattern.converters
    keys = set(converters) | set(pattern.pattern.regex.groupindex)
    if not keys:
        return []
    name = pattern.name
    urls = []
    for key in keys:
        kind = type(converters.get(key)).__name__
        values = [HUGE, *others[:2]] if kind == "IntConverter" else ["%00", "x" * 300, "%E2%80%AE"]
        for value in values:
            placeholder = "7777777"
            try:
                kwargs = arguments(name, pattern, fuzz_world)
            except LookupError:
                kwargs = dict.fromkeys(keys, fuzz_world["student"].pk)
            kwargs[key] = placeholder if kind != "IntConverter" else 7777777
            try:
                url = reverse(name, kwargs=kwargs)
            except Exception:
                continue
            urls.append(url.replace(placeholder, value, 1))
    return urls


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_url_parameter_survives_hostile_values(role, request, fuzz_world, db_errors):
    """A NUL byte, a 300-character token or another site's id in the path: 400 or 404, never a 500."""
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    others = other_ids(fuzz_world)
    BEFORE["rows"] = dump()
    failures: list[str] = []
    for name, pattern, _route in url_patterns():
        if name.startswith("api:") or name.split(":")[-1] in SKIP_URLS:
            continue
        for url in hostile_paths(pattern, fuzz_world, list(others)):
            for method in ("GET", "POST"):
                try:
                    send(client, Target(method, url, [], source=name), {}, db_errors=db_errors, others=others,
                         strict=False, role=role, what="path parameter")
                except AssertionError as error:
                    failures.append(str(error).split("\nassert ")[0])
    report(failures)


# --- The API --------------------------------------------------------------------------------------------
def api_operations():
    """(method, path template, parameters, body schema) of every operation the API object lists."""
    from config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body and "$ref" in body:
                body = components[body["$ref"].split("/")[-1]]
            yield method.upper(), path, operation.get("parameters", []), body


def value_for_schema(draw, prop: dict, others: list[str]):
    kind = prop.get("type") or next((p.get("type") for p in prop.get("anyOf", []) if p.get("type") != "null"), "string")
    if kind == "integer":
        return draw(st.sampled_from([-1, 0, 2**63, -(2**63) - 1, 10**20] + [int(o) for o in others]))
    if kind == "boolean":
        return draw(st.sampled_from([True, "maybe", None]))
    return draw(st.sampled_from([LONG, "a\x00b", "理" * 201, UNKNOWN_CHOICE, "2026-02-30", *ODD_TEXT, None, 5]))


@pytest.mark.parametrize("role", ROLES)
def test_every_api_operation_survives_hostile_values(role, role_client, fuzz_world, db_errors):
    client = role_client(role)
    ids = list(other_ids(fuzz_world))
    others = other_ids(fuzz_world)
    operations = list(api_operations())
    BEFORE["rows"] = dump()
    assert any(method == "POST" for method, *_ in operations)
    own_ids = [fuzz_world[k].pk for k in ("activity", "student", "volunteer")]
    def checker(method: str, path: str, parameters: list[dict], body: dict | None):
        @given(st.data())
        def check(data):
            url = path
            for p in parameters:
                if p.get("in") == "path":
                    pk = data.draw(st.sampled_from([*own_ids, *map(int, ids), 10**20, 0]))
                    url = url.replace("{" + p["name"] + "}", str(pk))
            query = {p["name"]: str(value_for_schema(data.draw, p.get("schema", {}), ids))
                     for p in parameters if p.get("in") == "query" and data.draw(st.booleans())}
            payload = None
            if body is not None:
                payload = {name: value_for_schema(data.draw, prop, ids)
                           for name, prop in body.get("properties", {}).items()}
            target = Target(method, url if url.startswith("/api") else f"/api{url}", [], source="openapi")
            send(client, target, {}, query=query, json_body=payload if method != "GET" else None,
                 db_errors=db_errors, others=others, strict=False, role=role, what="api")

        return check

    failures: list[str] = []
    for operation in operations:
        run_examples(checker(*operation), failures)
    report(failures)
