"""A child's own data (a person's request to see what is held about them): one ZIP of JSON, one file per
kind of record, and one readable, self-contained HTML page in Japanese that presents the same.

What is held about a child is every row that points at them, and their household's: ``SECTIONS`` names
each kind with the lookup from its model to the child. ``tests/dataio/test_subject_access.py`` fails
when a model that points at a child or a household is in neither ``SECTIONS`` nor ``LEFT_OUT``. Each
section costs one query (two with a many-to-many field), whatever the number of rows.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from classroom import access_log
from dataio.services.export_all import LEFT_OUT_COLUMNS, json_value
from lib.display import field_value
from lib.names import person_name


@dataclass(frozen=True)
class Section:
    """One kind of record: the file ``<key>.json``, its heading, its model and the lookup to the child."""

    key: str
    title: str
    model: str
    path: str
    order_by: tuple[str, ...] = ("pk",)
    table: bool = False  # shown as one table (many short rows) rather than one block per record
    note: str = ""

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


SECTIONS = (
    Section("child", gettext_lazy("The child"), "classroom.student", "pk"),
    Section("reasons", gettext_lazy("Reasons for enrolment"), "classroom.studentreason", "student", table=True),
    Section("household", gettext_lazy("Household"), "classroom.household", "students"),
    Section("guardians", gettext_lazy("Guardians"), "classroom.guardian", "household__students"),
    Section("household_contacts", gettext_lazy("Household contacts"), "classroom.householdcontact", "household__students"),
    Section("consents", gettext_lazy("Consents"), "classroom.consent", "student", ("given_on", "pk")),
    Section("attendance", gettext_lazy("Attendance"), "classroom.attendance", "student",
            ("class_day__date", "class_day__start_time", "pk"), table=True),
    Section("tutoring_records", gettext_lazy("Tutoring records"), "classroom.tutoringrecord", "student",
            ("class_day__date", "class_day__start_time", "pk")),
    Section("drop_ins", gettext_lazy("Drop-ins"), "classroom.dropin", "student", ("date", "checked_in_at", "pk"), table=True),
    Section("outcomes", gettext_lazy("Outcomes"), "classroom.outcome", "student", ("fiscal_year", "pk")),
    Section("home_visits", gettext_lazy("Home visits"), "casework.homevisit", "student", ("visited_at", "pk")),
    Section("contacts", gettext_lazy("Contacts"), "casework.contact", "student", ("contacted_at", "pk")),
    Section("follow_ups", gettext_lazy("Follow-up actions"), "casework.followupaction", "student", ("due_on", "pk")),
    Section("information_shares", gettext_lazy("Information shared"), "casework.informationshare", "student",
            ("shared_at", "pk")),
    Section("early_warning_notices", gettext_lazy("Early-warning notices sent to staff"), "casework.warningnotice",
            "student", ("notified_on", "pk"), table=True),
    Section("pairing_preferences", gettext_lazy("Tutor preferences"), "volunteers.pairingpreference", "student"),
    Section("activities", gettext_lazy("Experience activities"), "activities.participant", "student",
            ("activity__date", "pk")),
    Section("activity_photos", gettext_lazy("Photos of the activities the child took part in"),
            "activities.activityphoto", "activity__participants__student", ("activity__date", "pk"), table=True,
            note=gettext_lazy("Photos are recorded per activity, not per person, so Yorisoi cannot tell which show "
                              "the child. This lists the photos of the activities they joined; the images are not "
                              "included because they may show other children. Staff can look at them with the "
                              "person and hand over the ones that show them.")),
    Section("access_log", gettext_lazy("Who read or changed the child's records"), "classroom.accesslog", "student",
            ("at", "pk"), table=True),
)

LEFT_OUT = {
    "classroom.presencefacts": "Derived from attendance and drop-ins, which are included.",
    "casework.casefacts": "Derived from home visits, contacts and follow-ups, which are included.",
    # The change history (classroom.history): past versions of the records the sections export, kept for
    # the staff administrators' oversight (who changed what); the child's data is their records as they are.
    **{f"{app}.historical{name}": "Past versions of a record included here, kept as the program's change history "
                                  "(who changed what, when); the record as it is now is included."
       for app, name in (("classroom", "student"), ("classroom", "household"), ("classroom", "guardian"),
                         ("classroom", "householdcontact"), ("classroom", "consent"), ("classroom", "outcome"),
                         ("casework", "homevisit"), ("casework", "contact"), ("casework", "followupaction"),
                         ("casework", "informationshare"), ("activities", "participant"))},
}

# The page's words for fields whose model gave them no verbose name.
UNNAMED_FIELDS = {
    "created_at": gettext_lazy("Created at"),
    "created_by": gettext_lazy("Created by"),
    "uploaded_by": gettext_lazy("Uploaded by"),
    "updated_at": gettext_lazy("Updated at"),
    "finished_at": gettext_lazy("Finished at"),
    "uploaded_at": gettext_lazy("Uploaded at"),
    "attendance_recorded_at": gettext_lazy("Attendance recorded at"),
    "at": gettext_lazy("Date and time"),
    "path": gettext_lazy("Page"),
    "action": gettext_lazy("Action"),
}
# The page's words for coded values that have no choices on their field (the access log's actions, as
# the access log page says them).
VALUE_LABELS = {
    ("classroom.accesslog", "action"): {
        access_log.VIEW: gettext_lazy("Viewed"), access_log.CREATE: gettext_lazy("Created"),
        access_log.UPDATE: gettext_lazy("Changed"), access_log.CONTACTS: gettext_lazy("Read contacts and health notes"),
        access_log.STATEMENT: gettext_lazy("Opened the school attendance statement"),
        access_log.EXPORT: gettext_lazy("Downloaded"),
    },
}

# Columns that say nothing to the person reading the page (kept in the JSON).
HIDDEN_ON_PAGE = {"id", "version"}


def _columns(model: type[models.Model]) -> list[models.Field]:
    skipped = LEFT_OUT_COLUMNS.get(model._meta.label_lower, {})
    return [f for f in model._meta.concrete_fields if f.name not in skipped]


def _label(obj) -> str:
    """How a related row reads: a person by their name, anything else by its own text."""
    if obj is None:
        return ""
    if isinstance(obj, apps.get_model(settings.AUTH_USER_MODEL)):
        return person_name(obj)
    return str(obj)


def _related_paths(model: type[models.Model]) -> list[str]:
    """The foreign keys to join so that labelling a row costs no query: each one, and the site, account
    or child that the related row's own text names (a class day's site, a volunteer's account, a visit's
    child)."""
    named = {apps.get_model(settings.AUTH_USER_MODEL)._meta.label_lower, "classroom.site", "classroom.student"}
    paths = []
    for f in model._meta.concrete_fields:
        if not f.is_relation:
            continue
        paths.append(f.name)
        for g in f.related_model._meta.concrete_fields:
            if g.is_relation and g.related_model._meta.label_lower in named:
                paths.append(f"{f.name}__{g.name}")
    return paths


def rows_of(section: Section, student) -> list[models.Model]:
    model = section.model_class
    lookup = {"pk": student.pk} if section.path == "pk" else {section.path: student}
    queryset = (model._default_manager.filter(**lookup).select_related(*_related_paths(model))
                .order_by(*section.order_by))
    if "__" in section.path and section.path.count("__") > 1:
        queryset = queryset.distinct()
    m2m = [f.name for f in model._meta.many_to_many]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    return list(queryset)


def record(obj) -> dict:
    """One row as JSON: every column by its name; a foreign key as ``<name>_id`` and its label; a coded
    choice with its label in ``<name>_label``; a many-to-many field as the labels of its rows."""
    out = {}
    for f in _columns(type(obj)):
        if f.is_relation:
            out[f.attname] = getattr(obj, f.attname)
            out[f.name] = _label(getattr(obj, f.name)) if getattr(obj, f.attname) is not None else None
            continue
        value = f.value_from_object(obj)
        if isinstance(value, FieldFile):
            value = value.name or None
        out[f.name] = json_value(value)
        if f.choices:
            out[f"{f.name}_label"] = str(dict(f.flatchoices).get(value, value)) if value not in (None, "") else ""
    for f in type(obj)._meta.many_to_many:
        out[f.name] = [_label(o) for o in getattr(obj, f.name).all()]
    return out


def _display(obj, f: models.Field) -> str:
    """A field's value as the page shows it, in Japan time through the one formatter."""
    return field_value(obj, f, labels=VALUE_LABELS.get((obj._meta.label_lower, f.name)), related=_label)


def _page_fields(section: Section) -> list[models.Field]:
    model = section.model_class
    to_child = section.path.split("__")[0]
    fields = [f for f in _columns(model) if f.name not in HIDDEN_ON_PAGE and f.name != to_child]
    return fields + list(model._meta.many_to_many)


def _heading(f: models.Field) -> str:
    """A field's name on the page: its verbose name, or, where the model gave none (Django made it from
    the attribute: "class day"), the related model's name or the catalogue's word for it."""
    if str(f.verbose_name) != f.name.replace("_", " "):
        return str(f.verbose_name)
    if f.name in UNNAMED_FIELDS:
        return str(UNNAMED_FIELDS[f.name])
    if f.is_relation:
        return str(f.related_model._meta.verbose_name)
    return str(f.verbose_name)


@dataclass
class PageSection:
    key: str
    title: str
    note: str
    table: bool
    headings: list[str]
    rows: list[list[tuple[str, str]]]  # per record, (heading, value) per field


def _page_section(section: Section, objs: list) -> PageSection:
    fields = _page_fields(section)
    headings = [_heading(f) for f in fields]
    return PageSection(key=section.key, title=str(section.title), note=str(section.note), table=section.table,
                       headings=headings,
                       rows=[list(zip(headings, [_display(obj, f) for f in fields], strict=True)) for obj in objs])


def subject_access_archive(*, student, out: BinaryIO, by) -> dict[str, int]:
    """Write the child's ZIP to ``out``: ``<section>.json`` for every section, ``index.html`` (Japanese),
    ``README.txt``; answers the number of records per section."""
    created = timezone.now()
    counts: dict[str, int] = {}
    page_sections = []
    with translation.override("ja"), zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            objs = rows_of(section, student)
            counts[section.key] = len(objs)
            archive.writestr(f"{section.key}.json", json.dumps(
                {"title": str(section.title), "records": [record(obj) for obj in objs]}, ensure_ascii=False, indent=1))
            page_sections.append(_page_section(section, objs))
        context = {"student": student, "sections": page_sections, "created": created, "by": person_name(by)}
        archive.writestr("index.html", render_to_string("dataio/subject_access_page.html", context))
        archive.writestr("README.txt", render_to_string("dataio/subject_access_readme.txt", {**context,
                                                                                          "counts": counts}))
    return counts
