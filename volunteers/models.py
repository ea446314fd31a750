from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.history import track
from classroom.models import Subject
from classroom.models.edit_guards import VersionedModel
from classroom.models.students import WEEKDAYS, kana_validator
from lib.kana import to_katakana

EXPIRY_WARNING_DAYS = 30
# Why a volunteer's access ended (``Volunteer.access_ended_on``); the volunteer's home explains each.
ACCESS_INACTIVE = "inactive"
ACCESS_NO_PLEDGE = "no_pledge"
ACCESS_NO_INSURANCE = "no_insurance"
ACCESS_NO_PROFILE = rules.ACCESS_NO_PROFILE


class VolunteerKind(models.TextChoices):
    RETIRED_TEACHER = "retired_teacher", _("Retired teacher")
    UNIVERSITY_STUDENT = "university_student", _("University student")
    WORKING_ADULT = "working_adult", _("Working adult")
    OTHER = "other", _("Other")


class Level(models.TextChoices):
    JUNIOR_HIGH = "junior_high", _("Junior high school")
    HIGH_SCHOOL = "high_school", _("High school")


class VolunteerQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators see the volunteers of their sites and those of no site yet; a volunteer
    only themself."""

    site_path = "sites"
    siteless_visible = True
    volunteer_path = "user"

    def active(self):
        return self.filter(is_active=True)

    def eligible_on(self, day: dt.date):
        """Active, with a signed confidentiality pledge and volunteer insurance valid on ``day``."""
        return self.active().filter(pledge_signed_on__isnull=False, pledge_signed_on__lte=day,
                                    insurance_expires_on__gte=day)


class Volunteer(VersionedModel):
    """A volunteer tutor: one user account with the volunteer role."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer")
    # The reading of the name (the account's last and first name), stored in katakana as the children's
    # are: screen readers read it with the name (``{% person_name volunteer %}``; issue 15).
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True, validators=[kana_validator],
                                 help_text=_("Hiragana or katakana, family name first."))
    kind = models.CharField(_("kind"), max_length=20, choices=VolunteerKind.choices)
    sites = models.ManyToManyField("classroom.Site", related_name="volunteers", blank=True, verbose_name=_("sites"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    usual_weekdays = models.CharField(_("usual weekdays"), max_length=7, blank=True,
                                      help_text=_("The days of the week the volunteer can usually come."))
    max_children = models.PositiveSmallIntegerField(_("most children in one class day"), default=1)
    pledge_signed_on = models.DateField(_("confidentiality pledge signed on"), null=True, blank=True)
    insurance_expires_on = models.DateField(_("volunteer insurance expires on"), null=True, blank=True)
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    is_active = models.BooleanField(_("active"), default=True)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The volunteer's id in the spreadsheet or system the records came from: an import matches on it.
    external_id = models.CharField(_("external id"), max_length=64, blank=True, db_index=True)
    calendar_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    objects = VolunteerQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "sites"
    history = track(excluded_fields=["calendar_token"])

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self):
        return f"{self.user.last_name} {self.user.first_name}".strip() or self.user.get_username()

    def save(self, *args, **kwargs):
        self.name_kana = to_katakana(self.name_kana)
        super().save(*args, **kwargs)

    @property
    def full_name_kana(self) -> str:
        return self.name_kana

    def access_ended_on(self, day: dt.date) -> str:
        """Why the volunteer may not tutor or see any child on ``day`` ("" when they may).

        The same rule as ``VolunteerQuerySet.eligible_on``: active, a confidentiality pledge signed
        on or before the day, volunteer insurance valid on the day.
        """
        if not self.is_active:
            return ACCESS_INACTIVE
        if not self.pledge_signed_on or self.pledge_signed_on > day:
            return ACCESS_NO_PLEDGE
        if not self.insurance_expires_on or self.insurance_expires_on < day:
            return ACCESS_NO_INSURANCE
        return ""

    def is_eligible_on(self, day: dt.date) -> bool:
        return not self.access_ended_on(day)

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted(int(c) for c in self.usual_weekdays if c in "0123456")

    def get_usual_weekdays_display(self) -> str:
        names = dict(WEEKDAYS)
        return "・".join(str(names[d]) for d in self.weekday_numbers)

    def renew_calendar_token(self) -> str:
        self.calendar_token = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_token"])
        return self.calendar_token

    def revoke_calendar_token(self) -> None:
        self.calendar_token = None
        self.save(update_fields=["calendar_token"])


class TeachingSubject(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="teaching")
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["volunteer", "subject", "level"], name="unique_teaching")]
        verbose_name = _("subject taught")
        verbose_name_plural = _("subjects taught")

    def __str__(self):
        return f"{self.get_subject_display()} ({self.get_level_display()})"


class AvailabilityException(models.Model):
    """A date on which the volunteer's usual weekly pattern does not hold."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    available = models.BooleanField(_("available"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "date"], name="unique_availability_exception")]
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")

    def __str__(self):
        return f"{self.volunteer} {self.date}"


class SignUpAnswer(models.TextChoices):
    CAN_COME = "can", _("I can come")
    CANNOT_COME = "cannot", _("I can't come")


class SignUp(models.Model):
    """A volunteer's answer for a class day; the coordinator confirms those who can come."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="sign_ups")
    class_day = models.ForeignKey("classroom.ClassDay", on_delete=models.CASCADE, related_name="sign_ups")
    answer = models.CharField(_("answer"), max_length=10, choices=SignUpAnswer.choices)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["class_day__date"]
        constraints = [models.UniqueConstraint(fields=["volunteer", "class_day"], name="unique_sign_up")]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self):
        return f"{self.volunteer} {self.class_day}: {self.get_answer_display()}"

    @property
    def is_confirmed(self) -> bool:
        return self.answer == SignUpAnswer.CAN_COME and self.confirmed_at is not None


class VolunteerAttendance(models.Model):
    """Which volunteers actually came, with times: the only source of volunteer hours."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="attendances")
    class_day = models.ForeignKey("classroom.ClassDay", on_delete=models.CASCADE, related_name="volunteer_attendances")
    arrived_at = models.TimeField(_("arrived at"))
    left_at = models.TimeField(_("left at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "class_day"], name="unique_volunteer_attendance"),
            models.CheckConstraint(condition=Q(left_at__gt=models.F("arrived_at")), name="volunteer_leaves_after_arriving"),
        ]
        verbose_name = _("volunteer attendance")
        verbose_name_plural = _("volunteer attendance")

    def __str__(self):
        return f"{self.volunteer} {self.class_day}"

    @property
    def hours(self) -> float:
        start = dt.datetime.combine(self.class_day.date, self.arrived_at)
        end = dt.datetime.combine(self.class_day.date, self.left_at)
        return round((end - start).total_seconds() / 3600, 2)


class PairingPreference(models.Model):
    """Kept by staff: a child's preferred tutor, or a pair not to match."""

    class Kind(models.TextChoices):
        PREFERRED = "preferred", _("Preferred tutor")
        AVOID = "avoid", _("Do not pair")

    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="pairing_preferences")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="pairing_preferences")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "volunteer"], name="unique_pairing_preference")]
        verbose_name = _("pairing preference")
        verbose_name_plural = _("pairing preferences")

    def __str__(self):
        return f"{self.student} / {self.volunteer}: {self.get_kind_display()}"
