"""Forms of the student screens: the student, the household with its guardians and contacts, consent."""

from __future__ import annotations

from django import forms
from django.db.models import Prefetch
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import (
    Consent,
    EnrollmentReason,
    Guardian,
    Household,
    HouseholdContact,
    RecipientKind,
    Site,
    Student,
    StudentStatus,
    Subject,
)
from classroom.models.students import WEEKDAYS, LeavingOutcome
from lib.kana import to_katakana
from lib.names import person_name
from lib.plausible import PlausibleForm, PlausibleModelForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class StudentForm(EditGuardMixin, PlausibleModelForm):
    """The student's own fields, with reasons and usual weekdays as checkboxes.

    A new child with the same name, kana reading and date of birth as a child the user can see is
    refused until ``different_child`` is ticked: the form shows the existing child first.
    """

    reasons = forms.MultipleChoiceField(
        label=_("Enrollment reasons"), choices=EnrollmentReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Usual weekdays"), choices=[(str(n), label) for n, label in WEEKDAYS], coerce=str, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("The days of the week the child usually comes."),
    )

    subjects = forms.MultipleChoiceField(
        label=_("Subjects to focus on"), choices=Subject.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown to the child's tutor and used for pairing."),
    )
    different_child = forms.BooleanField(
        label=_("This is a different child: register them anyway"), required=False,
    )

    class Meta:
        model = Student
        fields = [
            "family_name", "given_name", "family_name_kana", "given_name_kana", "nickname", "birth_date",
            "grade_override", "school", "site", "status", "enrolled_on", "left_on", "leaving_outcome",
            "staff_in_charge", "learning_goals", "health_notes",
        ]  # fmt: skip
        field_classes = {"staff_in_charge": StaffChoiceField}
        widgets = {
            "birth_date": DateInput(),
            "enrolled_on": DateInput(),
            "left_on": DateInput(),
            "learning_goals": forms.Textarea(attrs={"rows": 3}),
            "health_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "family_name_kana": _("Hiragana or katakana."),
            "given_name_kana": _("Hiragana or katakana."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.same_children: list[Student] = []
        # Built once per user object (a request, or an import's many rows), like the user's roles.
        visible_sites = getattr(user, "_yorisoi_visible_sites", None)
        if visible_sites is None:
            visible_sites = user._yorisoi_visible_sites = Site.objects.visible_to(user)
        self.fields["site"].queryset = visible_sites
        self.fields["site"].empty_label = None
        staff_choices = getattr(user, "_yorisoi_staff_in_charge_choices", None)
        if staff_choices is None:
            staff_choices = user._yorisoi_staff_in_charge_choices = (
                rules.role_holders(rules.STAFF, sites=visible_sites)
                .distinct().order_by("last_name", "first_name", "username")
            )
        self.fields["staff_in_charge"].queryset = staff_choices
        self.fields["staff_in_charge"].empty_label = _("Not assigned")
        self.fields["grade_override"].choices = [("", _("From the date of birth")), *self.fields["grade_override"].choices[1:]]
        if self.instance.pk:
            self.initial.setdefault("reasons", [r.reason for r in self.instance.reasons.all()])
            self.initial.setdefault("weekdays", [str(n) for n in self.instance.weekday_numbers])
            self.initial.setdefault("subjects", self.instance.focus_subject_list)
        else:
            # A new child cannot have left already; leaving goes through the archive form.
            self.fields["status"].choices = [c for c in StudentStatus.choices if c[0] != StudentStatus.LEFT]
            del self.fields["left_on"]
            del self.fields["leaving_outcome"]
            if "site" not in self.initial and visible_sites.count() == 1:
                self.initial.setdefault("site", visible_sites.first())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") not in (None, StudentStatus.LEFT)
            and "left_on" in self.fields
            and (cleaned.get("left_on") or cleaned.get("leaving_outcome"))
        ):
            self.add_error("status", _("Choose “Left” to record a leaving date or outcome, or clear them."))
        if cleaned.get("status") == StudentStatus.LEFT and not cleaned.get("leaving_outcome"):
            self.add_error("leaving_outcome", _("Choose how the child left."))
        if self.instance.pk is None:
            self.same_children = self._same_children(cleaned)
            if self.same_children and not cleaned.get("different_child"):
                self.add_error(None, _(
                    "A child with the same name, reading and date of birth is already registered (shown above). "
                    "Open that child's page instead, or tick “This is a different child” to register a new one."
                ))
        return cleaned

    def _same_children(self, cleaned) -> list[Student]:
        """Children the user can see with this exact name, kana reading and date of birth."""
        names = ("family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date")
        if any(not cleaned.get(name) for name in names):
            return []
        return list(
            Student.objects.visible_to(self.user).select_related("site").filter(
                family_name=cleaned["family_name"], given_name=cleaned["given_name"],
                family_name_kana=to_katakana(cleaned["family_name_kana"]),
                given_name_kana=to_katakana(cleaned["given_name_kana"]), birth_date=cleaned["birth_date"],
            ).order_by("pk")[:5]
        )

    def compared_fields(self) -> list[str]:
        return [name for name in super().compared_fields() if name != "different_child"]

    def saved_values(self, current) -> dict:
        values = super().saved_values(current)
        values.update(
            reasons=[r.reason for r in current.reasons.all()], weekdays=[str(n) for n in current.weekday_numbers],
            subjects=current.focus_subject_list,
        )
        return values

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))

    def clean_subjects(self):
        chosen = set(self.cleaned_data["subjects"])
        return ",".join(code for code, _label in Subject.choices if code in chosen)

    def _post_clean(self):
        self.instance.usual_weekdays = self.cleaned_data.get("weekdays", self.instance.usual_weekdays)
        self.instance.focus_subjects = self.cleaned_data.get("subjects", self.instance.focus_subjects)
        super()._post_clean()


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        children = "、".join(s.full_name for s in obj.visible_children)
        return f"{obj.address or _('(no address)')} / {children}" if children else obj.address or f"#{obj.pk}"


class HouseholdModeForm(forms.Form):
    """Whether the student's household is edited below, is a new one, or is a sibling's existing one."""

    CURRENT = "current"
    NEW = "new"
    EXISTING = "existing"

    mode = forms.ChoiceField(label=_("Household"), widget=forms.RadioSelect)
    existing = HouseholdChoiceField(
        label=_("Household of a sibling"), queryset=Household.objects.none(), required=False,
        empty_label=_("Choose a household"),
        help_text=_("Households of the students you can see, by address and children."),
    )

    def __init__(self, *args, user, student: Student, **kwargs):
        super().__init__(*args, prefix="household", **kwargs)
        has_household = student.household_id is not None
        first = (self.CURRENT, _("Edit this household below")) if has_household else (self.NEW, _("A new household, entered below"))
        self.fields["mode"].choices = [first, (self.EXISTING, _("The household of a sibling already registered"))]
        self.fields["mode"].initial = first[0]
        visible = Student.objects.visible_to(user)
        households = (
            Household.objects.filter(students__in=visible).distinct()
            .prefetch_related(Prefetch("students", queryset=visible.in_kana_order(), to_attr="visible_children"))
        )
        if has_household:
            households = households.exclude(pk=student.household_id)
        self.fields["existing"].queryset = households.order_by("address", "pk")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.EXISTING and not cleaned.get("existing"):
            self.add_error("existing", _("Choose the sibling's household."))
        return cleaned

    @property
    def edits_household(self) -> bool:
        return self.cleaned_data.get("mode") in (self.CURRENT, self.NEW)


class HouseholdForm(EditGuardMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["postal_code", "address", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class GuardianForm(forms.ModelForm):
    class Meta:
        model = Guardian
        fields = [
            "family_name", "given_name", "family_name_kana", "given_name_kana", "relationship",
            "phone", "phone2", "email", "preferred_contact", "preferred_language",
        ]  # fmt: skip
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"}), "phone2": forms.TextInput(attrs={"type": "tel"})}


class HouseholdContactForm(forms.ModelForm):
    class Meta:
        model = HouseholdContact
        fields = ["kind", "name", "organisation", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}


GuardianFormSet = inlineformset_factory(Household, Guardian, form=GuardianForm, extra=1, can_delete=True)
HouseholdContactFormSet = inlineformset_factory(
    Household, HouseholdContact, form=HouseholdContactForm, extra=1, can_delete=True
)


class ConsentForm(EditGuardMixin, PlausibleModelForm):
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Kinds of recipient covered"), choices=RecipientKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a consent to information sharing: the kinds of recipient the guardian agreed to. "
                    "Information can be shared on this consent only with them."),
    )

    class Meta:
        model = Consent
        fields = ["purpose", "guardian", "recipient_kinds", "partners", "given_on", "valid_until"]
        widgets = {"given_on": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, student: Student, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.student = student
        self.fields["guardian"].queryset = Guardian.objects.filter(household_id=student.household_id)
        self.fields["guardian"].empty_label = None
        # The options from the household's guardians (prefetched on the student page): rendering the
        # select asks the database nothing; the posted choice is still checked against the queryset.
        guardians = student.household.guardians.all() if student.household_id else []
        self.fields["guardian"].choices = [(g.pk, str(g)) for g in guardians]
        self.initial.setdefault("given_on", timezone.localdate())

    def clean_recipient_kinds(self):
        # Stored comma-separated; Consent.clean() refuses a consent to information sharing that covers none.
        return ",".join(self.cleaned_data["recipient_kinds"])


class ConsentWithdrawForm(PlausibleForm):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


class StudentArchiveForm(PlausibleForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())
    leaving_outcome = forms.ChoiceField(label=_("Leaving outcome"), choices=[("", "---------"), *LeavingOutcome.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("left_on", timezone.localdate())
