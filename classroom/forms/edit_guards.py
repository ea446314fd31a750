"""The form side of edit guards: every edit form carries the version it was opened at, every
create form a token of its own; on a conflict the form shows both versions, field by field.

Put ``EditGuardMixin`` first among a form's bases. Templates render
``{% include "includes/edit_guard.html" %}`` inside the ``<form>``: the hidden fields and, after a
conflict, the differences between what the user typed (still in the form) and what is saved.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from classroom.services.edit_guards import EditConflict
from lib.display import plain_value

VERSION_FIELD = "edit_version"
TOKEN_FIELD = "form_token"
STALE_FORM = _("This form is out of date. Open it again from the record's page.")


def new_token() -> str:
    return uuid.uuid4().hex


class _GuardField:
    """The guard's hidden fields are not data: they never make a form "changed"."""

    def has_changed(self, initial, data) -> bool:
        return False


class VersionField(_GuardField, forms.IntegerField):
    pass


class TokenField(_GuardField, forms.CharField):
    pass


class EditGuardMixin:
    """A hidden ``edit_version`` (the record's version when the form was opened; empty for a new
    record) and a hidden ``form_token`` (one per rendered form, so that a create happens once).

    ``version`` is for forms without a model instance: the version of the record they edit, or
    0 for "no record yet" (a form that creates on its first save, such as a tutoring record).
    """

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = getattr(instance, "version", None)
        messages = {"invalid": STALE_FORM, "min_value": STALE_FORM, "max_value": STALE_FORM}
        self.fields[VERSION_FIELD] = VersionField(
            required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput, initial=version,
            error_messages=messages,
        )
        self.fields[TOKEN_FIELD] = TokenField(
            required=False, max_length=32, widget=forms.HiddenInput, initial=new_token,
            validators=[RegexValidator(r"^[0-9a-f]{32}$", STALE_FORM)], error_messages={"max_length": STALE_FORM},
        )
        self.conflict_rows: list[dict] = []
        self.conflict_record: models.Model | None = None

    @property
    def guard_fields(self):
        return [self[VERSION_FIELD], self[TOKEN_FIELD]]

    @property
    def expected_version(self) -> int | None:
        """The version the form was opened at; None when the client sent none (scripts, old clients)."""
        return getattr(self, "cleaned_data", {}).get(VERSION_FIELD)

    def entered_values(self) -> dict:
        """The cleaned values without the guard's own fields, for a service's keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k not in (VERSION_FIELD, TOKEN_FIELD)}

    @property
    def create_token(self) -> str | None:
        return getattr(self, "cleaned_data", {}).get(TOKEN_FIELD) or None

    def compared_fields(self) -> list[str]:
        """The fields shown side by side on a conflict: what the user can see and change."""
        return [
            name for name, field in self.fields.items()
            if name not in (VERSION_FIELD, TOKEN_FIELD) and not field.widget.is_hidden
        ]

    def saved_values(self, current) -> dict:
        """The record as saved now, by field name, as this form would show it when opened."""
        names = self.compared_fields()
        if isinstance(current, models.Model) and isinstance(self, forms.BaseModelForm):
            values = model_to_dict(current, fields=names)
            return {name: values.get(name, getattr(current, name, None)) for name in names}
        if isinstance(current, Mapping):
            return {name: current.get(name) for name in names}
        return {name: getattr(current, name, None) for name in names}

    def show_conflict(self, conflict: EditConflict, *, extra_rows: Iterable[dict] = ()) -> None:
        """Keep what was typed, list where it differs from the saved record, and stand on the saved version.

        Saving the form again then replaces the saved version knowingly; nothing was overwritten yet.
        """
        self.conflict_record = conflict.current
        self.conflict_rows = [*conflict_rows(self, self.saved_values(conflict.current)), *extra_rows]
        self.add_error(None, str(conflict))
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = str(conflict.current.version)


# --- Both versions, field by field ---------------------------------------------------------------
def _choice_labels(field: forms.Field) -> dict[str, str] | None:
    choices = getattr(field, "choices", None)
    if choices is None:
        choices = getattr(field.widget, "choices", None)
    if choices is None:
        return None
    labels = {}
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def _key(value) -> str:
    return str(value.pk) if isinstance(value, models.Model) else str(value)


def display_value(field: forms.Field, value) -> str:
    """One value as a person reads it, in Japan time; "" for nothing."""
    labels = _choice_labels(field)
    if labels is not None:
        items = value if isinstance(value, (list, tuple, set, models.QuerySet)) else [value]
        keys = {_key(v) for v in items if v not in (None, "")}
        shown = [label for key, label in labels.items() if key in keys]  # in the form's order
        shown += sorted(key for key in keys if key not in labels)
        return "、".join(shown)
    return plain_value(value)


def _typed_value(form: forms.BaseForm, name: str):
    """What the user sent for ``name``: the cleaned value where it validated, else the raw text."""
    field = form.fields[name]
    if _choice_labels(field) is None and name in getattr(form, "cleaned_data", {}):
        return form.cleaned_data[name]
    return form[name].value()


def conflict_rows(form: forms.BaseForm, saved: Mapping) -> list[dict]:
    """The fields where what the user typed differs from the saved record: label, theirs, saved."""
    rows = []
    for name in form.compared_fields():
        if name not in saved:
            continue
        field = form.fields[name]
        mine = display_value(field, _typed_value(form, name))
        now = display_value(field, field.prepare_value(saved[name]) if _choice_labels(field) is not None
                            else saved[name])
        if mine != now:
            rows.append({"name": name, "label": str(field.label or name), "mine": mine, "saved": now})
    return rows


def formset_conflict_row(
    label: str, formset: forms.BaseFormSet, saved: Iterable, describe: Callable[[Callable[[str], object]], str]
) -> list[dict]:
    """One row for a formset (guardians, follow-up actions): every entry typed against every entry saved.

    ``describe`` gets a getter of one entry's values and returns one line for it.
    """
    def getter(entry):
        if isinstance(entry, Mapping):
            return lambda name: entry.get(name)
        return lambda name: getattr(entry, name, None)

    typed = [
        f.cleaned_data for f in formset.forms
        if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        and (f.instance.pk is not None or f.has_changed())
    ]
    mine = "\n".join(describe(getter(entry)) for entry in typed)
    now = "\n".join(describe(getter(entry)) for entry in saved)
    if mine == now:
        return []
    return [{"name": formset.prefix, "label": str(label), "mine": mine, "saved": now}]
