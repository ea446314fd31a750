"""Forms of the home-visit screens: visits, other contacts, follow-up actions, information shares, list filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    EXCEPTION_BASES,
    ConcernLevel,
    Contact,
    ContactKind,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    ShareBasis,
    VisitPurpose,
)
from casework.services.visits import EXCEPTION_REASON_MISSING, NO_KIND_ON_CONSENT, consent_scope_error
from classroom import rules
from classroom.forms.edit_guards import EditGuardMixin
from classroom.forms.students import DateInput, StaffChoiceField
from classroom.models import Consent, ConsentPurpose, HouseholdContact, RecipientKind, Site, Student
from lib.names import person_name
from lib.plausible import PlausibleForm, PlausibleModelForm


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.full_name_kana}）"


def site_staff(sites):
    """Active staff members of ``sites``, family name first."""
    return (
        rules.role_holders(rules.STAFF, sites=sites)
        .distinct().order_by("last_name", "first_name", "username")
    )


def staff_for(user, student: Student | None):
    """Whom a record may name as staff: the staff of the student's site, or of the user's sites."""
    if student is not None and student.site_id:
        return site_staff(Site.objects.filter(pk=student.site_id))
    return site_staff(Site.objects.visible_to(user))


def students_for(user):
    return Student.objects.visible_to(user).in_kana_order()


class StudentFixedMixin:
    """The student is chosen among the user's sites' children, or fixed (prefilled, or once saved)."""

    def setup_student(self, *, user, student: Student | None):
        field = self.fields["student"]
        field.queryset = students_for(user)
        field.empty_label = _("Choose a student")
        self.fixed_student = student
        if student is not None:
            field.widget = forms.HiddenInput()
            self.initial["student"] = student.pk

    def clean_student(self):
        student = self.cleaned_data.get("student")
        if self.fixed_student is not None and student != self.fixed_student:
            return self.fixed_student
        return student


class VisitForm(EditGuardMixin, StudentFixedMixin, PlausibleModelForm):
    """A home visit. Nothing but the student is required for a draft; ``finishing`` asks for the rest."""

    family_met = forms.NullBooleanField(
        label=_("Was the family met?"), required=False,
        widget=forms.RadioSelect(choices=[("True", _("Yes, we met")), ("False", _("No, nobody was met"))]),
    )
    concern_level = forms.ChoiceField(
        label=_("Concern level"), choices=ConcernLevel.choices, required=False, widget=forms.RadioSelect,
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=VisitPurpose.choices, required=False)

    class Meta:
        model = HomeVisit
        fields = [
            "student", "visited_at", "staff", "purpose", "family_met", "living_environment", "parent_child",
            "child_condition", "parenting_consultation", "concern_level", "next_visit_due",
        ]  # fmt: skip
        field_classes = {"student": StudentChoiceField, "staff": StaffMultipleChoiceField}
        widgets = {
            "visited_at": DateTimeInput(),
            "staff": forms.CheckboxSelectMultiple,
            "next_visit_due": DateInput(),
            "living_environment": forms.Textarea(attrs={"rows": 3}),
            "parent_child": forms.Textarea(attrs={"rows": 3}),
            "child_condition": forms.Textarea(attrs={"rows": 3}),
            "parenting_consultation": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"parenting_consultation": _("Parenting consultation (養育相談)")}

    REQUIRED_TO_FINISH = ("visited_at", "staff", "purpose", "family_met", "concern_level")

    def __init__(self, *args, user, student: Student | None = None, finishing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.finishing = finishing
        self.setup_student(user=user, student=student)
        self.fields["visited_at"].required = False
        self.fields["staff"].required = False
        self.fields["staff"].queryset = staff_for(user, student)
        self.fields["staff"].help_text = _("Everyone who went; at least one.")
        for name in self.REQUIRED_TO_FINISH:
            self.fields[name].widget.attrs["data-required-to-finish"] = "1"
        if self.instance.pk is None:
            self.initial["staff"] = self.initial.get("staff") or [user.pk]  # model_to_dict gave []
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial["concern_level"] = ""  # chosen on purpose, not left at the model's default
        else:
            self.initial["visited_at"] = timezone.localtime(self.instance.visited_at)

    def clean(self):
        cleaned = super().clean()
        if self.finishing:
            messages = {
                "visited_at": _("Enter the date and time of the visit."),
                "staff": _("Choose at least one member of staff who went."),
                "purpose": _("Choose the purpose of the visit."),
                "family_met": _("Say whether the family was met."),
                "concern_level": _("Choose a concern level."),
            }
            for name, message in messages.items():
                value = cleaned.get(name)
                if name not in self.errors and (value is None or value == "" or (name == "staff" and not value)):
                    self.add_error(name, message)
        staff = cleaned.get("staff")
        student = cleaned.get("student")
        if staff and student:
            allowed = set(site_staff(Site.objects.filter(pk=student.site_id)).values_list("pk", flat=True))
            if any(member.pk not in allowed for member in staff):
                self.add_error("staff", _("Choose staff of the student's site."))
        return cleaned

    def draft_values(self) -> dict:
        """The fields that validated, for an autosave: a half-typed form still keeps what is valid."""
        self.is_valid()
        submitted = set(self.data)
        values = {}
        for name, value in self.cleaned_data.items():
            if name in ("student", "staff") or name not in submitted:
                continue
            if name in ("visited_at", "purpose", "concern_level") and value in (None, ""):
                continue
            values[name] = value
        return values


class FollowUpForm(PlausibleModelForm):
    class Meta:
        model = FollowUpAction
        fields = ["description", "owner", "due_on"]
        field_classes = {"owner": StaffChoiceField}
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, staff_queryset=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_queryset if staff_queryset is not None else get_user_model().objects.none()
        self.fields["owner"].empty_label = _("Choose the owner")
        self.fields["owner"].required = True
        if self.instance.pk is None and user is not None:
            self.initial.setdefault("owner", user.pk)


class BaseFollowUpFormSet(BaseInlineFormSet):
    def get_queryset(self):
        # Cached: the formset asks for its queryset once per form and per count.
        if not hasattr(self, "_ordered_queryset"):
            self._ordered_queryset = super().get_queryset().select_related("owner").order_by("due_on", "pk")
        return self._ordered_queryset


VisitFollowUpFormSet = inlineformset_factory(
    HomeVisit, FollowUpAction, form=FollowUpForm, formset=BaseFollowUpFormSet, fk_name="visit", extra=1,
    can_delete=True,
)
ContactFollowUpFormSet = inlineformset_factory(
    Contact, FollowUpAction, form=FollowUpForm, formset=BaseFollowUpFormSet, fk_name="contact", extra=1,
    can_delete=True,
)


class ContactForm(EditGuardMixin, StudentFixedMixin, PlausibleModelForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices, widget=forms.RadioSelect)
    concern_level = forms.ChoiceField(label=_("Concern level"), choices=ConcernLevel.choices, widget=forms.RadioSelect)

    class Meta:
        model = Contact
        fields = ["student", "kind", "contacted_at", "with_whom", "notes", "concern_level"]
        field_classes = {"student": StudentChoiceField}
        widgets = {"contacted_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"with_whom": _("For example: the mother, the homeroom teacher.")}

    def __init__(self, *args, user, student: Student | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_student(user=user, student=student)
        if self.instance.pk is None:
            self.initial.setdefault("contacted_at", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault("concern_level", ConcernLevel.NONE)
        else:
            self.initial["contacted_at"] = timezone.localtime(self.instance.contacted_at)


class RecipientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        organisation = f"（{obj.organisation}）" if obj.organisation else ""
        return f"{obj.get_kind_display()}: {obj.name}{organisation}"


class ShareForm(EditGuardMixin, PlausibleModelForm):
    """One provision of information to a third party. The service checks the same rules again."""

    basis = forms.ChoiceField(label=_("Basis"), choices=ShareBasis.choices, widget=forms.RadioSelect)
    consent = forms.ModelChoiceField(label=_("Consent on file"), queryset=Consent.objects.none(), required=False,
                                     widget=forms.RadioSelect)
    recipient = RecipientChoiceField(label=_("Shared with"), queryset=HouseholdContact.objects.none(),
                                     required=False, empty_label=_("Choose from the household's contacts"))
    recipient_kind = forms.ChoiceField(
        label=_("Kind of recipient"), required=False,
        choices=[("", _("Not in the list (only under an exception)")), *RecipientKind.choices],
        help_text=_("Taken from the household contact when one is chosen. Sharing on a consent is possible only "
                    "with a kind the consent covers."),
    )

    class Meta:
        model = InformationShare
        fields = ["recipient", "recipient_kind", "recipient_name", "what", "shared_at", "basis", "consent",
                  "exception_reason"]
        widgets = {"shared_at": DateTimeInput(), "what": forms.Textarea(attrs={"rows": 4}),
                   "exception_reason": forms.Textarea(attrs={"rows": 3})}
        labels = {"recipient_name": _("Other recipient")}
        help_texts = {
            "recipient_name": _("Name and organisation, when the recipient is not among the household's contacts."),
            "exception_reason": _("Why the exception applies: the law, the danger, or what the child's welfare "
                                  "required, and why consent could not be asked."),
        }

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        self.fields["recipient_name"].required = False
        self.fields["recipient"].queryset = HouseholdContact.objects.filter(household_id=student.household_id) \
            if student.household_id else HouseholdContact.objects.none()
        self.fields["consent"].queryset = (
            Consent.objects.filter(student=student, purpose=ConsentPurpose.INFO_SHARING).select_related("guardian")
            .order_by("withdrawn_on", "-given_on", "-pk")
        )
        self.initial.setdefault("shared_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean(self):
        cleaned = super().clean()
        recipient = cleaned.get("recipient")
        kind = cleaned.get("recipient_kind") or ""
        if not recipient and not cleaned.get("recipient_name", "").strip():
            self.add_error("recipient", _("Choose a contact of the household or enter another recipient."))
        if recipient is not None:
            if kind and kind != recipient.kind:
                self.add_error("recipient_kind",
                               _("The kind of recipient chosen is not the kind of the household contact chosen."))
            kind = cleaned["recipient_kind"] = recipient.kind
        # The basis, in words, before the model's share_has_a_basis constraint would refuse it in its own.
        basis = cleaned.get("basis")
        if basis == ShareBasis.CONSENT:
            consent = cleaned.get("consent")
            if not consent and "consent" not in self.errors:
                self.add_error("consent", _("Choose the consent on file that allows this sharing."))
            if not kind and "recipient_kind" not in self.errors:
                self.add_error("recipient_kind", NO_KIND_ON_CONSENT)
            elif consent and kind and not consent.covers(kind):
                self.add_error("consent", consent_scope_error(consent, kind))
        if (basis in EXCEPTION_BASES and not cleaned.get("exception_reason", "").strip()
                and "exception_reason" not in self.errors):
            self.add_error("exception_reason", EXCEPTION_REASON_MISSING[basis])
        return cleaned

    def exception_bases(self):
        """The exceptions, each with its radio input, for the basis section."""
        return [radio for radio in self["basis"] if radio.data["value"] in EXCEPTION_BASES]

    def consent_options(self):
        """The student's information-sharing consents with their radio input and validity today."""
        today = timezone.localdate()
        by_pk = {str(c.pk): c for c in self.fields["consent"].queryset}
        options = []
        for radio in self["consent"]:
            consent = by_pk.get(str(radio.data["value"]))
            if consent is not None:
                options.append({"radio": radio, "consent": consent, "valid": consent.is_valid_on(today)})
        return options


# --- List filters -------------------------------------------------------------------------------------
class VisitFilter(django_filters.FilterSet):
    student = django_filters.CharFilter(label=_("Student"), method="filter_student")
    concern_level = django_filters.ChoiceFilter(label=_("Concern level"), choices=ConcernLevel.choices,
                                                empty_label=_("All levels"))
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=VisitPurpose.choices, empty_label=_("All purposes"))

    class Meta:
        model = HomeVisit
        fields = ["student", "concern_level", "purpose"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(student__in=Student.objects.search(value)) if value.strip() else queryset


class FollowUpFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(label=_("Only mine"), method="filter_mine", widget=forms.CheckboxInput)

    class Meta:
        model = FollowUpAction
        fields = ["mine"]

    def filter_mine(self, queryset, name, value):
        return queryset.filter(owner=self.request.user) if value else queryset


class FollowUpDoneForm(PlausibleForm):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput(), required=False)

    def clean_done_on(self):
        return self.cleaned_data["done_on"] or timezone.localdate()
