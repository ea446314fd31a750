from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classroom import grades, rules
from classroom.grades import Grade
from classroom.history import track
from classroom.models.edit_guards import VersionedModel
from lib.kana import to_katakana

kana_validator = RegexValidator(
    r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ]+$",
    _("Enter the reading in hiragana or katakana."),
)
WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class Subject(models.TextChoices):
    """School subjects: a child's focus subjects and a tutoring record's subject."""

    JAPANESE = "japanese", pgettext_lazy("school subject", "Japanese")
    MATHS = "maths", _("Maths")
    ENGLISH = "english", _("English")
    SCIENCE = "science", _("Science")
    SOCIAL = "social", _("Social studies")
    OTHER = "other", _("Other")


class StudentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    LEFT = "left", _("Left")


class EnrollmentReason(models.TextChoices):
    NEEDY = "needy", _("Needy household")
    PUBLIC_ASSISTANCE = "public_assistance", _("Public assistance")
    SCHOOL_AID = "school_aid", _("School expenses aid")
    SINGLE_PARENT = "single_parent", _("Single-parent household")
    NON_ATTENDANCE = "non_attendance", _("School non-attendance")
    LOW_ACHIEVEMENT = "low_achievement", _("Low achievement")
    PARENTING = "parenting", _("Parenting difficulty")
    OTHER = "other", _("Other")


class LeavingOutcome(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("Entered high school")
    UNIVERSITY = "university", _("Entered university or college")
    WORK = "work", _("Found work")
    MOVED = "moved", _("Moved away")
    GRADUATED = "graduated", _("Graduated from the program")
    STOPPED = "stopped", _("Stopped coming")
    OTHER = "other", _("Other")


class Household(VersionedModel):
    """A family. Siblings are the students who share a household."""

    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "students__site"
    history = track()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return self.address or f"#{self.pk}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    LINE = "line", _("LINE")
    VISIT = "visit", _("Visit")


class Guardian(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="guardians")
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=50, validators=[kana_validator])
    given_name_kana = models.CharField(_("given name (kana)"), max_length=50, validators=[kana_validator])
    relationship = models.CharField(_("relationship"), max_length=30)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone2 = models.CharField(_("second phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    preferred_language = models.CharField(_("preferred language"), max_length=30, default="日本語")

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "household__students__site"
    history = track()

    class Meta:
        ordering = ["family_name_kana", "given_name_kana"]
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self):
        return f"{self.family_name} {self.given_name}"

    def save(self, *args, **kwargs):
        self.family_name_kana = to_katakana(self.family_name_kana)
        self.given_name_kana = to_katakana(self.given_name_kana)
        super().save(*args, **kwargs)


class RecipientKind(models.TextChoices):
    """The kinds of third party a child's information may go to: one list for household contacts,
    the scope of a consent to information sharing, and each recorded share."""

    CASEWORKER = "caseworker", _("Public-assistance caseworker")
    SCHOOL_SOCIAL_WORKER = "ssw", _("School social worker")
    SCHOOL = "school", _("School")
    CHILD_GUIDANCE = "child_guidance", _("Child guidance centre")
    SELF_RELIANCE = "self_reliance", _("Self-reliance support agency")
    AGENCY = "agency", _("Other agency")


def recipient_kinds_display(codes) -> str:
    """「福祉事務所、学校」: the labels of recipient-kind codes, in the list's order."""
    chosen = set(codes)
    return "、".join(str(label) for value, label in RecipientKind.choices if value in chosen)


class HouseholdContact(models.Model):
    """The professionals in charge of a household: caseworker, school social worker, school."""

    Kind = RecipientKind

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "household__students__site"
    history = track()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("household contact")
        verbose_name_plural = _("household contacts")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class StudentQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators see the students of their sites; nobody else sees any here."""

    site_path = "site"

    def active(self):
        return self.filter(status=StudentStatus.ACTIVE)

    def in_kana_order(self):
        return self.order_by("family_name_kana", "given_name_kana", "pk")

    def expected(self, *, site, weekday):
        """The children expected on a class day: the active children of ``site`` whose usual weekdays
        include ``weekday`` (the digit ``usual_weekdays`` stores, 0 = Monday).

        The one definition of "expected": ``expected_on`` applies it to one class day, and both
        arguments may be ``OuterRef``s for a count per class day in one query
        (``ClassDayQuerySet.with_weekday`` gives the digit); ``Student.is_expected_on`` is the
        same rule for one child already loaded.
        """
        return self.filter(site=site, status=StudentStatus.ACTIVE, usual_weekdays__contains=weekday)

    def expected_on(self, class_day):
        """The children expected on ``class_day`` (see ``expected``)."""
        return self.expected(site=class_day.site_id, weekday=str(class_day.date.weekday()))

    def without_notice_of_absence(self, class_day):
        """Less the children who told in advance they will be absent from ``class_day``
        (a class day, or an ``OuterRef`` to one)."""
        from classroom.models.attendance import Attendance, AttendanceStatus

        # A subquery: ``exclude()`` across a multi-valued relation would not require both
        # conditions to hold on the same attendance row.
        return self.exclude(pk__in=Attendance.objects.filter(class_day=class_day, status=AttendanceStatus.ABSENT_NOTICE)
                            .values("student_id"))

    def in_grade(self, grade: str, on: dt.date | None = None):
        """Students in ``grade`` on a day: the staff override, or else the school-year rule."""
        on = on or timezone.localdate()
        by_override = Q(grade_override=grade)
        derived = Q(grade_override="")
        span = grades.birth_date_range(grade, on)
        if span is not None:
            return self.filter(by_override | derived & Q(birth_date__range=span))
        if grade == Grade.OTHER:
            oldest = grades.birth_date_range(grades.SCHOOL_YEAR_GRADES[-1], on)[0]
            youngest = grades.birth_date_range(grades.SCHOOL_YEAR_GRADES[0], on)[1]
            in_school_years = Q(birth_date__range=(oldest, youngest))
            return self.filter(by_override | derived & (Q(birth_date__isnull=True) | ~in_school_years))
        return self.filter(by_override)

    def search(self, text: str):
        """Match every word of ``text`` against the name, its kana reading or the nickname."""
        qs = self
        for word in text.split():
            kana = to_katakana(word)
            qs = qs.filter(
                Q(family_name__icontains=word)
                | Q(given_name__icontains=word)
                | Q(family_name_kana__contains=kana)
                | Q(given_name_kana__contains=kana)
                | Q(nickname__icontains=word)
            )
        return qs


class Student(VersionedModel):
    family_name = models.CharField(_("family name"), max_length=50)
    given_name = models.CharField(_("given name"), max_length=50)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=50, validators=[kana_validator])
    given_name_kana = models.CharField(_("given name (kana)"), max_length=50, validators=[kana_validator])
    nickname = models.CharField(
        _("nickname"), max_length=30, blank=True, help_text=_("What volunteers call the child.")
    )
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    grade_override = models.CharField(
        _("grade (override)"),
        max_length=10,
        choices=Grade.choices,
        blank=True,
        help_text=_("Only for a child held back, not in school, or without a known date of birth."),
    )
    school = models.CharField(_("school"), max_length=100, blank=True)
    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, related_name="students", verbose_name=_("site"))
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="students",
        verbose_name=_("household"),
    )
    status = models.CharField(_("status"), max_length=10, choices=StudentStatus.choices, default=StudentStatus.ACTIVE)
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leaving_outcome = models.CharField(_("leaving outcome"), max_length=20, choices=LeavingOutcome.choices, blank=True)
    learning_goals = models.TextField(_("learning goals"), blank=True)
    focus_subjects = models.CharField(
        _("subjects to focus on"), max_length=100, blank=True,
        help_text=_("Comma-separated subject codes; shown to the child's tutor and used for pairing."),
    )
    usual_weekdays = models.CharField(
        _("usual weekdays"), max_length=7, blank=True, help_text=_("The days of the week the child usually comes.")
    )
    health_notes = models.TextField(_("health and allergy notes"), blank=True)
    staff_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="students_in_charge",
        verbose_name=_("staff in charge"),
    )
    # The id of the child in the system the classroom's records came from (a city's ledger, a
    # spreadsheet): an import matches on it first; unique within a site when given.
    external_id = models.CharField(_("external id"), max_length=64, blank=True)
    # Retention (``apply_retention``): a record under a legal hold is never anonymised; an
    # anonymised record keeps its counts, grades, dates and outcomes, and the date it was anonymised.
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=200, blank=True)
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudentQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "site"
    history = track()

    class Meta:
        ordering = ["family_name_kana", "given_name_kana", "pk"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        indexes = [models.Index(fields=["site", "status", "family_name_kana", "given_name_kana"])]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_id"], condition=~models.Q(external_id=""), name="unique_student_external_id"
            )
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.family_name_kana = to_katakana(self.family_name_kana)
        self.given_name_kana = to_katakana(self.given_name_kana)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}"

    def grade_on(self, day: dt.date) -> str:
        return self.grade_override or grades.grade_for(self.birth_date, day)

    @property
    def grade(self) -> str:
        return self.grade_on(timezone.localdate())

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label)

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted(int(c) for c in self.usual_weekdays if c in "0123456")

    def get_usual_weekdays_display(self) -> str:
        names = dict(WEEKDAYS)
        return "・".join(str(names[d]) for d in self.weekday_numbers)

    @property
    def focus_subject_list(self) -> list[str]:
        return [s for s in self.focus_subjects.split(",") if s]

    def get_focus_subjects_display(self) -> str:
        labels = dict(Subject.choices)
        return "、".join(str(labels.get(s, s)) for s in self.focus_subject_list)

    def comes_on(self, day: dt.date) -> bool:
        return str(day.weekday()) in self.usual_weekdays

    @property
    def is_active_child(self) -> bool:
        """Active now: not paused, not left."""
        return self.status == StudentStatus.ACTIVE

    def is_expected_on(self, class_day) -> bool:
        """Whether this child is among ``Student.objects.expected_on(class_day)``, without a query."""
        return (self.status == StudentStatus.ACTIVE and self.site_id == class_day.site_id
                and self.comes_on(class_day.date))

    def clean(self):
        if self.status == StudentStatus.LEFT and not self.left_on:
            raise ValidationError({"left_on": _("Enter the date the child left.")})
        if self.left_on and self.enrolled_on and self.left_on < self.enrolled_on:
            raise ValidationError({"left_on": _("The leaving date cannot be before the enrollment date.")})
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})


class StudentReason(models.Model):
    """One enrollment reason of a student (sensitive: staff only)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(_("reason"), max_length=20, choices=EnrollmentReason.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "reason"], name="unique_student_reason")]
        verbose_name = _("enrollment reason")
        verbose_name_plural = _("enrollment reasons")

    def __str__(self):
        return self.get_reason_display()


class ConsentPurpose(models.TextChoices):
    INFO_SHARING = "info_sharing", _("Information sharing")
    PHOTOS = "photos", _("Photos")
    ACTIVITIES = "activities", _("Experience activities")


class Consent(models.Model):
    """Which guardian consented to what, when and until when. Withdrawn consent is kept."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="consents")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="consents", verbose_name=_("guardian"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    partners = models.CharField(
        _("shared with"), max_length=200, blank=True, help_text=_("The partners named in the consent.")
    )
    recipient_kinds = models.CharField(
        _("kinds of recipient covered"), max_length=200, blank=True,
        help_text=_("Comma-separated recipient kinds; information may be shared on this consent only with these."),
    )
    given_on = models.DateField(_("given on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        ordering = ["-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.given_on})"

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.given_on <= day
            and (self.valid_until is None or self.valid_until >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    @property
    def recipient_kind_list(self) -> list[str]:
        return [k for k in self.recipient_kinds.split(",") if k]

    def covers(self, recipient_kind: str) -> bool:
        """Whether the guardian agreed to sharing with this kind of recipient."""
        return bool(recipient_kind) and recipient_kind in self.recipient_kind_list

    def get_recipient_kinds_display(self) -> str:
        return recipient_kinds_display(self.recipient_kind_list)

    def clean(self):
        if self.valid_until and self.valid_until < self.given_on:
            raise ValidationError({"valid_until": _("The end date cannot be before the date consent was given.")})
        if self.withdrawn_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
        unknown = set(self.recipient_kind_list) - set(RecipientKind.values)
        if unknown:
            raise ValidationError({"recipient_kinds": _("Choose the kinds of recipient from the list.")})
        if self.purpose == ConsentPurpose.INFO_SHARING and not self.recipient_kind_list:
            raise ValidationError({"recipient_kinds": _(
                "Tick the kinds of recipient the guardian agreed to: information can be shared only with them.")})
