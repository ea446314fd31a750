"""The legal hold on the student page: shown to staff, set and cleared by a staff administrator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from classroom import rules
from classroom.access_log import UPDATE, log_access
from classroom.exceptions import DomainError
from classroom.models import Student
from classroom.services.edit_guards import EditConflict
from dataio.forms.retention import LegalHoldForm
from dataio.services.retention import student_legal_hold_set
from lib.htmx import HtmxHttpRequest

TEMPLATE = "dataio/retention_hold.html"


def _context(request, student: Student, form: LegalHoldForm | None = None) -> dict:
    may_change = rules.is_staff_admin(request.user) and student.anonymised_on is None
    if may_change and form is None:
        form = LegalHoldForm(initial={"legal_hold": student.legal_hold, "legal_hold_reason": student.legal_hold_reason},
                             version=student.version)
    errors = list(form.non_field_errors()) if form is not None and form.is_bound and not may_change else []
    return {"student": student, "form": form if may_change else None, "saved_message": "", "errors": errors}


def student_page_section(request, student: Student) -> str:
    """The legal hold and the anonymisation of the child, for the staff who see the page's sensitive part:
    the form for a staff administrator, the state for other staff when there is one to tell."""
    if not (rules.is_staff_admin(request.user) or student.legal_hold or student.anonymised_on):
        return ""
    return render_to_string(TEMPLATE + "#section", _context(request, student), request=request)


@login_required
@require_POST
def student_legal_hold(request: HtmxHttpRequest, student_pk: int):
    """Set or clear the hold (staff administrators of the child's site; 404 for anyone else)."""
    if not rules.is_staff_admin(request.user):
        raise Http404
    student = get_object_or_404(Student.objects.visible_to(request.user).select_related("site"), pk=student_pk)
    form = LegalHoldForm(request.POST, version=student.version)
    saved = False
    if form.is_valid():
        try:
            student_legal_hold_set(student=student, legal_hold=form.cleaned_data["legal_hold"],
                                   reason=form.cleaned_data["legal_hold_reason"], version=form.expected_version)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            saved = True
            log_access(request, student, UPDATE)
            message = (_("The records of %(name)s are now under a legal hold.") if student.legal_hold
                       else _("The legal hold of %(name)s was cleared.")) % {"name": student.full_name}
            if not request.htmx:
                messages.success(request, message)
                return redirect(reverse("classroom:student_detail", args=[student.pk]) + "#legal-hold")
    context = _context(request, student, None if saved else form)
    if saved:
        context["saved_message"] = message
    return render(request, TEMPLATE + ("#section" if request.htmx else ""), context)
