"""Forms behind the drop-in board's buttons: they check that the child or site is the user's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.models import Site, Student


class DropInStudentForm(forms.Form):
    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("Student"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Student.objects.visible_to(user).select_related("site")


class VisitorCountForm(forms.Form):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), label=_("Site"))
    delta = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1")], coerce=int, label=_("Change"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)
