"""Forms for partners, activities (create, edit, duplicate), status, cancellation and helpers."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityStatus, Partner
from activities.services.activities import assignable_staff, assignable_volunteers
from classroom import rules
from classroom.forms.edit_guards import EditGuardMixin
from classroom.grades import Grade
from classroom.models import Site
from lib.names import person_name
from lib.plausible import PlausibleModelForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class PartnerForm(EditGuardMixin, forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "contact_person", "phone", "phone2", "email", "address", "notes"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "phone2": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class ActivityForm(EditGuardMixin, PlausibleModelForm):
    """Create, edit and duplicate. Status changes and cancelling have their own buttons."""

    target_grades = forms.MultipleChoiceField(
        label=_("Target grades"), choices=Grade.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for everyone."),
    )
    lead = UserChoiceField(label=_("Lead staff"), queryset=get_user_model().objects.none(), required=False)

    class Meta:
        model = Activity
        fields = [
            "title", "kind", "partner", "site", "date", "start_time", "end_time", "place", "meeting_point",
            "capacity", "fee", "what_to_bring", "description", "target_grades", "lead", "consent_required",
            "food_involved", "photo_policy",
        ]
        widgets = {
            "date": DATE_INPUT,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "fee": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "what_to_bring": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["target_grades"] = self.instance.target_grade_list
        self.fields["partner"].queryset = Partner.objects.visible_to(user)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        # The lead reads guardians' phones and allergy notes: only the staff choose who that is.
        # For anyone else the field is not offered, so a posted value is ignored (and the service refuses it).
        self.can_choose_lead = rules.can_choose_activity_lead(user)
        self.lead_name = person_name(self.instance.lead) if self.instance.lead_id else ""
        if self.can_choose_lead:
            self.fields["lead"].queryset = (
                rules.role_holders(*rules.MANAGERS)
                .order_by("last_name", "first_name", "pk").distinct())
        else:
            del self.fields["lead"]
        self.fields["capacity"].min_value = 1

    def clean_target_grades(self):
        return ",".join(self.cleaned_data["target_grades"])

    def saved_values(self, current) -> dict:
        return {**super().saved_values(current), "target_grades": current.target_grade_list}

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("The capacity must be at least 1."))
        return capacity

    # The end time after the start time: checked by Activity.clean(), with the same message.


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s, label) for s, label in ActivityStatus.choices
                                        if s != ActivityStatus.CANCELLED])


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is called off"), max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. heavy rain forecast")}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Enter why the activity is called off."))
        return reason


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj.user)


class HelperForm(forms.Form):
    """Assign one volunteer or one staff member, with a role."""

    volunteer = VolunteerChoiceField(label=_("Volunteer"), queryset=None, required=False,
                                     empty_label=_("Choose a volunteer"))
    staff = UserChoiceField(label=_("Staff"), queryset=None, required=False, empty_label=_("Choose a staff member"))
    role = forms.CharField(label=_("Role"), max_length=60, required=False,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. reception, first aid")}))

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        taken = activity.helpers.all()
        self.fields["volunteer"].queryset = assignable_volunteers(activity).exclude(
            pk__in=taken.filter(volunteer__isnull=False, status="confirmed").values("volunteer"))
        self.fields["staff"].queryset = assignable_staff(activity).exclude(
            pk__in=taken.filter(staff__isnull=False).values("staff"))

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("volunteer")) == bool(data.get("staff")):
            raise forms.ValidationError(_("Choose either a volunteer or a staff member."))
        return data
