"""Retention: children and households anonymised a set number of fiscal years after the child left.

Municipal records are kept for a set period counted from the next April. A child who left in
fiscal year *L* is kept through fiscal year *L* + ``RETENTION_FISCAL_YEARS`` (default 5) and is
anonymised from April 1 of the year after (``due_fiscal_year``). What goes and what stays:

removed
    the child's names (a neutral placeholder: 匿名, kana トクメイ), nickname, school, learning goals,
    health notes and external id; the free text of every record about the child (attendance and
    tutoring notes, outcome notes and destination, consent partners, home visits, contacts,
    follow-ups and information shares, pairing notes, activity participation notes, phones and
    allergy notes); the photos of an activity once every registered child who took part is
    anonymised; and, once every child of the household is anonymised, the household's address,
    postal code and note, its guardians' names, phones and emails and its contacts. Any free text
    elsewhere (another record's note, a queued email, the admin's history) that names the child
    or the household's guardians, phones, emails or address has those words replaced by 匿名; the
    change history (``classroom.history``) of all of these is scrubbed the same way;
kept
    every count, grade, date, status and outcome: birth date, site, enrolment and leaving dates,
    leaving outcome, enrolment reasons, attendance, tutoring, drop-ins, visits, contacts, shares
    (kinds and bases), outcomes and activity participation, so every fiscal-year report gives the
    same figures before and after.

A child under a legal hold is never anonymised, and neither is their household. Each household
(or a child without one) is anonymised in one transaction; a second run finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActivityPhoto, Participant
from activities.services.participants import activity_photo_delete
from casework.models import Contact, FollowUpAction, HomeVisit, InformationShare
from classroom.exceptions import DomainError
from classroom.grades import fiscal_year_bounds, fiscal_year_of
from classroom.models import (
    AccessLog,
    Attendance,
    Consent,
    Guardian,
    Household,
    HouseholdContact,
    Outcome,
    OutgoingMessage,
    Student,
    StudentStatus,
    TutoringRecord,
)
from classroom.services.edit_guards import version_claim
from volunteers.models import PairingPreference

PLACEHOLDER = "匿名"
PLACEHOLDER_KANA = "トクメイ"
# Required free text (a follow-up's action, what was shared and why) cannot be blank.
REMOVED = "（匿名化により削除）"

# Columns that hold a person's own name or contact: cleared on the anonymised person's row, never
# rewritten on anyone else's (another child with the same name keeps it).
IDENTITY_COLUMNS = {
    "classroom.Student": {"family_name", "given_name", "family_name_kana", "given_name_kana", "nickname"},
    "classroom.Guardian": {"family_name", "given_name", "family_name_kana", "given_name_kana", "phone", "phone2",
                           "email"},
    "classroom.HouseholdContact": {"name", "organisation", "phone", "email"},
    "classroom.Site": {"name", "address", "phone"},
    "activities.Participant": {"name", "name_kana", "phone"},
    "activities.Partner": {"name", "contact_person", "phone", "phone2", "email", "address"},
    "volunteers.Volunteer": {"name_kana", "phone", "emergency_contact_name", "emergency_contact_phone",
                             "calendar_token"},
}
SWEPT_APPS = ("classroom", "casework", "volunteers", "activities", "admin")
# The child's own rows and their free text: whatever was written becomes REMOVED (blank stays blank),
# so that "was there a note" still reads the same (the report counts the visits with a consultation).
CHILD_TEXT = [
    (Attendance, ["note"]),
    (TutoringRecord, ["studied", "homework", "handover_note"]),
    (Outcome, ["school", "note"]),
    (Consent, ["partners"]),
    (HomeVisit, ["living_environment", "parent_child", "child_condition", "parenting_consultation"]),
    (Contact, ["with_whom", "notes"]),
    (FollowUpAction, ["description"]),
    (InformationShare, ["recipient_name", "what", "exception_reason"]),
    (PairingPreference, ["note"]),
]
PARTICIPANT_IDENTITY = {"name": "", "name_kana": "", "phone": ""}
PARTICIPANT_TEXT = ["allergy_notes", "note", "consent_override_reason"]

def retention_years() -> int:
    return int(getattr(settings, "RETENTION_FISCAL_YEARS", 5))


def due_fiscal_year(left_on: dt.date, years: int) -> int:
    """The fiscal year from whose April 1 a child who left on ``left_on`` is anonymised."""
    return fiscal_year_of(left_on) + years + 1


def due_students(*, today: dt.date, years: int):
    """The children to anonymise on ``today``: left, long enough ago, not under a legal hold, not yet done."""
    last_left = fiscal_year_bounds(fiscal_year_of(today) - years - 1)[1]
    return (Student.objects.filter(status=StudentStatus.LEFT, left_on__lte=last_left, legal_hold=False,
                                   anonymised_on__isnull=True)
            .select_related("site", "household").order_by("site_id", "left_on", "pk"))


@dataclass
class Plan:
    """What a run will do: the children due (grouped by household) and the households that go with them."""

    today: dt.date
    years: int
    groups: list[tuple[Household | None, list[Student], bool]] = field(default_factory=list)

    @property
    def students(self) -> list[Student]:
        return [s for _h, students, _whole in self.groups for s in students]

    @property
    def households(self) -> list[Household]:
        return [h for h, _s, whole in self.groups if h is not None and whole]


@dataclass
class Result:
    students: int = 0
    households: int = 0
    guardians: int = 0
    photos: int = 0
    rows_cleared: int = 0
    texts_redacted: int = 0

    def add(self, other: Result) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def retention_plan(*, today: dt.date | None = None, years: int | None = None) -> Plan:
    """What ``retention_apply`` would anonymise on ``today`` (nothing is written)."""
    today = today or timezone.localdate()
    years = retention_years() if years is None else years
    plan = Plan(today=today, years=years)
    by_household: dict[int | None, list[Student]] = defaultdict(list)
    for student in due_students(today=today, years=years):
        by_household[student.household_id].append(student)
    # A household goes when none of its children is left to keep: each is due now or already anonymised.
    due_ids = {s.pk for students in by_household.values() for s in students}
    kept = set(Student.objects.filter(household_id__in=[h for h in by_household if h is not None],
                                      anonymised_on__isnull=True).exclude(pk__in=due_ids)
               .values_list("household_id", flat=True))
    for household_id, students in by_household.items():
        if household_id is None:
            plan.groups.extend((None, [s], False) for s in students)
        else:
            plan.groups.append((students[0].household, students, household_id not in kept))
    # Households whose children were all anonymised earlier but which were kept then (a sibling was
    # under a legal hold since cleared and then anonymised, say): they go now too.
    orphans = (Household.objects.filter(anonymised_on__isnull=True, students__isnull=False)
               .exclude(students__anonymised_on__isnull=True).exclude(pk__in=list(by_household)).distinct())
    plan.groups.extend((household, [], True) for household in orphans.order_by("pk"))
    return plan


def retention_apply(*, today: dt.date | None = None, years: int | None = None) -> Result:
    """Anonymise every child due on ``today`` and the households that go with them (see the module).

    One transaction per household (or child without one). Idempotent: what is done is not due again.
    """
    plan = retention_plan(today=today, years=years)
    total = Result()
    for household, students, whole in plan.groups:
        total.add(_anonymise_group(household=household if whole else None, students=students, today=plan.today))
    return total


def _phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)
    return [phone, digits] if len(digits) >= 10 else [phone]


def _name_forms(family: str, given: str) -> list[str]:
    return [f"{family} {given}", f"{family}\u3000{given}", f"{family}{given}"]


def _student_strings(student: Student) -> list[str]:
    return [*_name_forms(student.family_name, student.given_name),
            *_name_forms(student.family_name_kana, student.given_name_kana), student.nickname]


def _household_strings(household: Household) -> list[str]:
    strings = [household.address]
    for guardian in household.guardians.all():
        strings += [*_name_forms(guardian.family_name, guardian.given_name),
                    *_name_forms(guardian.family_name_kana, guardian.given_name_kana),
                    *_phone_forms(guardian.phone), *_phone_forms(guardian.phone2), guardian.email]
    return strings


@transaction.atomic
def _anonymise_group(*, household: Household | None, students: list[Student], today: dt.date) -> Result:
    result = Result()
    if household is not None:  # lock it: a save racing with this run finds a newer version
        household = Household.objects.select_for_update().get(pk=household.pk)
        if household.anonymised_on is not None:
            return result
    strings = [s for student in students for s in _student_strings(student)]
    if household is not None:
        strings += _household_strings(household)
    ids = [s.pk for s in students]
    for student in students:
        result.students += Student.objects.filter(pk=student.pk, anonymised_on__isnull=True).update(
            family_name=PLACEHOLDER, given_name=str(student.pk), family_name_kana=PLACEHOLDER_KANA,
            given_name_kana=PLACEHOLDER_KANA, nickname="", school="", learning_goals="", health_notes="",
            external_id="", legal_hold_reason="", anonymised_on=today, version=F("version") + 1,
            updated_at=timezone.now())
    for model, names in CHILD_TEXT:
        result.rows_cleared += _remove_text(model._base_manager.filter(student_id__in=ids), names)
    participants = Q(student_id__in=ids)
    if household is not None:
        participants |= Q(household=household) | Q(guardian__household=household)
        result.households += Household.objects.filter(pk=household.pk).update(
            postal_code="", address="", note="", anonymised_on=today, version=F("version") + 1)
        result.guardians += Guardian.objects.filter(household=household).update(
            family_name=PLACEHOLDER, given_name=PLACEHOLDER, family_name_kana=PLACEHOLDER_KANA,
            given_name_kana=PLACEHOLDER_KANA, phone="", phone2="", email="")
        result.rows_cleared += HouseholdContact.objects.filter(household=household).update(
            name=PLACEHOLDER, organisation="", phone="", email="")
    result.rows_cleared += _clear(Participant._base_manager.filter(participants), PARTICIPANT_IDENTITY)
    result.rows_cleared += _remove_text(Participant._base_manager.filter(participants), PARTICIPANT_TEXT)
    _scrub_history(students=students, household=household)
    result.texts_redacted += _sweep(strings)
    result.photos += _delete_photos_of_anonymised_activities(ids)
    return result


def _past(model):
    """The rows of ``model``'s change history (``classroom.history``), deleted records' included."""
    return model.history.model._base_manager


def _scrub_history(*, students: list[Student], household: Household | None) -> None:
    """The change history of what was anonymised, scrubbed as the records were: every past version of
    the children, their records' free text, and (the whole household going) its guardians and contacts.

    Done before the sweep, which then also rewrites the names in every other history column.
    """
    ids = [s.pk for s in students]
    for student in students:
        _past(Student).filter(id=student.pk).update(
            family_name=PLACEHOLDER, given_name=str(student.pk), family_name_kana=PLACEHOLDER_KANA,
            given_name_kana=PLACEHOLDER_KANA, nickname="", school="", learning_goals="", health_notes="",
            external_id="", legal_hold_reason="")
    for model, names in CHILD_TEXT:
        if hasattr(model, "history_site_path"):
            for name in names:
                _past(model).filter(student_id__in=ids).exclude(**{name: ""}).update(**{name: REMOVED})
    participants = Q(student_id__in=ids)
    if household is not None:
        participants |= Q(household_id=household.pk) | Q(guardian_id__in=_past(Guardian).filter(
            household_id=household.pk).values("id"))
        _past(Household).filter(id=household.pk).update(postal_code="", address="", note="")
        _past(Guardian).filter(household_id=household.pk).update(
            family_name=PLACEHOLDER, given_name=PLACEHOLDER, family_name_kana=PLACEHOLDER_KANA,
            given_name_kana=PLACEHOLDER_KANA, phone="", phone2="", email="")
        _past(HouseholdContact).filter(household_id=household.pk).update(
            name=PLACEHOLDER, organisation="", phone="", email="")
    past_participants = _past(Participant).filter(participants)
    past_participants.update(**PARTICIPANT_IDENTITY)
    for name in PARTICIPANT_TEXT:
        past_participants.exclude(**{name: ""}).update(**{name: REMOVED})


def _version_bump(model) -> dict:
    return {"version": F("version") + 1} if any(f.name == "version" for f in model._meta.fields) else {}


def _clear(queryset, values: dict) -> int:
    """Set ``values`` on the rows that differ (so a second run counts nothing); bump edit versions."""
    differ = Q()
    for name, value in values.items():
        differ |= ~Q(**{name: value})
    return queryset.filter(differ).update(**values, **_version_bump(queryset.model))


def _remove_text(queryset, names: list[str]) -> int:
    """Replace each written text of ``names`` by REMOVED; a blank one stays blank. Returns the values changed."""
    changed = 0
    for name in names:
        changed += (queryset.exclude(**{name: ""}).exclude(**{name: REMOVED})
                    .update(**{name: REMOVED}, **_version_bump(queryset.model)))
    return changed


def _swept_columns() -> dict[type[models.Model], list[str]]:
    """The free-text columns of every model of ours and the admin's history, by model."""
    columns = {}
    for model in apps.get_models():
        if model._meta.app_label not in SWEPT_APPS:
            continue
        # A historical row (``classroom.history``) keeps its record's identity columns.
        identity = IDENTITY_COLUMNS.get(getattr(model, "instance_type", model)._meta.label, set())
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField) and not f.choices
                 and f.name not in identity and not f.primary_key]
        if names:
            columns[model] = names
    return columns


def _sweep(strings: list[str]) -> int:
    """Replace each of ``strings`` by 匿名 in every free-text column of every record; returns the values changed.

    One query per table finds the rows that hold any of them (emails and other Latin text are matched
    whatever their case); each such value is rewritten on its own.
    """
    strings = sorted({s for text in strings if len(s := text.strip()) >= 2}
                     | {quote(s) for text in strings if len(s := text.strip()) >= 2}, key=len, reverse=True)
    if not strings:
        return 0
    pattern = re.compile("|".join(re.escape(s) for s in strings), re.IGNORECASE)
    changed = 0
    for model, names in _swept_columns().items():
        match = Q()
        for name in names:
            for s in strings:
                match |= Q(**{f"{name}__{'icontains' if s.isascii() else 'contains'}": s})
        for pk, *values in model._base_manager.filter(match).values_list("pk", *names):
            new = {name: pattern.sub(PLACEHOLDER, value) for name, value in zip(names, values, strict=True)
                   if value and pattern.search(value)}
            if new:
                model._base_manager.filter(pk=pk).update(**new)
                changed += len(new)
    # The outbox's recipients (a JSON list of addresses): an anonymised guardian's address goes.
    emails = {s.lower() for s in strings if "@" in s}
    if emails:
        match = Q()
        for email in emails:
            match |= Q(recipients_text__icontains=email)
        for message in (OutgoingMessage.objects.annotate(recipients_text=Cast("recipients", models.TextField()))
                        .filter(match)):
            kept = [r for r in message.recipients if str(r).lower() not in emails]
            OutgoingMessage.objects.filter(pk=message.pk).update(recipients=kept)
            changed += 1
    return changed


def _delete_photos_of_anonymised_activities(student_ids: list[int]) -> int:
    """Delete the photos (files too, after the commit) of the activities these children took part in,
    once every registered child of the activity is anonymised."""
    if not student_ids:
        return 0
    keeping = Participant._base_manager.filter(student__isnull=False, student__anonymised_on__isnull=True)
    photos = (ActivityPhoto.objects.filter(activity__participants__student_id__in=student_ids)
              .exclude(activity_id__in=keeping.values("activity_id")).distinct().order_by("pk"))
    count = 0
    for photo in photos:
        activity_photo_delete(photo=photo, by=None)
        count += 1
    return count



@transaction.atomic
def student_legal_hold_set(*, student: Student, legal_hold: bool, reason: str, version: int | None) -> Student:
    """Set or clear the legal hold of ``student`` (a staff administrator's decision), only from the version
    the form was opened at (else ``EditConflict``). An anonymised record has nothing left to hold."""
    if student.anonymised_on is not None:
        raise DomainError(_("This record was anonymised: there is nothing left to hold."))
    version_claim(student, expected=version)
    student.legal_hold, student.legal_hold_reason = legal_hold, reason if legal_hold else ""
    student.save(update_fields=["legal_hold", "legal_hold_reason", "version", "updated_at"])
    return student


# --- The access log's own retention ----------------------------------------------------------------------
def access_log_years() -> int:
    """Years the access log keeps an entry (``ACCESS_LOG_RETENTION_YEARS``, default 3)."""
    return int(getattr(settings, "ACCESS_LOG_RETENTION_YEARS", 3))


def access_log_due(*, today: dt.date | None = None, years: int | None = None):
    """The entries older than the log's retention: written before the same day ``years`` years ago (Japan time)."""
    today = today or timezone.localdate()
    years = access_log_years() if years is None else years
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # February 29th
        cutoff = today.replace(year=today.year - years, day=28)
    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min), timezone.get_default_timezone())
    return AccessLog.objects.filter(at__lt=start), cutoff


@transaction.atomic
def access_log_prune(*, today: dt.date | None = None, years: int | None = None) -> int:
    """Delete the entries past the log's retention; returns how many."""
    due, _cutoff = access_log_due(today=today, years=years)
    deleted, _by_model = due.delete()
    return deleted
