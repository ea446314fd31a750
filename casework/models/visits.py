"""Home visits, other contacts, follow-up actions and information sharing: staff only.

This is the most sensitive part of Yorisoi. Every read of it is written to ``classroom.AccessLog``.
The tables keep the names they had when these models lived in ``classroom`` (``db_table``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.history import track
from classroom.models.edit_guards import VersionedModel
from classroom.models.students import RecipientKind
from lib import localtime
from lib.facts import FactsModel, FactsQuerySet


class StaffOnlyQuerySet(rules.SiteScopedQuerySet):
    """Staff of the student's site; nobody else (coordinators and volunteers included)."""

    site_path = "student__site"
    readers = (rules.STAFF,)


class CaseRecordQuerySet(FactsQuerySet, StaffOnlyQuerySet):
    """Visits, contacts and follow-ups: their writes refresh the children's ``CaseFacts`` (``lib.facts``)."""


class CaseRecord(FactsModel):
    """A record that feeds ``CaseFacts``."""

    class Meta:
        abstract = True

    @classmethod
    def refresh_facts(cls, owner_ids) -> None:
        from casework.models.facts import CaseFacts

        CaseFacts.refresh(owner_ids)


class _WithFollowUps:
    @classmethod
    def fact_owners(cls, queryset) -> set[int]:
        """The records' children, and those of the follow-ups a delete takes with them."""
        owners = set(queryset.values_list("student_id", flat=True))
        field = "visit" if cls is HomeVisit else "contact"
        return owners | set(FollowUpAction.objects.filter(**{f"{field}__in": queryset.values("pk")})
                            .values_list("student_id", flat=True))


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DONE = "done", _("Finished")


class ConcernLevel(models.TextChoices):
    NONE = "none", _("No concern")
    WATCH = "watch", _("Watch")
    CONCERN = "concern", _("Concern")
    URGENT = "urgent", _("Urgent")


class VisitPurpose(models.TextChoices):
    FIRST = "first", _("First visit")
    REGULAR = "regular", _("Regular visit")
    ABSENCES = "absences", _("Follow-up on absences")
    URGENT = "urgent", _("Urgent")
    OTHER = "other", _("Other")


class HomeVisit(_WithFollowUps, CaseRecord, VersionedModel):
    """A visit to the household (家庭訪問). Saved as a draft while it is being written."""

    FACT_FIELDS = frozenset({"student", "student_id", "visited_at", "status", "next_visit_due"})

    student = models.ForeignKey("classroom.Student", on_delete=models.PROTECT, related_name="home_visits",
                                verbose_name=_("student"))
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="home_visits", blank=True,
                                   verbose_name=_("staff who went"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=VisitPurpose.choices, default=VisitPurpose.REGULAR)
    family_met = models.BooleanField(_("the family was met"), null=True, blank=True)
    living_environment = models.TextField(_("living environment"), blank=True)
    parent_child = models.TextField(_("parent-child communication"), blank=True)
    child_condition = models.TextField(_("the child's condition"), blank=True)
    parenting_consultation = models.TextField(_("parenting consultation"), blank=True)
    concern_level = models.CharField(_("concern level"), max_length=10, choices=ConcernLevel.choices,
                                     default=ConcernLevel.NONE)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CaseRecordQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        db_table = "classroom_homevisit"
        ordering = ["-visited_at"]
        indexes = [models.Index(fields=["student", "visited_at"])]
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self):
        return f"{self.student} {localtime.stamp(localtime.local_date(self.visited_at))}"

    @property
    def is_draft(self) -> bool:
        return self.status == RecordStatus.DRAFT


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    SCHOOL_MEETING = "school_meeting", _("Meeting at school")
    CLASSROOM_MEETING = "classroom_meeting", _("Meeting at the classroom")


class Contact(_WithFollowUps, CaseRecord, VersionedModel):
    """A contact other than a visit: a phone call, a message, a meeting."""

    FACT_FIELDS = frozenset({"student", "student_id", "contacted_at", "status"})

    student = models.ForeignKey("classroom.Student", on_delete=models.PROTECT, related_name="contacts",
                                verbose_name=_("student"))
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    contacted_at = models.DateTimeField(_("date and time"), default=timezone.now)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              verbose_name=_("staff"))
    with_whom = models.CharField(_("with whom"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    concern_level = models.CharField(_("concern level"), max_length=10, choices=ConcernLevel.choices,
                                     default=ConcernLevel.NONE)
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DONE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseRecordQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        db_table = "classroom_contact"
        ordering = ["-contacted_at"]
        indexes = [models.Index(fields=["student", "contacted_at"])]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return f"{self.student} {self.get_kind_display()}"


class FollowUpQuerySet(CaseRecordQuerySet):
    def open(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)


class FollowUpAction(CaseRecord):
    """An action decided after a visit or a contact, with an owner and a due date."""

    FACT_FIELDS = frozenset({"student", "student_id", "due_on", "done_on"})

    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="follow_ups")
    visit = models.ForeignKey(HomeVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups")
    description = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="follow_ups",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        db_table = "classroom_followupaction"
        ordering = ["due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, contact__isnull=True) | Q(visit__isnull=True, contact__isnull=False),
                name="follow_up_has_one_origin",
            )
        ]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.description


class ShareBasis(models.TextChoices):
    """What a share rests on: a consent on file, or one of the exceptions of APPI art. 27(1), with a reason."""

    CONSENT = "consent", _("Consent on file")
    LAW = "law", _("Required by law (e.g. a report of suspected abuse)")
    LIFE = "life", _("To protect a person's life, body or property")
    CHILD_WELFARE = "child_welfare", _("Child-welfare exception")


EXCEPTION_BASES = (ShareBasis.LAW, ShareBasis.LIFE, ShareBasis.CHILD_WELFARE)


class InformationShare(models.Model):
    """A provision of a child's information to a third party, as Japan's APPI asks to record."""

    student = models.ForeignKey("classroom.Student", on_delete=models.PROTECT, related_name="information_shares",
                                verbose_name=_("student"))
    recipient = models.ForeignKey("classroom.HouseholdContact", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="shares", verbose_name=_("shared with"))
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=20, blank=True, choices=RecipientKind.choices,
        help_text=_("Empty only for a recipient outside the list, shared under an exception."),
    )
    recipient_name = models.CharField(_("recipient"), max_length=120)
    what = models.TextField(_("what was shared"))
    shared_at = models.DateTimeField(_("shared at"), default=timezone.now)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                  verbose_name=_("shared by"))
    basis = models.CharField(_("basis"), max_length=20, choices=ShareBasis.choices)
    consent = models.ForeignKey("classroom.Consent", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="shares", verbose_name=_("consent"))
    exception_reason = models.TextField(_("reason for the exception"), blank=True)

    objects = StaffOnlyQuerySet.as_manager()

    # The change history (classroom.history): its rows are scoped to the sites on this path.
    history_site_path = "student__site"
    history = track()

    class Meta:
        db_table = "classroom_informationshare"
        ordering = ["-shared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(basis="consent", consent__isnull=False)
                | (Q(basis__in=[b.value for b in EXCEPTION_BASES]) & ~Q(exception_reason="")),
                name="share_has_a_basis",
            )
        ]
        verbose_name = _("information share")
        verbose_name_plural = _("information shares")

    def __str__(self):
        return f"{self.student} → {self.recipient_name}"

    @property
    def rests_on_consent(self) -> bool:
        return self.basis == ShareBasis.CONSENT


class WarningSettings(VersionedModel):
    """The early-warning thresholds of a site, changed by its staff."""

    site = models.OneToOneField("classroom.Site", on_delete=models.CASCADE, related_name="warning_settings")
    consecutive_absences = models.PositiveSmallIntegerField(
        _("consecutive absences without notice"), default=2)
    rate_below = models.PositiveSmallIntegerField(_("attendance rate fell below (%)"), default=50)
    rate_before = models.PositiveSmallIntegerField(_("after being at least (%)"), default=75)
    no_contact_days = models.PositiveSmallIntegerField(_("days without any contact"), default=30)
    stopped_coming_days = models.PositiveSmallIntegerField(_("days since a high-school student last came"),
                                                           default=30)

    class Meta:
        db_table = "classroom_warningsettings"
        verbose_name = _("early-warning settings")
        verbose_name_plural = _("early-warning settings")

    def __str__(self):
        return str(self.site)


class WarningNotice(models.Model):
    """A warning already emailed to a staff member, so that ``send_warnings`` never sends it twice."""

    student = models.ForeignKey("classroom.Student", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=100, help_text="What makes this warning new, e.g. the last absence's date.")
    notified_on = models.DateField(default=timezone.localdate)

    class Meta:
        db_table = "classroom_warningnotice"
        constraints = [models.UniqueConstraint(fields=["student", "recipient", "kind", "key"], name="unique_warning_notice")]

    def __str__(self):
        return f"{self.student} {self.kind} {self.key}"
