"""One line of defence against hostile input, in front of every view and API operation.

Forms, filters and API schemas validate what they know; this module catches what no single
form can: a NUL byte (PostgreSQL refuses it in any text), a value far longer than any field
takes, and an integer beyond the 64-bit range the databases store (SQLite raises an
OverflowError on it in an ``IN`` lookup). Such a request is answered 400 with a page in the
user's language, before any view runs, so that nothing is read or written with it.

It also keeps database error text away from people: an ``IntegrityError`` or ``DataError``
that escapes a view is logged at ERROR (a bug to fix where it happened, and a failed test)
and answered with a plain message, never with the database's own words.
"""

import json
import logging
import re
import unicodedata

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger("yorisoi.hostile")

# The longest free text a form takes (a model TextField's form field; see install_text_limits).
TEXT_MAX_LENGTH = 4_000
# Longer than any field Yorisoi takes.
MAX_VALUE_LENGTH = 20_000
INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"[+-]?\d{19,}")


def out_of_range_integer(value: str) -> bool:
    """A decimal integer no database column of ours can hold (ids are 64-bit).

    Past 19 significant digits it is too large without converting it: Python refuses to convert
    a string of more than 4,300 digits (a 10,000-digit id in a query string must not answer 500).
    """
    text = value.strip()
    if not _INTEGER.fullmatch(text):
        return False
    digits = text.lstrip("+-")
    significant = len(digits) - next((i for i, ch in enumerate(digits) if unicodedata.digit(ch) != 0), len(digits))
    return significant > 19 or abs(int(text)) > INT64_MAX


def hostile_reason(value: str, *, may_be_number: bool = True) -> str | None:
    """Why one submitted value must be refused before any view sees it, or None."""
    if "\x00" in value:
        return _("The input contains a character that cannot be used (a NUL byte).")
    if len(value) > MAX_VALUE_LENGTH:
        return _("A value is too long (more than %(limit)s characters).") % {"limit": f"{MAX_VALUE_LENGTH:,}"}
    if may_be_number and out_of_range_integer(value):
        return _("A number is too large.")
    return None


def _json_values(data):
    if isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from _json_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_values(value)
    elif isinstance(data, bool) or data is None:
        return
    else:
        yield str(data)


def _is_token(key: str) -> bool:
    # A random hex token (a form's create token) may, rarely, be all digits: it is no id.
    return key.endswith("token")


def _request_values(request: HttpRequest):
    """(value, may it be a number) for every name and value the request carries."""
    yield request.path, False  # a path starts with "/": never a bare number, only NUL and length apply
    if request.path.startswith("/api/") and request.method not in ("GET", "HEAD", "OPTIONS"):
        # django-ninja reads the raw body: read it first, so that parsing POST below works from a copy.
        # (Only the API: elsewhere an upload may be larger than a body may be held in memory.)
        request.body  # noqa: B018
    for query in (request.GET, request.POST):
        for key, values in query.lists():
            yield key, True
            for value in values:
                yield value, not _is_token(key)
    for upload in request.FILES.values():
        yield upload.name or "", True
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return  # the API answers malformed JSON itself
        for value in _json_values(data):
            yield value, True


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    if getattr(request, "htmx", False):
        # htmx swaps no 4xx answer: the page reloads instead and shows the message at its top.
        messages.error(request, message)
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "400.html", {"message": message}, status=status)


class HostileInputMiddleware:
    """Refuse NUL bytes, overlong values and out-of-range integers anywhere in a request;
    turn a database integrity or data error into a message instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            values = list(_request_values(request))
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            logger.warning("Refused an oversized request on %s", request.path[:200])
            return _refuse(request, _("The form sent too much data. Please shorten what you entered."), 400)
        for value, may_be_number in values:
            reason = hostile_reason(value, may_be_number=may_be_number)
            if reason:
                logger.warning("Refused hostile input on %s: %s", request.path.replace("\x00", "\\x00")[:200], reason)
                return _refuse(request, reason, 400)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, IntegrityError | DataError):
            return None
        # A bug where it happened (the form or schema should have refused the value): log it
        # loudly, but the person sees a message in their language, not the database's text.
        logger.error("Database refused a write on %s", request.path, exc_info=exception)
        return _refuse(request, _("The data could not be saved because a value is not valid. "
                                  "Please check what you entered and try again."), 409 if isinstance(
                                      exception, IntegrityError) else 400)


def safe_next(request: HttpRequest, value: str | None, default: str = "") -> str:
    """``value`` if it is a path on this site (``/...``), else ``default``.

    Every redirect that reads ``next`` goes through here: an off-site URL, a scheme, a
    protocol-relative ``//host`` or a bare word such as ``NaN`` (which ``redirect()`` would try
    to reverse as a URL name) all fall back to the default.
    """
    value = (value or "").strip()
    if (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and "\x00" not in value
        and len(value) <= 2000
        and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                            require_https=request.is_secure())
    ):
        return value
    return default


def install_constraint_messages() -> None:
    """A model constraint without its own message speaks to people in plain words.

    Django's default ("Constraint “share_has_a_basis” is violated.") names the database
    constraint; a form validates each constraint of its model, so any form that forgets a rule
    would show that name. Forms should check their rules in words first (ShareForm does); this is
    the net beneath them. Only the message changes, not the constraint, so no migration follows.
    """
    from django.db.models.constraints import BaseConstraint

    default = BaseConstraint.default_violation_error_message
    original = BaseConstraint.get_violation_error_message

    def get_violation_error_message(self):
        if self.violation_error_message == default:
            return _("These values cannot be saved together. Please check the form and try again.")
        return original(self)

    BaseConstraint.get_violation_error_message = get_violation_error_message


def install_text_limits() -> None:
    """Every free-text form field made from a model TextField gets a length: TEXT_MAX_LENGTH.

    A TextField has no length in the database, so a form would take a megabyte of notes; with
    this, each form (and its textarea's ``maxlength``) refuses more, with Django's message in the
    user's language. Only the form field changes, not the model, so no migration follows. Form
    fields declared by hand state their own ``max_length``; tests/test_fuzz.py checks both.
    """
    from django.db.models import TextField

    original = TextField.formfield
    if getattr(original, "yorisoi_limited", False):
        return

    def formfield(self, **kwargs):
        if self.max_length is None:
            kwargs.setdefault("max_length", TEXT_MAX_LENGTH)
        return original(self, **kwargs)

    formfield.yorisoi_limited = True
    TextField.formfield = formfield
