"""Every form that edits or creates a record carries the edit guard, so the class of lost edits and
double creates cannot come back with the next form: a new ModelForm fails here until it is guarded
(or listed below with the reason it needs no guard of its own)."""

import importlib
import inspect
import pkgutil

from django import forms

from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import VersionedModel

FORM_MODULES = ("classroom.forms", "casework.forms", "activities.forms", "volunteers.forms")

# Forms saved only as part of a guarded parent form: the parent's version covers them.
PART_OF_A_GUARDED_FORM = {
    "GuardianForm": "saved by the student form, under the household's version",
    "HouseholdContactForm": "saved by the student form, under the household's version",
    "FollowUpForm": "saved by the visit and contact forms, under their version",
    # Not an edit of an opened record: it sets the one exception of a date (unique per volunteer and
    # date), so a repeat sets the same value again and nothing typed elsewhere is replaced unseen.
    "AvailabilityExceptionForm": "an idempotent set, keyed by volunteer and date",
}
# Plain forms that edit a versioned record by hand (no ModelForm): they must be guarded too.
PLAIN_EDIT_FORMS = ("ClassDayForm", "TutoringRecordForm", "MyTutoringRecordForm")


def _form_classes():
    seen = {}
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        modules = [module]
        if hasattr(module, "__path__"):
            modules += [importlib.import_module(f"{name}.{info.name}") for info in pkgutil.iter_modules(module.__path__)]
        for mod in modules:
            for cls_name, cls in inspect.getmembers(mod, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == mod.__name__:
                    seen[f"{mod.__name__}.{cls_name}"] = cls
    return seen


def test_every_model_form_is_guarded_or_part_of_a_guarded_form():
    unguarded = []
    for name, cls in _form_classes().items():
        model = getattr(getattr(cls, "_meta", None), "model", None)
        if model is None or not issubclass(cls, forms.BaseModelForm):
            continue
        if cls.__name__ in PART_OF_A_GUARDED_FORM:
            continue
        if not issubclass(cls, EditGuardMixin):
            unguarded.append(f"{name} ({model.__name__})")
    assert not unguarded, f"forms that save a record without an edit guard: {unguarded}"


def test_every_record_a_form_edits_has_a_version():
    unversioned = sorted({
        cls._meta.model.__name__ for name, cls in _form_classes().items()
        if issubclass(cls, forms.BaseModelForm) and getattr(cls._meta, "model", None) is not None
        and cls.__name__ not in PART_OF_A_GUARDED_FORM and not issubclass(cls._meta.model, VersionedModel)
    })
    # Records that are only ever created from a form (edited by no form): a token guards them.
    assert unversioned == ["Consent", "InformationShare"]


def test_plain_edit_forms_are_guarded():
    classes = {cls.__name__: cls for cls in _form_classes().values()}
    assert all(issubclass(classes[name], EditGuardMixin) for name in PLAIN_EDIT_FORMS)
