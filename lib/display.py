"""A stored value as a person reads it: the one place that turns field values into text for pages
that show records field by field (the edit guards' "saved meanwhile" panel, a child's own data
export, the change history). Times go through ``lib.localtime``, in Japan time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext

from lib import localtime


def plain_value(value) -> str:
    """Any value as text: yes/no, dates and times in Japan time, lists joined with 「、」."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.datetime):
        return localtime.date_time(value)
    if isinstance(value, dt.date):
        return localtime.long_date(value)
    if isinstance(value, dt.time):
        return localtime.hm(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return "、".join(plain_value(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").strip()


def field_value(obj: models.Model, field: models.Field, *, labels: Mapping | None = None,
                related: Callable[[models.Model], str] = str) -> str:
    """``field`` of ``obj`` as text: a choice by its label (or by ``labels``), a related row by
    ``related(row)``, several related rows joined, anything else through ``plain_value``."""
    if field.many_to_many:
        return "、".join(related(o) for o in getattr(obj, field.name).all())
    if field.is_relation:
        return related(getattr(obj, field.name)) if getattr(obj, field.attname) is not None else ""
    value = field.value_from_object(obj)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    if labels is not None:
        return str(labels.get(value, value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return plain_value(value)
