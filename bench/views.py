"""Bare views: the floor the real screens are compared with.

``bare_roster`` reads the rows the roster shows for a class day (the children expected that day and
anyone already marked, with their status) in one query (the class day's site and weekday come in the URL) and returns minimal HTML; ``bare_upsert``
writes one attendance row with one ``update_or_create``. Both require a signed-in user, as the
real screens do, but skip the access rules, forms and templates: they measure what the framework,
the session and the database cost on their own.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import FilteredRelation, Q
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_POST

from classroom.models import Attendance, Student, StudentStatus


@login_required
def bare_roster(request, pk: int, site: int, weekday: int) -> HttpResponse:
    """The class day's site and weekday come in the URL (the bench knows them), so the rows are one query."""
    rows = (
        Student.objects.annotate(day=FilteredRelation("attendances", condition=Q(attendances__class_day_id=pk)))
        .filter(site_id=site)
        .filter(Q(status=StudentStatus.ACTIVE, usual_weekdays__contains=str(weekday)) | Q(day__isnull=False))
        .values_list("pk", "family_name", "given_name", "day__status")
        .order_by("family_name_kana", "given_name_kana", "pk")
    )
    body = "".join(
        f'<li id="r{pk}">{escape(family)} {escape(given)} <b>{escape(status or "")}</b></li>'
        for pk, family, given, status in rows
    )
    return HttpResponse(f"<!doctype html><title>roster</title><ul>{body}</ul>")


@login_required
@require_POST
def bare_upsert(request, pk: int, student_pk: int) -> HttpResponse:
    status = request.POST.get("status") or "present"
    row, created = Attendance.objects.update_or_create(
        class_day_id=pk, student_id=student_pk, defaults={"status": status, "recorded_by": request.user}
    )
    return HttpResponse(f'<li id="r{student_pk}">{escape(row.status)}</li>')
