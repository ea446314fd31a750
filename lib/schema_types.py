"""Bounded text types for API input schemas and query parameters.

Every ``str`` an API operation accepts is declared with one of these, so that it has a length
and refuses NUL bytes (which PostgreSQL cannot store); tests/test_hostile_input.py checks that
no operation takes an unbounded string.
"""

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from pydantic import AfterValidator, StringConstraints, WithJsonSchema


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("The input contains a character that cannot be used (a NUL byte)."))
    return value


def bounded_text(max_length: int):
    """A string of at most ``max_length`` characters without NUL bytes."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_no_nul)]


# A filter value (search words, a choice, a date): no filter needs more.
FilterText = bounded_text(100)


# A wall-clock time of a Japan day (17:00:00), sent without an offset: OpenAPI's "time" format (RFC 3339)
# demands one, so the schema states the pattern that is really sent.
WallTime = Annotated[dt.time, WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$",
                                              "example": "17:00:00"})]
