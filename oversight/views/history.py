"""The change history, for staff administrators: every change to a record that holds personal data
(``classroom.history``), newest first, and one record's changes field by field.

The rows a staff administrator reads are those of records of their own sites (``rules.history_scope``),
also once the record is deleted; anyone else gets 404. Each opening is an entry of the access log.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import models
from django.db.models import CharField, Value
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from classroom import rules
from classroom.access_log import VIEW, log_access
from classroom.history import tracked_models
from lib import localtime, plausible
from lib.display import plain_value
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name

PER_PAGE = 50
# Columns a reader has no use for: the edit guard's counter and the record's own timestamps.
HIDDEN_FIELDS = ("version", "updated_at", "created_at", "attendance_recorded_at")
CHANGE_TYPES = {"+": _lazy("Created"), "~": _lazy("Changed"), "-": _lazy("Deleted")}


def kinds() -> dict[str, type[models.Model]]:
    """The models that keep a history, by their kind in URLs ("student", "homevisit"...)."""
    return {model._meta.model_name: model for model in tracked_models()}



def _label(row) -> str:
    """The record as it reads in this version (its ``__str__``), or its number when that cannot be built."""
    try:
        return str(row.instance)[:120]
    except Exception:  # noqa: BLE001 - a related record deleted since: the number still says which
        return f"#{row.id}"


COLUMNS = ("record_kind", "history_id", "history_date", "history_type", "history_user_id", "history_user_label",
           "history_via", "id")


@rules.staff_admin_required
def history(request: HtmxHttpRequest):
    """Every change across the models, newest first: who, when, through what, which record."""
    user = request.user
    all_kinds = kinds()
    colleagues = list(rules.history_colleagues(user).order_by("last_name", "first_name", "username"))
    who = next((c for c in colleagues if str(c.pk) == request.GET.get("who", "")), None)
    kind = request.GET.get("kind", "")
    kind = kind if kind in all_kinds else ""
    first, last = plausible.date_param(request.GET.get("from")), plausible.date_param(request.GET.get("to"))
    scope = rules.history_scope(user)
    parts = []
    for name, model in all_kinds.items():
        if kind and name != kind:
            continue
        rows = model.history.model._base_manager.filter(scope)
        if who is not None:
            rows = rows.filter(history_user=who)
        rows = rows.filter(localtime.within_days("history_date", first, last))
        parts.append(rows.annotate(record_kind=Value(name, output_field=CharField())).values(*COLUMNS).order_by())
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = Paginator(union.order_by("-history_date", "-history_id"), PER_PAGE).get_page(request.GET.get("page"))
    entries = _entries(list(page.object_list), all_kinds)
    filters = {k: v for k, v in (("who", who and who.pk), ("kind", kind), ("from", first and first.isoformat()),
                                  ("to", last and last.isoformat())) if v}
    log_access(request, None, VIEW)
    return render_fragment(request, "oversight/history.html", {
        "page": page, "entries": entries, "query": "&".join(f"{k}={v}" for k, v in filters.items()),
        "colleagues": colleagues, "who": who, "kind": kind, "first": first, "last": last,
        "kinds": sorted(((n, m._meta.verbose_name) for n, m in all_kinds.items()), key=lambda k: str(k[1])),
    }, partial="results", target="history-results")


def _entries(rows: list[dict], all_kinds: dict) -> list[dict]:
    """The page's rows with their record's label and model name: one query per kind on the page."""
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["record_kind"]].append(row["history_id"])
    versions = {}
    for name, ids in by_kind.items():
        for version in all_kinds[name].history.model._base_manager.filter(history_id__in=ids):
            versions[(name, version.history_id)] = version
    entries = []
    for row in rows:
        version = versions.get((row["record_kind"], row["history_id"]))
        entries.append({**row, "model": all_kinds[row["record_kind"]]._meta.verbose_name,
                        "label": _label(version) if version else f"#{row['id']}",
                        "change": CHANGE_TYPES.get(row["history_type"], "")})
    return entries


@rules.staff_admin_required
def history_record(request: HtmxHttpRequest, kind: str, pk: int):
    """One record's changes, newest first, each field's value before and after (deleted records too)."""
    model = kinds().get(kind)
    if model is None:
        raise Http404
    versions = list(model.history.model._base_manager.filter(rules.history_scope(request.user), id=pk)
                    .select_related("history_user").order_by("history_date", "history_id"))
    if not versions:
        raise Http404
    changes = []
    previous = None
    for version in versions:
        changes.append({"version": version, "change": CHANGE_TYPES.get(version.history_type, ""),
                        "who": version.history_user_label or person_name(version.history_user),
                        "fields": _fields(model, version, previous)})
        previous = version
    changes.reverse()
    exists = model._base_manager.filter(pk=pk).exists()
    student_id = pk if model._meta.label == "classroom.Student" else getattr(versions[-1], "student_id", None)
    log_access(request, student_id, VIEW)
    return render(request, "oversight/history_record.html", {
        "model": model._meta.verbose_name, "kind": kind, "pk": pk, "label": _label(versions[-1]),
        "changes": changes, "exists": exists,
    })


def _shown(field: models.Field, value, model=None) -> str:
    """A stored value as a person reads it: the choice's label, a person by their name, the related record,
    the model's own display of the field (``get_<field>_display``, such as the weekdays a child comes on), or
    ``lib.display``'s text (yes/no, dates and times in Japan time)."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        if related is None:
            return f"#{value}"
        return person_name(related) if isinstance(related, get_user_model()) else str(related)
    if model is not None and hasattr(model, f"get_{field.name}_display"):
        return str(getattr(model(**{field.attname: value}), f"get_{field.name}_display")()) or "—"
    return plain_value(value) or "—"


def _fields(model, version, previous) -> list[dict]:
    """The fields this version changed (``diff_against`` the one before; every field written, for a
    creation), with their verbose names and readable values."""
    if version.history_type == "-":
        return []
    fields = {f.name: f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS and not f.primary_key}
    tracked = {f.name for f in model.history.model.tracked_fields}
    if previous is None:
        return [{"label": str(field.verbose_name), "before": "", "after": _shown(field, value, model)}
                for name, field in fields.items() if name in tracked
                and (value := getattr(version, field.attname)) not in (None, "")]
    delta = version.diff_against(previous, excluded_fields=[n for n in tracked if n not in fields])
    return [{"label": str(fields[change.field].verbose_name), "before": _shown(fields[change.field], change.old, model),
             "after": _shown(fields[change.field], change.new, model)}
            for change in sorted(delta.changes, key=lambda c: list(fields).index(c.field))]
