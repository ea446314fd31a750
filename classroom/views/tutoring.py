"""The tutoring record of one child on one class day, opened from the roster row."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from classroom import rules
from classroom.exceptions import DomainError
from classroom.forms.tutoring import TutoringRecordForm
from classroom.models import ClassDay, Student, TutoringRecord
from classroom.services.edit_guards import EditConflict
from classroom.services.tutoring import tutoring_record_save
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.names import person_name

TEMPLATE = "classroom/tutoring/record.html"


@rules.role_required(rules.STAFF, rules.COORDINATOR)
def tutoring_record_edit(request: HtmxHttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Staff write the record; coordinators read it. Shows the previous tutor's handover note."""
    class_day = get_object_or_404(ClassDay.objects.visible_to(request.user).select_related("site"), pk=pk)
    student = get_object_or_404(Student.objects.filter(site_id=class_day.site_id), pk=student_pk)
    record = TutoringRecord.objects.filter(class_day=class_day, student=student).select_related("tutor").first()
    previous = (
        TutoringRecord.objects.handovers_before(student=student, date=class_day.date)
        .select_related("class_day", "tutor").first()
    )
    editable = rules.access(request.user, class_day, known_readable=True).change
    roster_url = reverse("classroom:roster", args=[class_day.pk]) + f"#roster-row-{student.pk}"
    if request.method == "POST":
        if not editable:
            raise Http404
        form = TutoringRecordForm(request.POST, site=class_day.site, record=record)
        if form.is_valid():
            try:
                tutoring_record_save(class_day=class_day, student=student, by=request.user, **form.entered_values(),
                                     version=form.expected_version)
            except EditConflict as conflict:
                form.show_conflict(conflict)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved the tutoring record of %(name)s.") % {"name": student.full_name})
                return redirect(roster_url)
    else:
        form = TutoringRecordForm(initial=TutoringRecordForm.initial_from(record), site=class_day.site,
                                  record=record, version=record.version if record else 0)
    return render_fragment(request, TEMPLATE, {
        "class_day": class_day,
        "student": student,
        "record": record,
        "previous": previous,
        "previous_tutor": person_name(previous.tutor) if previous else "",
        "record_tutor": person_name(record.tutor) if record else "",
        "form": form,
        "editable": editable,
        "roster_url": roster_url,
        "discard_url": request.path,
    }, partial="record")
