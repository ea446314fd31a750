"""The school attendance statement (出席扱い) of a child: choose the month, then the A4 statement.

Staff only (coordinators and volunteers: 404, as for anyone else's child). Every opening of the
statement is recorded in the access log (``STATEMENT``): it goes to a school.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from classroom import rules, statements
from classroom.access_log import STATEMENT, log_access
from classroom.forms.statements import StatementForm
from classroom.models import Student
from lib.names import person_name

TEMPLATES = "classroom/students/"


def _student(request, pk: int) -> Student:
    return get_object_or_404(Student.objects.visible_to(request.user).select_related("site"), pk=pk)


def _choose(request, student: Student, form: StatementForm):
    today = timezone.localdate()
    return render(request, TEMPLATES + "statement_form.html", {
        "student": student, "form": form, "months": statements.months_attended(student, until=today),
    })


@rules.role_required(rules.STAFF)
def student_statement(request, pk: int):
    """The month and the options, with the recent months the child came in (one click each)."""
    student = _student(request, pk)
    return _choose(request, student, StatementForm(initial={"month": timezone.localdate().replace(day=1)}))


@rules.role_required(rules.STAFF)
def student_statement_print(request, pk: int):
    """The statement for ``?month=YYYY-MM`` (``&include_tutors=on``): an impossible month is shown on
    the choice page with its message."""
    student = _student(request, pk)
    form = StatementForm(request.GET)
    if not form.is_valid():
        return _choose(request, student, form)
    statement = statements.attendance_statement(
        student=student, month=form.cleaned_data["month"], include_tutors=form.cleaned_data["include_tutors"],
        issued_on=timezone.localdate(),
    )
    log_access(request, student, STATEMENT)
    return render(request, TEMPLATES + "statement.html", {
        "statement": statement, "student": student, "site": student.site, "prepared_by": person_name(request.user),
    })
