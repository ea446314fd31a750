"""Forms of an activity's participants: inviting, answers, consent, day-of, report and photos."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Answer, Participant, ParticipantRole
from classroom.forms.edit_guards import EditGuardMixin
from classroom.grades import Grade
from lib import images
from lib.plausible import PlausibleForm

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 10


class InviteFilterForm(forms.Form):
    """Which students to list for inviting: grade, site and a name or kana search."""

    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("All grades")), *Grade.choices], required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False, empty_label=_("All my sites"))
    q = forms.CharField(label=_("Name or kana"), required=False, max_length=50)

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class InviteForm(forms.Form):
    students = forms.ModelMultipleChoiceField(label=_("Students"), queryset=None,
                                              error_messages={"required": _("Choose at least one student.")})
    with_guardians = forms.BooleanField(label=_("Also invite their guardians"), required=False, initial=True)
    with_siblings = forms.BooleanField(label=_("Also invite their brothers and sisters on the roster"), required=False)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students


class NamedInviteForm(EditGuardMixin, forms.ModelForm):
    """Someone not on the roster: a young person referred by another program, a family member..."""

    role = forms.ChoiceField(label=_("Role"), choices=[(r, ParticipantRole(r).label)
                                                      for r in (ParticipantRole.OTHER_YOUTH, ParticipantRole.OTHER)])

    class Meta:
        model = Participant
        fields = ["role", "name", "name_kana", "phone", "allergy_notes", "note"]
        labels = {"name": _("Full name")}
        help_texts = {"name": ""}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True


class ParticipantEditForm(EditGuardMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["phone", "allergy_notes", "note"]
        help_texts = {"phone": _("Leave empty to use the guardian's phone.")}


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[(a, Answer(a).label) for a in (Answer.GOING, Answer.DECLINED, Answer.INVITED)])
    override_reason = forms.CharField(label=_("Reason to proceed without consent"), max_length=200, required=False)


class ConsentForm(PlausibleForm):
    received_on = forms.DateField(label=_("Consent received on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReflectionForm(EditGuardMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["reflection"]
        widgets = {"reflection": forms.Textarea(attrs={"rows": 6})}


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos at once, each checked for size and then read by its content as a JPEG, PNG or
    WebP picture (never by its name or declared type; see ``lib.images``). The cleaned value
    is the pictures written again upright and without metadata (GPS position, camera, comments)."""

    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise forms.ValidationError(_("Choose at least one photo."), code="required")
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Upload at most %(count)d photos at a time.") % {"count": MAX_PHOTOS})
        cleaned = []
        for upload in files:
            if upload.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is too large: a photo can be at most %(mb)d MB.")
                    % {"name": upload.name, "mb": MAX_PHOTO_BYTES // (1024 * 1024)}
                )
            upload = super().clean(upload, initial)
            try:
                cleaned.append(images.clean_image(upload))
            except images.ImageRefused as refused:
                raise forms.ValidationError(refused.message, code="invalid_image") from refused
        return cleaned


class PhotoUploadForm(forms.Form):
    images = MultipleImageField(
        label=_("Photos"), widget=MultipleImageInput(attrs={"accept": images.ACCEPT, "multiple": True}),
        help_text=_("JPEG, PNG or WebP pictures. The position (GPS) and other information the camera "
                    "stored in a photo are removed."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
