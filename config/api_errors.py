"""The API's error answers, in the request's language (Japanese by default).

django-ninja answers a schema error with pydantic's English text ("String should have at most
200 characters") and a 404 with "Not Found" (plus the model's name under DEBUG). These handlers
keep ninja's JSON shapes, so clients keep working:

* 422: ``{"detail": [{"loc": [...], "type": "string_too_long", "msg": "200文字以内で…"}]}``; ``loc``
  and ``type`` are pydantic's, ``msg`` is translated; the rejected input is never echoed back.
* 404: ``{"detail": "見つかりません。…"}``, never naming the model or the query.
* ``HttpError``: ninja's own English defaults ("Unauthorized", "Forbidden", "Not found") are
  translated; our own messages are already translated where they are raised.

``LocaleMiddleware`` has activated the request's language before these run.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

INTEGER = {"int_parsing", "int_type", "int_from_float", "int_parsing_size"}
NUMBER = {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}
DATE = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_past",
        "date_future"}
DATETIME = {"datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid",
            "timezone_naive", "timezone_aware", "datetime_past", "datetime_future"}
TIME = {"time_parsing", "time_type"}
CHOICE = {"literal_error", "enum"}
BOOLEAN = {"bool_parsing", "bool_type"}
TEXT = {"string_type", "string_unicode", "string_sub_type"}


def error_message(error: dict) -> str:
    """One pydantic error (``type``, ``ctx``) in the active language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_long":
        return _("Enter at most %(max)s characters.") % {"max": ctx.get("max_length", "")}
    if kind == "string_too_short":
        if ctx.get("min_length") in (None, 1):
            return _("This field is required.")
        return _("Enter at least %(min)s characters.") % {"min": ctx.get("min_length")}
    if kind == "too_long":
        return _("Give at most %(max)s items.") % {"max": ctx.get("max_length", "")}
    if kind == "too_short":
        return _("Give at least %(min)s items.") % {"min": ctx.get("min_length", "")}
    if kind in INTEGER:
        return _("Enter a whole number.")
    if kind in NUMBER:
        return _("Enter a number.")
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a number no greater than %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt", ""))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number no less than %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in DATE:
        return _("Enter a valid date (for example 2026-04-01).")
    if kind in DATETIME:
        return _("Enter a valid date and time (for example 2026-04-01T16:00).")
    if kind in TIME:
        return _("Enter a valid time (for example 16:00).")
    if kind in CHOICE:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in BOOLEAN:
        return _("Enter true or false.")
    if kind in TEXT:
        return _("Enter text.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "value_error" and ctx.get("error"):
        # Our own validators raise ValueError with a message already in the active language.
        return str(ctx["error"])
    return _("This value is not valid.")


def _validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    detail = [{"loc": list(error.get("loc", ())), "type": error.get("type", ""), "msg": error_message(error)}
              for error in exc.errors]
    return api.create_response(request, {"detail": detail}, status=422)


def _not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found: it does not exist, or you may not see it.")},
                               status=404)


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    defaults = {
        "Unauthorized": _("Please sign in."),
        "Forbidden": _("You may not do this."),
        "Not found": _("Not found: it does not exist, or you may not see it."),
        "Not Found": _("Not found: it does not exist, or you may not see it."),
        "Too many requests.": _("Too many requests: please wait a moment and try again."),
    }
    message = str(exc)
    return api.create_response(request, {"detail": defaults.get(message, message)}, status=exc.status_code)


def install(api: NinjaAPI) -> None:
    """Replace ninja's English handlers on ``api``."""
    api.add_exception_handler(ValidationError, lambda request, exc: _validation_error(request, exc, api))
    api.add_exception_handler(Http404, lambda request, exc: _not_found(request, exc, api))
    api.add_exception_handler(HttpError, lambda request, exc: _http_error(request, exc, api))
