"""Each child's timeline: the page staff open before a visit. Staff only; every view is logged."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classroom import rules, timeline
from classroom.access_log import VIEW, log_access
from classroom.models import Student
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name
from lib.plausible import PlausibleForm


class TimelineFilterForm(PlausibleForm):
    kind = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label=_("Show"))
    start = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(s.kind, s.label) for s in timeline.sources()]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must not be before the start date."))
        return data


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


@rules.role_required(rules.STAFF)
def student_timeline(request: HtmxHttpRequest, pk: int):
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("site", "staff_in_charge"),
                                pk=pk)
    log_access(request, student, VIEW)
    form = TimelineFilterForm(request.GET)
    kinds, window = [], timeline.Window()
    if form.is_valid():
        kinds = form.cleaned_data["kind"]
        window = timeline.Window(form.cleaned_data["start"], form.cleaned_data["end"])
    page = timeline.page_of(student, kinds=kinds, window=window, page=_page_number(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "student": student,
        "staff_in_charge_name": person_name(student.staff_in_charge),
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    fragment = request.htmx and not request.htmx.history_restore_request
    if not fragment:
        context["summary"] = timeline.summary_for(student, timezone.localdate())
    return render_fragment(request, "classroom/timeline/page.html", context, partial="entries",
                           page_on_history_restore=True)
