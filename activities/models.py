"""Experience activities (体験活動) with local shops, farms and companies."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classroom import rules
from classroom.grades import Grade
from classroom.history import track
from classroom.models import AttendanceStatus
from classroom.models.edit_guards import VersionedModel


class PartnerKind(models.TextChoices):
    FARM = "farm", _("Farm")
    SHOP = "shop", _("Shop")
    COMPANY = "company", _("Company")
    NPO = "npo", _("NPO")
    PUBLIC = "public", _("Public body")
    OTHER = "other", _("Other")


class ManagedQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators plan activities (every partner: partners belong to no site); nobody else
    sees these rows."""

    site_path = None


class Partner(VersionedModel):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone2 = models.CharField(_("second phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The partner's id in the spreadsheet or system the records came from: an import matches on it.
    external_id = models.CharField(_("external id"), max_length=64, blank=True, db_index=True)

    objects = ManagedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class ActivityKind(models.TextChoices):
    FOOD = "food", _("Cooking and food")
    FARMING = "farming", _("Farming")
    CRAFT = "craft", _("Craft")
    WORK = "work", _("Work experience")
    OUTING = "outing", _("Outing")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("activity", "Cancelled")


class PhotoPolicy(models.TextChoices):
    NONE = "none", _("No photos")
    INTERNAL = "internal", _("Photos for the classroom's records only")
    WITH_CONSENT = "with_consent", _("Photos of children with photo consent")


class ActivityQuerySet(rules.SiteScopedQuerySet):
    """Staff and coordinators: their sites' activities and the program-wide ones (no site);
    a volunteer: those they help at; others: none."""

    site_path = "site"
    siteless_visible = True
    volunteer_path = "helpers__volunteer__user"
    volunteer_distinct = True

    def upcoming(self, today: dt.date | None = None):
        return self.filter(date__gte=today or timezone.localdate()).order_by("date", "start_time")

    def past(self, today: dt.date | None = None):
        return self.filter(date__lt=today or timezone.localdate()).order_by("-date", "-start_time")


class Activity(VersionedModel):
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
                                verbose_name=_("partner"))
    site = models.ForeignKey("classroom.Site", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="activities", verbose_name=_("site"))
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    place = models.CharField(_("place"), max_length=200)
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    fee = models.PositiveIntegerField(_("fee (yen)"), default=0)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    description = models.TextField(_("description"), blank=True)
    target_grades = models.CharField(_("target grades"), max_length=100, blank=True,
                                     help_text=_("Comma-separated grade codes; empty for everyone."))
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices,
                              default=ActivityStatus.PLANNING)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="led_activities", verbose_name=_("lead staff"))
    consent_required = models.BooleanField(_("guardian consent needed"), default=True)
    food_involved = models.BooleanField(_("food is involved"), default=False)
    photo_policy = models.CharField(_("photo policy"), max_length=20, choices=PhotoPolicy.choices,
                                    default=PhotoPolicy.WITH_CONSENT)
    cancel_reason = models.CharField(pgettext_lazy("activity", "reason for cancellation"), max_length=200, blank=True)
    reflection = models.TextField(_("reflection notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="activity_capacity_positive"),
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED

    @property
    def target_grade_list(self) -> list[str]:
        return [g for g in self.target_grades.split(",") if g]

    def get_target_grades_display(self) -> str:
        labels = dict(Grade.choices)
        return "・".join(str(labels.get(g, g)) for g in self.target_grade_list)

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})


class ParticipantRole(models.TextChoices):
    STUDENT = "student", _("Student")
    GUARDIAN = "guardian", _("Guardian")
    SIBLING = "sibling", _("Sibling")
    OTHER_YOUTH = "other_youth", _("Other youth")
    OTHER = "other", _("Other")


class Answer(models.TextChoices):
    INVITED = "invited", _("Invited")
    GOING = "going", _("Going")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("Waitlisted")


class Participant(VersionedModel):
    """A person taking part: a student of the roster, a guardian or sibling, or someone entered by name."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    student = models.ForeignKey("classroom.Student", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="activity_participations", verbose_name=_("student"))
    guardian = models.ForeignKey("classroom.Guardian", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="activity_participations", verbose_name=_("guardian"))
    household = models.ForeignKey("classroom.Household", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", help_text="The household a guardian or sibling comes with.")
    name = models.CharField(_("name"), max_length=60, blank=True, help_text=_("For someone not on the roster."))
    name_kana = models.CharField(_("name (kana)"), max_length=60, blank=True)
    phone = models.CharField(_("emergency phone"), max_length=30, blank=True)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, default=Answer.INVITED)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)
    consent_received_on = models.DateField(_("consent received on"), null=True, blank=True)
    consent_override_reason = models.CharField(_("reason to proceed without consent"), max_length=200, blank=True)
    allergy_notes = models.CharField(_("allergy notes"), max_length=200, blank=True)
    attendance = models.CharField(_("attendance"), max_length=15, choices=AttendanceStatus.choices, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "activity__site"
    history = track()

    class Meta:
        ordering = ["activity", "answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "student"], condition=Q(student__isnull=False),
                                    name="unique_activity_student"),
            models.UniqueConstraint(fields=["activity", "guardian"], condition=Q(guardian__isnull=False),
                                    name="unique_activity_guardian"),
        ]
        indexes = [models.Index(fields=["activity", "answer", "answered_at"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.student_id:
            return self.student.full_name
        if self.guardian_id:
            return str(self.guardian)
        return self.name

    @property
    def consent_ok(self) -> bool:
        return bool(self.consent_received_on or self.consent_override_reason)


class HelperStatus(models.TextChoices):
    OFFERED = "offered", _("Offered to help")
    CONFIRMED = "confirmed", _("Confirmed")


class Helper(models.Model):
    """A volunteer or staff member helping at an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="helpers")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="activity_helps", verbose_name=_("volunteer"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="activity_helps", verbose_name=_("staff"))
    role = models.CharField(_("role"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=HelperStatus.choices, default=HelperStatus.CONFIRMED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(volunteer__isnull=False, staff__isnull=True)
                                   | Q(volunteer__isnull=True, staff__isnull=False), name="helper_is_one_person"),
            models.UniqueConstraint(fields=["activity", "volunteer"], condition=Q(volunteer__isnull=False),
                                    name="unique_activity_volunteer"),
            models.UniqueConstraint(fields=["activity", "staff"], condition=Q(staff__isnull=False),
                                    name="unique_activity_staff"),
        ]
        verbose_name = _("helper")
        verbose_name_plural = _("helpers")

    def __str__(self):
        return f"{self.activity}: {self.volunteer or self.staff}"


def photo_path(instance, filename: str) -> str:
    # Under MEDIA_ROOT, which is never served as static files: a view checks access.
    return f"activity_photos/{instance.activity_id}/{timezone.now():%Y%m%d%H%M%S}_{filename}"


def thumbnail_path(instance, filename: str) -> str:
    return f"activity_photos/{instance.activity_id}/thumbnails/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    # A small JPEG for the report page (upright, without the original's EXIF data such as GPS).
    thumbnail = models.ImageField(_("thumbnail"), upload_to=thumbnail_path, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name
