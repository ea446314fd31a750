"""Forms of the volunteer management screens."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.forms.edit_guards import EditGuardMixin
from classroom.models import Site, Student, Subject
from classroom.models.students import WEEKDAYS
from lib.plausible import PlausibleModelForm
from volunteers.models import AvailabilityException, Level, PairingPreference, Volunteer

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def teaching_code(subject: str, level: str) -> str:
    return f"{subject}:{level}"


TEACHING_CHOICES = [(teaching_code(s, lv), f"{s_label} ({lv_label})")
                    for s, s_label in Subject.choices for lv, lv_label in Level.choices]


class VolunteerForm(EditGuardMixin, PlausibleModelForm):
    """The account (name, username, email, first password) and the profile, in one form."""

    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Used to sign in. Letters, digits and @/./+/-/_ only."),
    )
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False,
                             help_text=_("Reminders and notices are sent here."))
    password = forms.CharField(
        label=_("First password"), required=False, strip=False, max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell it to the volunteer in person; they can change it after signing in. "
                    "Leave it blank and the account cannot be used until an administrator sets a password."),
    )
    teaching = forms.MultipleChoiceField(
        label=_("Subjects and levels taught"), choices=TEACHING_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Usual weekdays"), choices=[(str(n), label) for n, label in WEEKDAYS], required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("The days of the week the volunteer can usually come."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"), queryset=Site.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one site.")},
    )

    class Meta:
        model = Volunteer
        fields = [
            "name_kana", "kind", "phone", "max_children", "pledge_signed_on", "insurance_expires_on", "training_completed_on",
            "joined_on", "is_active", "emergency_contact_name", "emergency_contact_phone", "note",
        ]  # fmt: skip
        widgets = {
            "pledge_signed_on": DateInput(),
            "insurance_expires_on": DateInput(),
            "training_completed_on": DateInput(),
            "joined_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "emergency_contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "max_children": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = user
        self.account = self.instance.user if self.instance.pk else User()
        visible_sites = Site.objects.visible_to(user)
        self.fields["sites"].queryset = visible_sites
        self.fields["max_children"].min_value = 1
        self.fields["max_children"].validators.append(_min_one)
        if self.instance.pk:
            del self.fields["password"]
            for name in ("username", "last_name", "first_name", "email"):
                self.initial.setdefault(name, getattr(self.account, name))
            self.initial.setdefault("teaching", [teaching_code(t.subject, t.level) for t in self.instance.teaching.all()])
            self.initial.setdefault("weekdays", [str(n) for n in self.instance.weekday_numbers])
            self.initial.setdefault("sites", [s for s in self.instance.sites.all() if s in set(visible_sites)])
        else:
            visible = list(visible_sites)
            if len(visible) == 1:
                self.initial.setdefault("sites", visible)

    def clean_username(self):
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username)
        if self.account.pk:
            taken = taken.exclude(pk=self.account.pk)
        if taken.exists():
            raise forms.ValidationError(_("This username is already in use."))
        return username

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            candidate = User(username=self.data.get("username", ""), first_name=self.data.get("first_name", ""),
                             last_name=self.data.get("last_name", ""), email=self.data.get("email", ""))
            password_validation.validate_password(password, candidate)
        return password

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data["weekdays"])))

    def clean_teaching(self):
        return sorted(tuple(code.split(":", 1)) for code in set(self.cleaned_data["teaching"]))

    def _post_clean(self):
        self.instance.usual_weekdays = self.cleaned_data.get("weekdays", self.instance.usual_weekdays)
        super()._post_clean()

    def compared_fields(self) -> list[str]:
        return [name for name in super().compared_fields() if name != "password"]

    def saved_values(self, current) -> dict:
        values = super().saved_values(current)
        values.update({name: getattr(current.user, name) for name in ("username", "last_name", "first_name", "email")})
        values.update(
            teaching=[teaching_code(t.subject, t.level) for t in current.teaching.all()],
            weekdays=[str(n) for n in current.weekday_numbers], sites=list(current.sites.all()),
        )
        return values

    def filled_account(self):
        """The user account with the form's values (not saved)."""
        account = self.account
        for name in ("username", "last_name", "first_name", "email"):
            setattr(account, name, self.cleaned_data[name])
        return account

    def kept_sites(self) -> list[Site]:
        """The volunteer's sites that the editor cannot see: an edit keeps them."""
        if not self.instance.pk:
            return []
        visible = set(self.fields["sites"].queryset.values_list("pk", flat=True))
        return [s for s in self.instance.sites.all() if s.pk not in visible]

    def teaching_grid(self) -> list[dict]:
        """The teaching checkboxes as rows of subjects and columns of levels."""
        boxes = {box.data["value"]: box for box in self["teaching"]}
        return [{"label": s_label, "boxes": [{"level": lv_label, "box": boxes[teaching_code(s, lv)]}
                                            for lv, lv_label in Level.choices]}
                for s, s_label in Subject.choices]

    @staticmethod
    def levels():
        return [label for _value, label in Level.choices]


def _min_one(value):
    if value is not None and value < 1:
        raise forms.ValidationError(_("Enter 1 or more."))


class AvailabilityExceptionForm(PlausibleModelForm):
    available = forms.TypedChoiceField(
        label=_("On that day"), coerce=lambda v: v == "1",
        choices=[("0", _("Cannot come")), ("1", _("Can come"))], initial="0",
    )

    class Meta:
        model = AvailabilityException
        fields = ["date", "available", "note"]
        widgets = {"date": DateInput()}
        labels = {"date": _("Date"), "note": _("Note")}


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.full_name_kana})"


class PairingPreferenceForm(forms.Form):
    student = StudentChoiceField(label=_("Child"), queryset=Student.objects.none())
    kind = forms.ChoiceField(label=_("Preference"), choices=PairingPreference.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, volunteer: Volunteer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = (
            Student.objects.visible_to(user).active().filter(rules.at_volunteer_sites(volunteer)).in_kana_order()
        )


class AttendanceTimesForm(forms.Form):
    arrived_at = forms.TimeField(label=_("Arrived at"), required=False, widget=TimeInput())
    left_at = forms.TimeField(label=_("Left at"), required=False, widget=TimeInput())

    def clean(self):
        cleaned = super().clean()
        arrived, left = cleaned.get("arrived_at"), cleaned.get("left_at")
        if arrived and left and left <= arrived:
            raise forms.ValidationError(_("The leaving time must be after the arrival time."))
        return cleaned


class FiscalYearForm(forms.Form):
    fy = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False,
                                  empty_label=_("All sites"))

    def __init__(self, *args, years: list[int], sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import gettext

        self.fields["fy"].choices = [(y, gettext("FY %(year)s") % {"year": y}) for y in years]
        if sites is None:
            del self.fields["site"]
        else:
            self.fields["site"].queryset = sites
