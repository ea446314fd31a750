"""Imports from the spreadsheets a city keeps: upload, a dry run, then one write.

``import_upload`` reads the file (``imports_read``) into an ``ImportRun`` and plans it: every row
is "new", "update", "unchanged" or "error", with the reasons in the user's language, and each row's
validated values are kept with a digest of the records it was planned against. Nothing else is
written. ``import_confirm`` writes every row that is not an error in one transaction: from the
kept values when the records are as they were (the same digest), else after planning the rows
again against the database as it is then, if that plan is the one the user saw.

Each row is validated by the form its record is edited with (``StudentForm``, ``HouseholdForm``,
``GuardianForm``, ``VolunteerForm``, ``PartnerForm``) and written by the service behind that form
(``student_save``, ``volunteer_save``, ``partner_save``): an import obeys the same rules as the
screens. The diff is the form's own: the record's values as the form shows them, with the file's
non-empty cells put over them, ``changed_data`` naming what would change. An empty cell leaves
the stored value alone, so a re-import of the same file changes nothing.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import unicodedata
from collections import defaultdict

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.forms.activities import PartnerForm
from activities.models import Partner, PartnerKind
from activities.services.activities import partner_save
from classroom.exceptions import DomainError
from classroom.forms.edit_guards import TOKEN_FIELD, VERSION_FIELD
from classroom.forms.students import GuardianForm, HouseholdForm, StaffChoiceField, StudentForm
from classroom.history import history_via
from classroom.models import EnrollmentReason, Guardian, Household, Site, Student, StudentReason
from classroom.services.students import student_create_many, student_save, student_save_many
from dataio.models import ImportKind, ImportMapping, ImportRun, ImportStatus
from dataio.services import imports_columns as cols
from dataio.services.imports_read import (
    MAX_CELL,
    normalise_heading,
    normalise_phone,
    parse_date,
    read_table,
    split_name,
)
from lib.kana import to_katakana
from volunteers.forms.manage import VolunteerForm
from volunteers.models import Volunteer, VolunteerKind
from volunteers.services.manage import volunteer_save

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
ACTIONS = (NEW, UPDATE, UNCHANGED, ERROR)
DEFAULT_RELATIONSHIP = "保護者"  # a new guardian's, when the file has no relationship column (stored data, not UI)
WEEKDAY_LETTERS = {"月": "0", "火": "1", "水": "2", "木": "3", "金": "4", "土": "5", "日": "6"}


class ImportChanged(DomainError):
    """The records changed since the preview: the new preview is saved, nothing was written."""


# --- Upload and mapping -------------------------------------------------------------------------
def import_upload(*, kind: str, site: Site, file_name: str, data: bytes, by) -> ImportRun:
    """Read the file, match its headings (remembered ones first), plan it. Raises ``ImportFileError``."""
    index = cols.headings_index(kind)
    remembered = dict(ImportMapping.objects.filter(site=site, kind=kind).values_list("heading", "field"))
    known = set(index) | set(remembered)
    table = read_table(data, is_known_heading=lambda text: normalise_heading(text) in known)
    run = ImportRun(kind=kind, site=site, file_name=file_name[:200], created_by=by, headings=table.headings,
                    rows=table.rows, first_row=table.first_row,
                    mapping=cols.auto_mapping(kind, table.headings, remembered))
    return import_plan(run=run, user=by)


@transaction.atomic
def import_map(*, run: ImportRun, mapping: dict[str, str], user) -> ImportRun:
    """Match the columns by hand; remembered per site and kind for the next file. Plans again."""
    if run.status != ImportStatus.PREVIEW:
        raise DomainError(_("This import is already finished."))
    run.mapping = {str(i): mapping.get(str(i), "") for i in range(len(run.headings))}
    for i, heading in enumerate(run.headings):
        ImportMapping.objects.update_or_create(site=run.site, kind=run.kind, heading=normalise_heading(heading)[:100],
                                               defaults={"field": run.mapping[str(i)]})
    return import_plan(run=run, user=user)


def import_plan(*, run: ImportRun, user) -> ImportRun:
    """The dry run: plan every row and keep the plan and its counts on the run (saved), with a digest
    of the records it was planned against (``state``, taken first: a write meanwhile makes it stale)."""
    planner_class = _planner_class(run)
    run.state = planner_class.state(run, user)
    run.plan = [row.plan for row in planner_class(run, user).rows()]
    _count(run)
    run.save()
    return run


def _count(run: ImportRun) -> None:
    counts = dict.fromkeys(ACTIONS, 0)
    for row in run.plan:
        counts[row["action"]] += 1
    run.new_count, run.update_count = counts[NEW], counts[UPDATE]
    run.unchanged_count, run.error_count = counts[UNCHANGED], counts[ERROR]


# --- Confirm ------------------------------------------------------------------------------------
def import_confirm(*, run_id: int, user) -> tuple[ImportRun, bool]:
    """Write the rows the preview showed, all in one transaction, once; answers the run and whether
    this call wrote it.

    The run is locked; a second confirmation (another tab, the back button) finds it done and
    writes nothing. When the records the preview was planned against are as they were (the same
    ``state`` digest: every matched or matchable record, field by field, and the day), the rows are
    written from the values the forms validated then, kept in the plan, without validating again.
    Otherwise the rows are planned again: when a row's action differs, the new plan is saved and
    ``ImportChanged`` raised, and the user looks again. The rows that went in are dropped from the
    run afterwards (only the failed ones stay, for the error file).
    """
    try:
        return _confirm(run_id=run_id, user=user)
    except ImportChanged:
        raise
    # A record saved or deleted at this very moment: an external id taken, a version moved on.
    except (IntegrityError, DomainError) as error:
        raise ImportChanged(_("The records changed since this preview. Look at the new preview and confirm again.")
                            ) from error


def _confirm(*, run_id: int, user) -> tuple[ImportRun, bool]:
    """``import_confirm`` inside its transaction (the change history names the import as the channel)."""
    with transaction.atomic(), history_via(f"import #{run_id}", by=user):
        run = ImportRun.objects.visible_to(user).select_for_update().get(pk=run_id)
        if run.status != ImportStatus.PREVIEW:
            return run, False
        planner_class = _planner_class(run)
        state = planner_class.state(run, user)
        if planner_class.write_stored is not None and run.state and run.state == state:
            changed = False
            planner_class.write_stored(run.plan)
            planned = [PlannedRow(plan) for plan in run.plan]
        else:
            planner = planner_class(run, user)
            planned = list(planner.rows())
            changed = [r.plan["action"] for r in planned] != [r["action"] for r in run.plan]
            if changed:
                run.state = state  # the new preview's
            else:
                planner.write(planned)
        if not changed:
            run.status = ImportStatus.DONE
            run.confirmed_by, run.confirmed_at = user, timezone.now()
            keep = [i for i, row in enumerate(planned) if row.plan["action"] == ERROR]
            run.rows = [run.rows[i] for i in keep]
            planned = [planned[i] for i in keep]
        run.plan = [row.plan for row in planned]
        if changed:
            _count(run)
        run.save()
    if changed:
        raise ImportChanged(_("The records changed since this preview. Look at the new preview and confirm again."))
    return run, True


@transaction.atomic
def import_discard(*, run: ImportRun) -> ImportRun:
    """Drop an unconfirmed preview: its rows go, the record of the upload stays."""
    if run.status == ImportStatus.PREVIEW:
        run.status, run.rows, run.plan = ImportStatus.CANCELLED, [], []
        run.save(update_fields=["status", "rows", "plan"])
    return run


def failed_rows(run: ImportRun) -> list[tuple[list[str], str]]:
    """The rows in error with their messages, for the error file. Before the confirmation the run
    still holds every row; after it, only the failed ones."""
    return [(row, "\n".join(message for _col, message in plan["errors"]))
            for row, plan in zip(run.rows, run.plan, strict=True) if plan["action"] == ERROR]


# --- Planning -----------------------------------------------------------------------------------
@dataclasses.dataclass
class PlannedRow:
    plan: dict
    write: object = None  # a callable writing the row, when it is new or an update


def _planner_class(run: ImportRun):
    return {ImportKind.STUDENTS: StudentPlanner, ImportKind.VOLUNTEERS: VolunteerPlanner,
            ImportKind.PARTNERS: PartnerPlanner}[run.kind]


def _record(obj) -> dict:
    """A record's stored values, by column, as JSON can keep them (dates and times in ISO form, whole)."""
    values = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        values[field.attname] = value.isoformat() if isinstance(value, (dt.date, dt.time)) else value
    return values


def _restored(model, values: dict):
    """The instance ``_record`` kept: new when it has no primary key, else the stored record as it was then."""
    obj = model(**{field.attname: field.to_python(values[field.attname]) for field in model._meta.concrete_fields})
    obj._state.adding, obj._state.db = obj.pk is None, "default"
    return obj


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _bound(form_class, *, instance=None, **kwargs):
    """The form bound to what it shows for its record (or a new one), which the file's cells then go over
    (``form.data``; the form reads it when validated): one form per row, its initial values computed once.

    A field with a callable default (an enrolment date) compares with a hidden copy of its initial
    value: that copy goes in too, so that ``changed_data`` compares with the record."""
    form = form_class({}, instance=instance, **kwargs) if instance is not None else form_class({}, **kwargs)
    for name, field in form.fields.items():
        if name in (VERSION_FIELD, TOKEN_FIELD):
            continue
        form.data[name] = value = field.prepare_value(form.get_initial_for_field(field, name))
        if field.show_hidden_initial:
            form.data[form.add_initial_prefix(name)] = value
    return form


def _changed(form, skip=()) -> list[str]:
    return [str(form.fields[name].label) for name in form.changed_data
            if name not in (VERSION_FIELD, TOKEN_FIELD, *skip)]


def _choice(text: str, choices, *, column_label) -> str:
    """A choice's code from a label in Japanese or English, its code, or the start of its label (生活保護)."""
    wanted = unicodedata.normalize("NFKC", text).strip().lower()
    exact, starts = set(), set()
    for code, label in choices:
        names = {code}
        for language in ("ja", "en"):
            with translation.override(language):
                names.add(str(label))
                names.update(str(label).split("・"))
        names = {unicodedata.normalize("NFKC", n).lower() for n in names}
        if wanted in names:
            exact.add(code)
        elif any(n.startswith(wanted) for n in names):
            starts.add(code)
    if len(exact) == 1 or (not exact and len(starts) == 1):
        return (exact or starts).pop()
    raise ValueError(_("%(column)s: “%(value)s” is not one of the choices.") % {"column": column_label, "value": text})


def _weekdays(text: str) -> list[str]:
    letters = [c for c in unicodedata.normalize("NFKC", text) if c not in " 、,・/曜日"]
    if any(c not in WEEKDAY_LETTERS for c in letters):
        raise ValueError(_("Usual weekdays: write the days as 月火水木金土日 (for example 月水)."))
    return sorted({WEEKDAY_LETTERS[c] for c in letters})


class Planner:
    """Plans the rows of one run. Subclasses give ``plan_row`` (and may group rows afterwards)."""

    kind: str
    # form field -> column key, for pointing an error at its column
    field_columns: dict[str, str] = {}

    def __init__(self, run: ImportRun, user):
        self.run, self.user, self.site = run, user, run.site
        self.key_column = {key: int(i) for i, key in run.mapping.items() if key}

    @classmethod
    def state(cls, run: ImportRun, user) -> str:
        """A digest of everything in the database the plan depends on, or "" (confirm plans again)."""
        return ""

    # A planner that gives a digest (``state``) also says how to write the rows from their stored plan:
    # a classmethod ``write_stored(plan)``. Without one, confirm always plans again.
    write_stored = None

    def values(self, cells: list[str]) -> dict[str, str]:
        return {key: cells[i].strip() if i < len(cells) else "" for key, i in self.key_column.items()}

    def rows(self):
        planned = []
        for n, cells in enumerate(self.run.rows):
            plan = {"n": self.run.first_row + n, "action": ERROR, "label": "", "errors": [], "changes": []}
            values = self.values(cells)
            long = [key for key, value in values.items() if len(value) > MAX_CELL]
            if long:
                for key in long:
                    self.error(plan, key, _("%(column)s: the cell is longer than %(count)s characters.") % {
                        "column": cols.column(self.kind, key).label, "count": MAX_CELL})
                planned.append(PlannedRow(plan))
            elif not any(values.values()):
                continue
            else:
                planned.append(self.plan_row(plan, values))
        return self.after(planned)

    def after(self, planned: list[PlannedRow]) -> list[PlannedRow]:
        return planned

    def write(self, planned: list[PlannedRow]) -> None:
        for row in planned:
            if row.plan["action"] in (NEW, UPDATE):
                row.write()

    def error(self, plan: dict, key: str | None, message: str) -> None:
        plan["action"] = ERROR
        plan["errors"].append([self.key_column.get(key) if key else None, str(message)])

    def form_errors(self, plan: dict, form, prefix: str = "") -> None:
        for name, messages in form.errors.items():
            key = self.field_columns.get(prefix + name, name)
            label = form.fields[name].label if name in form.fields else None
            for message in messages:
                self.error(plan, key, f"{label}: {message}" if label else message)

    def parse(self, plan: dict, values: dict, key: str, parser):
        """A cell through ``parser`` (a date, weekdays, a choice); on ``ValueError``, an error at its column."""
        text = values.get(key, "")
        if not text:
            return None
        try:
            return parser(text)
        except ValueError as error:
            label = cols.column(self.kind, key).label
            message = str(error)
            self.error(plan, key, message if message.startswith(str(label)) else f"{label}: {message}")
            return None

    def names(self, values: dict, family: str = "family_name", given: str = "given_name") -> tuple[str, str]:
        if values.get("name"):
            return split_name(values["name"])
        return values.get(family, ""), values.get(given, "")

    def duplicate(self, plan: dict, seen: dict, key, what: str) -> bool:
        if key in seen:
            self.error(plan, None, _("The same %(what)s as on row %(row)s.") % {"what": what, "row": seen[key]})
            return True
        seen[key] = plan["n"]
        return False


def _date_text(day) -> str:
    return day.isoformat() if day else ""


def _put(data: dict, **values) -> None:
    """The file's non-empty values over the record's: an empty cell leaves the stored value."""
    data.update({name: value for name, value in values.items() if value not in ("", None, [])})


# --- Forms for many rows ------------------------------------------------------------------------
class _SharedWidgets(dict):
    """A form class's fields, copied for each form without Django's deep copy of every widget and
    choice list (a millisecond a form, most of an import's time).

    Each form still gets fields of its own (a form sets its querysets and choices on them; the
    cleaning is the field's and the form's own, unchanged), but they share their widgets: an
    import binds thousands of forms and renders none, and a widget only reads the submitted data."""

    def __deepcopy__(self, memo):
        fields = {}
        for name, field in self.items():  # copy.copy, without its generic (and slower) protocol
            fields[name] = copied = object.__new__(type(field))
            copied.__dict__.update(field.__dict__)
        return fields


def _shared_widgets(form_class):
    """A class decorator: ``form_class``'s forms copy their fields as ``_SharedWidgets`` says (set
    after the class is made: a form class's metaclass builds ``base_fields`` anew for each subclass)."""
    form_class.base_fields = _SharedWidgets(copy.deepcopy(form_class.base_fields))
    return form_class


def _for_import(form_class):
    """``form_class`` for validating rows: the same fields, validation and messages (see ``_SharedWidgets``)."""
    return _shared_widgets(type(f"Import{form_class.__name__}", (form_class,), {"__module__": __name__}))


class _KnownChoicesMixin:
    """A model choice field whose choices were read once for the import (``known``: pk -> record):
    no query per row; a value not among them goes to the field's own check (and its message)."""

    def __init__(self, *args, known: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.known = known

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                return self.known[int(str(value))]
            except (KeyError, ValueError):
                pass
        return super().to_python(value)


# --- Students, households, guardians ------------------------------------------------------------
class _KnownSiteField(forms.ModelChoiceField):
    """The import's site, checked once when the file was uploaded: no query per row for it."""

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def to_python(self, value):
        return self.site if str(value) == str(self.site.pk) else super().to_python(value)


class _KnownStaffField(_KnownChoicesMixin, StaffChoiceField):
    pass


ImportHouseholdForm, ImportGuardianForm = _for_import(HouseholdForm), _for_import(GuardianForm)
ImportVolunteerForm, ImportPartnerForm = _for_import(VolunteerForm), _for_import(PartnerForm)


@_shared_widgets
class ImportStudentForm(StudentForm):
    """The student form for one row: the import matches children itself (by external id, or name,
    reading and date of birth at the site), so the form's own look-up for the same child is skipped;
    the site and the staff who can be in charge are read once for the whole file (``staff``: pk -> user)."""

    def __init__(self, *args, site: Site, staff: dict, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["site"]
        self.fields["site"] = _KnownSiteField(field.queryset, site=site, label=field.label, empty_label=None)
        field = self.fields["staff_in_charge"]
        self.fields["staff_in_charge"] = _KnownStaffField(field.queryset, known=staff, label=field.label,
                                                          empty_label=field.empty_label, required=field.required)

    def _same_children(self, cleaned) -> list[Student]:
        return []

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "site"}  # the import's own site, checked at the upload



@dataclasses.dataclass
class StudentRow:
    planned: PlannedRow
    form: StudentForm | None
    student: Student | None
    values: dict
    guardian: dict


class StudentPlanner(Planner):
    kind = ImportKind.STUDENTS
    field_columns = {"family_name_kana": "family_name_kana", "given_name_kana": "given_name_kana",
                     "postal_code": "postal_code", "address": "address",
                     "guardian:family_name": "guardian_name", "guardian:given_name": "guardian_name",
                     "guardian:family_name_kana": "guardian_kana", "guardian:given_name_kana": "guardian_kana",
                     "guardian:relationship": "guardian_relationship", "guardian:phone": "guardian_phone",
                     "guardian:email": "guardian_email"}

    def __init__(self, run, user):
        super().__init__(run, user)
        if "name" in self.key_column:
            self.field_columns = {**self.field_columns, "family_name": "name", "given_name": "name"}
        if "name_kana" in self.key_column:
            self.field_columns = {**self.field_columns, "family_name_kana": "name_kana", "given_name_kana": "name_kana"}
        students = list(Student.objects.visible_to(user).filter(site=self.site).select_related("household")
                        .prefetch_related("reasons", "household__guardians"))
        self.by_external = {s.external_id: s for s in students if s.external_id}
        self.by_person = {self.person_key(s.family_name, s.given_name, s.family_name_kana, s.given_name_kana,
                                          s.birth_date): s for s in students}
        if "external_id" in self.key_column:
            ids = {cells[self.key_column["external_id"]].strip() for cells in run.rows
                   if self.key_column["external_id"] < len(cells)} - set(self.by_external) - {""}
            self.elsewhere = set(Student.objects.filter(external_id__in=ids).exclude(site=self.site)
                                 .values_list("external_id", flat=True)) if ids else set()
        # The staff who can be in charge, read once (the form's own choices, cached on the user).
        self.staff = {user.pk: user for user in ImportStudentForm({}, user=user, site=self.site, staff={})
                      .fields["staff_in_charge"].queryset}
        self.student_rows: list[StudentRow] = []
        self.seen_ids: dict = {}
        self.seen_people: dict = {}

    @classmethod
    def state(cls, run, user) -> str:
        """The site's children as the user sees them with their reasons, households and guardians, every
        column; the file's external ids found at other sites; the choices the form offers; the day
        (grades and the plausible dates follow it). A handful of queries, whatever the number of rows."""
        students = Student.objects.visible_to(user).filter(site=run.site)
        households = Household.objects.filter(students__in=students).distinct()
        index = {key: int(i) for i, key in run.mapping.items() if key}.get("external_id")
        ids = sorted({cells[index].strip() for cells in run.rows if index is not None and index < len(cells)} - {""})
        form = ImportStudentForm({}, user=user, site=run.site, staff={})

        def rows(queryset, model):
            return list(queryset.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields]))
        return _digest(
            user.pk, timezone.localdate(), sorted(run.mapping.items()), rows(students, Student),
            list(StudentReason.objects.filter(student__in=students).order_by("pk").values_list("student_id", "reason")),
            rows(households, Household), rows(Guardian.objects.filter(household__in=households), Guardian),
            sorted(Student.objects.filter(external_id__in=ids).exclude(site=run.site).values_list("external_id", flat=True)),
            list(form.fields["staff_in_charge"].queryset.values_list("pk", flat=True)),
            list(form.fields["site"].queryset.order_by("pk").values_list("pk", flat=True)),
        )

    @classmethod
    def write_stored(cls, plan: list[dict]) -> None:
        """As ``write``, from the values kept in the plan, every row at once (``student_save_many``);
        a household shared by rows is one object, as when planned."""
        households: dict[str, Household] = {}
        entries = []
        for row in plan:
            if row["action"] not in (NEW, UPDATE):
                continue
            kept = row["write"]
            household = None
            if kept["household"]:
                household = households.setdefault(kept["household"], _restored(Household, kept["household_record"]))
            entries.append((_restored(Student, kept["student"]), kept["reasons"], household,
                            [_restored(Guardian, g) for g in kept["guardians"]], kept["edited"]))
        student_save_many(entries=entries)

    @staticmethod
    def person_key(family, given, family_kana, given_kana, birth_date):
        return (family, given, to_katakana(family_kana), to_katakana(given_kana), birth_date)

    def plan_row(self, plan, values):
        planned = PlannedRow(plan)
        family, given = self.names(values)
        if values.get("name_kana"):
            family_kana, given_kana = split_name(values["name_kana"])
        else:
            family_kana, given_kana = values.get("family_name_kana", ""), values.get("given_name_kana", "")
        plan["label"] = f"{family} {given}".strip()
        birth_date = self.parse(plan, values, "birth_date", parse_date)
        enrolled_on = self.parse(plan, values, "enrolled_on", parse_date)
        reasons = self.parse(plan, values, "reasons", lambda text: sorted({
            _choice(part, EnrollmentReason.choices, column_label=cols.column(self.kind, "reasons").label)
            for part in text.replace(",", "、").split("、") if part.strip()}))
        weekdays = self.parse(plan, values, "weekdays", _weekdays)
        if values.get("site") and values["site"] != self.site.name:
            self.error(plan, "site", _("This row is for another site (%(site)s): import it into that site.") % {
                "site": values["site"]})
        external_id = values.get("external_id", "")
        student = self.by_external.get(external_id) if external_id else None
        if external_id and student is None and external_id in self.elsewhere:
            self.error(plan, "external_id", _("This external id belongs to a child of another site."))
        person = self.person_key(family, given, family_kana, given_kana, birth_date)
        if student is None and birth_date and (match := self.by_person.get(person)):
            if match.external_id and external_id and match.external_id != external_id:
                self.error(plan, "external_id", _(
                    "A child with this name, reading and date of birth is registered with another external id (%(id)s)."
                ) % {"id": match.external_id})
            student = match
        if (external_id and self.duplicate(plan, self.seen_ids, external_id, _("external id"))) or (
                birth_date and self.duplicate(plan, self.seen_people, person, _("child"))):
            return planned
        form = _bound(ImportStudentForm, instance=student, user=self.user, site=self.site, staff=self.staff,
                      initial={"site": self.site.pk})
        data = form.data
        data.update(site=self.site.pk, different_child=True)
        _put(data, family_name=family, given_name=given, family_name_kana=to_katakana(family_kana),
             given_name_kana=to_katakana(given_kana),
             birth_date=_date_text(birth_date), school=values.get("school"), nickname=values.get("nickname"),
             enrolled_on=_date_text(enrolled_on), reasons=reasons, weekdays=weekdays)
        if plan["errors"]:
            return planned
        if external_id:
            form.instance.external_id = external_id
        if not form.is_valid():
            self.form_errors(plan, form)
            return planned
        plan["grade"] = form.instance.get_grade_display()
        plan["action"] = UPDATE if student else NEW
        plan["changes"] = _changed(form, skip=("different_child",)) if student else []
        if student and external_id and student.external_id != external_id:
            plan["changes"].append(str(cols.column(self.kind, "external_id").label))
        guardian = {}
        if values.get("guardian_name") or values.get("guardian_kana"):
            g_family, g_given = split_name(values.get("guardian_name", ""))
            g_family_kana, g_given_kana = split_name(values.get("guardian_kana", ""))
            guardian = {"family_name": g_family, "given_name": g_given, "family_name_kana": to_katakana(g_family_kana),
                        "given_name_kana": to_katakana(g_given_kana), "relationship": values.get("guardian_relationship", ""),
                        "phone": normalise_phone(values.get("guardian_phone", "")),
                        "email": values.get("guardian_email", "")}
        self.student_rows.append(StudentRow(planned, form, student, values, guardian))
        return planned

    def after(self, planned):
        groups: dict[tuple, list[StudentRow]] = defaultdict(list)
        for row in self.student_rows:
            groups[self.group_key(row)].append(row)
        households_by_guardian = self.households_by_guardian()
        for group in groups.values():
            self.plan_household(group, households_by_guardian)
        for row in planned:
            if row.plan["action"] == UPDATE and not row.plan["changes"]:
                row.plan["action"] = UNCHANGED
                row.write = None
            if row.plan["action"] not in (NEW, UPDATE):
                row.plan.pop("write", None)
        return planned

    def group_key(self, row: StudentRow) -> tuple:
        if row.values.get("household_key"):
            return ("key", row.values["household_key"])
        if row.guardian:
            g = row.guardian
            return ("guardian", g["family_name"], g["given_name"], to_katakana(g["family_name_kana"]),
                    to_katakana(g["given_name_kana"]), _address(row.values.get("address", "")))
        return ("row", row.planned.plan["n"])

    def households_by_guardian(self) -> dict[tuple, Household]:
        """The site's households by a guardian's name, reading and the address: a new sibling joins one."""
        guardians = (Guardian.objects.filter(household__students__in=Student.objects.visible_to(self.user)
                                             .filter(site=self.site))
                     .select_related("household").distinct())
        return {(g.family_name, g.given_name, g.family_name_kana, g.given_name_kana, _address(g.household.address)):
                g.household for g in guardians}

    def plan_household(self, group: list[StudentRow], by_guardian: dict) -> None:
        existing = {row.student.household_id for row in group if row.student and row.student.household_id}
        if len(existing) > 1:
            for row in group:
                self.error(row.planned.plan, "household_key", _(
                    "These children are registered in different households. Join them on the student pages first."))
            return
        household = next((row.student.household for row in group if row.student and row.student.household_id), None)
        if household is None:
            for row in group:
                g = row.guardian
                key = (g.get("family_name"), g.get("given_name"), to_katakana(g.get("family_name_kana", "")),
                       to_katakana(g.get("given_name_kana", "")), _address(row.values.get("address", "")))
                if g and key in by_guardian:
                    household = by_guardian[key]
                    break
        if household is None and not any(row.guardian or row.values.get("address") or row.values.get("postal_code")
                                         or row.values.get("household_key") for row in group):
            for row in group:  # a child without any household details keeps theirs (or none)
                row.planned.write = self.writer(row, household=row.student.household if row.student else None,
                                                key=f"row {row.planned.plan['n']}", edited=False, saved=[])
            return
        household = household or Household()
        household_form = _bound(ImportHouseholdForm, instance=household)
        first = next((row for row in group if row.values.get("address") or row.values.get("postal_code")), group[0])
        _put(household_form.data, postal_code=first.values.get("postal_code"), address=first.values.get("address"))
        failed: list[StudentRow] = []
        if not household_form.is_valid():
            self.form_errors(first.planned.plan, household_form)
            failed.append(first)
        changes = {id(first): _changed(household_form)} if household.pk else {}
        saved: list[Guardian] = []
        known = {(g.family_name, g.given_name): g for g in household.guardians.all()} if household.pk else {}
        for row in group:
            if not row.guardian or (row.guardian["family_name"], row.guardian["given_name"]) in {
                    (g.family_name, g.given_name) for g in saved}:
                continue
            stored = known.get((row.guardian["family_name"], row.guardian["given_name"]))
            guardian_form = _bound(ImportGuardianForm, instance=stored or Guardian())
            if stored is None:
                guardian_form.data["relationship"] = DEFAULT_RELATIONSHIP
            _put(guardian_form.data, **row.guardian)
            if not guardian_form.is_valid():
                self.form_errors(row.planned.plan, guardian_form, prefix="guardian:")
                failed.append(row)
                continue
            if stored is None or guardian_form.has_changed():
                saved.append(guardian_form.instance)
                changes.setdefault(id(row), []).extend(
                    _changed(guardian_form) if stored else [_("Guardian %(name)s") % {"name": guardian_form.instance}])
        if failed:
            for row in group:
                if row not in failed:
                    self.error(row.planned.plan, None, _("Fix the household's errors on row %(row)s first.") % {
                        "row": failed[0].planned.plan["n"]})
            return
        edited = household.pk is None or household_form.has_changed() or bool(saved)
        carrier = next((row for row in group if id(row) in changes), group[0])
        for row in group:
            plan = row.planned.plan
            if plan["action"] == ERROR:
                continue
            if row.student is not None:
                plan["changes"].extend(changes.get(id(row), []))
            moved = row.student is not None and (household.pk is None or row.student.household_id != household.pk)
            if moved and _("Household") not in plan["changes"]:
                plan["changes"].append(_("Household"))
            row.planned.write = self.writer(row, household=household, key=f"group {group[0].planned.plan['n']}",
                                            edited=edited and row is carrier, saved=saved if row is carrier else [])

    def writer(self, row: StudentRow, *, household, key: str, edited: bool, saved: list):
        """The row's write; what it writes is kept in the plan too (``write_stored``), by the values the
        forms validated: the student, reasons, the household (``key``: one object for the rows sharing
        it) and the guardians to save."""
        form = row.form
        # A new child whose household is new or left as it is, with only new guardians: in the batch.
        batch = row.student is None and (household is None or household.pk is None or not edited) and all(
            guardian.pk is None for guardian in saved)
        row.planned.plan["write"] = {
            "student": _record(form.instance), "reasons": sorted(form.cleaned_data["reasons"]),
            "household": key if household is not None else None,
            "household_record": _record(household) if household is not None else None,
            "guardians": [_record(guardian) for guardian in saved],
            "edited": edited, "batch": batch}
        if batch:
            return NewStudent(form.instance, form.cleaned_data["reasons"], household, saved)

        def write():
            student_save(student=form.instance, reasons=form.cleaned_data["reasons"], household=household,
                         household_saved=saved, household_edited=edited or household is not None and household.pk is None)
        return write


    def write(self, planned: list[PlannedRow]) -> None:
        """Updates one by one through ``student_save``, then every new child at once (``student_create_many``)."""
        for row in planned:
            if row.plan["action"] in (NEW, UPDATE) and not isinstance(row.write, NewStudent):
                row.write()
        student_create_many(entries=[row.write for row in planned if isinstance(row.write, NewStudent)])


@dataclasses.dataclass
class NewStudent:
    """A new child for ``student_create_many``: the student, reasons, household and its new guardians."""

    student: Student
    reasons: list
    household: Household | None
    guardians: list

    def __iter__(self):
        return iter((self.student, self.reasons, self.household, self.guardians))


def _address(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").replace("ー", "-")


# --- Volunteers ---------------------------------------------------------------------------------
class VolunteerPlanner(Planner):
    kind = ImportKind.VOLUNTEERS
    field_columns = {"last_name": "family_name", "first_name": "given_name", "sites": "external_id"}

    def __init__(self, run, user):
        super().__init__(run, user)
        if "name" in self.key_column:
            self.field_columns = {**self.field_columns, "last_name": "name", "first_name": "name"}
        if "name_kana" not in self.key_column:  # the reading in two columns, or none
            self.field_columns = {**self.field_columns, "name_kana": "family_name_kana"}
        visible = list(Volunteer.objects.visible_to(user).select_related("user").prefetch_related("sites", "teaching"))
        self.by_external = {v.external_id: v for v in visible if v.external_id}
        self.by_email = {v.user.email.lower(): v for v in visible if v.user.email}
        self.by_name_phone = {(v.user.last_name, v.user.first_name, normalise_phone(v.phone)): v for v in visible}
        from django.contrib.auth import get_user_model

        self.usernames = {name.lower() for name in get_user_model().objects.values_list("username", flat=True)}
        self.seen: dict = {}

    def username_for(self, values: dict) -> str:
        import re

        email = values.get("email", "")
        base = re.sub(r"[^\w.@+-]", "", (email.split("@")[0] if email else values.get("external_id", "")), flags=re.ASCII)
        base = (base or "volunteer")[:140].lower()
        candidate, n = base, 1
        while candidate.lower() in self.usernames:
            n += 1
            candidate = f"{base}-{n}"
        self.usernames.add(candidate.lower())
        return candidate

    def plan_row(self, plan, values):
        planned = PlannedRow(plan)
        family, given = self.names(values)
        plan["label"] = f"{family} {given}".strip()
        dates = {key: self.parse(plan, values, key, parse_date)
                 for key in ("joined_on", "pledge_signed_on", "insurance_expires_on", "training_completed_on")}
        kind = self.parse(plan, values, "kind", lambda t: _choice(t, VolunteerKind.choices,
                                                                  column_label=cols.column(self.kind, "kind").label))
        weekdays = self.parse(plan, values, "weekdays", _weekdays)
        external_id, email = values.get("external_id", ""), values.get("email", "")
        phone = normalise_phone(values.get("phone", ""))
        volunteer = ((self.by_external.get(external_id) if external_id else None)
                     or (self.by_email.get(email.lower()) if email else None)
                     or self.by_name_phone.get((family, given, phone)))
        if external_id and volunteer is None and Volunteer.objects.filter(external_id=external_id).exists():
            self.error(plan, "external_id", _("This external id belongs to a volunteer of another site."))
        if external_id and volunteer and volunteer.external_id not in ("", external_id):
            self.error(plan, "external_id", _("This volunteer is registered with another external id (%(id)s).") % {
                "id": volunteer.external_id})
        if self.duplicate(plan, self.seen, external_id or email.lower() or (family, given, phone), _("volunteer")):
            return planned
        if plan["errors"]:
            return planned
        form = _bound(ImportVolunteerForm, instance=volunteer, user=self.user)
        data = form.data
        data["sites"] = sorted({*(data.get("sites") or []), self.site.pk})
        if volunteer is None:
            data.update(username=values.get("username") or self.username_for(values), password="")
            if not data.get("kind"):
                data["kind"] = VolunteerKind.OTHER
        kana = values.get("name_kana") or " ".join(
            part for part in (values.get("family_name_kana", ""), values.get("given_name_kana", "")) if part)
        _put(data, last_name=family, first_name=given, name_kana=to_katakana(kana), email=email, phone=phone,
             kind=kind, weekdays=weekdays,
             max_children=values.get("max_children"), note=values.get("note"),
             emergency_contact_name=values.get("emergency_contact_name"),
             emergency_contact_phone=normalise_phone(values.get("emergency_contact_phone", "")),
             **{key: _date_text(day) for key, day in dates.items()})
        if not form.is_valid():
            self.form_errors(plan, form)
            return planned
        if external_id:
            form.instance.external_id = external_id
        plan["changes"] = _changed(form) if volunteer else []
        if volunteer and external_id and volunteer.external_id != external_id:
            plan["changes"].append(str(cols.column(self.kind, "external_id").label))
        plan["action"] = (UPDATE if plan["changes"] else UNCHANGED) if volunteer else NEW

        def write():
            volunteer_save(volunteer=form.instance, user=form.filled_account(), teaching=form.cleaned_data["teaching"],
                           sites=form.cleaned_data["sites"], keep_sites=form.kept_sites(), password=None)
        planned.write = write
        return planned


# --- Partners -----------------------------------------------------------------------------------
def _partner_name(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").replace(" ", "").lower()


class PartnerPlanner(Planner):
    kind = ImportKind.PARTNERS

    def __init__(self, run, user):
        super().__init__(run, user)
        partners = list(Partner.objects.visible_to(user))
        self.by_external = {p.external_id: p for p in partners if p.external_id}
        self.by_name = {_partner_name(p.name): p for p in partners}
        self.seen: dict = {}

    def plan_row(self, plan, values):
        planned = PlannedRow(plan)
        plan["label"] = values.get("name", "")
        kind = self.parse(plan, values, "kind", lambda t: _choice(t, PartnerKind.choices,
                                                                  column_label=cols.column(self.kind, "kind").label))
        external_id = values.get("external_id", "")
        partner = (self.by_external.get(external_id) if external_id else None) or self.by_name.get(
            _partner_name(values.get("name", "")))
        if external_id and partner and partner.external_id not in ("", external_id):
            self.error(plan, "external_id", _("This partner is registered with another external id (%(id)s).") % {
                "id": partner.external_id})
        if self.duplicate(plan, self.seen, external_id or _partner_name(values.get("name", "")), _("partner")):
            return planned
        if plan["errors"]:
            return planned
        form = _bound(ImportPartnerForm, instance=partner)
        data = form.data
        if partner is None and not kind:
            kind = PartnerKind.OTHER
        _put(data, name=values.get("name"), kind=kind, contact_person=values.get("contact_person"),
             phone=normalise_phone(values.get("phone", "")), phone2=normalise_phone(values.get("phone2", "")),
             email=values.get("email"), address=values.get("address"), notes=values.get("notes"))
        if not form.is_valid():
            self.form_errors(plan, form)
            return planned
        if external_id:
            form.instance.external_id = external_id
        plan["changes"] = _changed(form) if partner else []
        if partner and external_id and partner.external_id != external_id:
            plan["changes"].append(str(cols.column(self.kind, "external_id").label))
        plan["action"] = (UPDATE if plan["changes"] else UNCHANGED) if partner else NEW
        planned.write = lambda: partner_save(partner=form.instance)
        return planned
