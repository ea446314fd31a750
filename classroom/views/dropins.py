"""The drop-in board (居場所): today's check-ins and check-outs, and unregistered visitors."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from classroom import rules
from classroom.forms.dropins import DropInStudentForm, VisitorCountForm
from classroom.models import DropIn, DropInVisitorCount, Site, Student
from classroom.services import dropins as services
from lib.htmx import HtmxHttpRequest, render_fragment
from lib.kana import to_katakana

TEMPLATE = "classroom/dropins/board.html"


def _search_text(student: Student) -> str:
    parts = [student.family_name, student.given_name, student.family_name_kana, student.given_name_kana,
             student.nickname, student.full_name.replace(" ", ""), student.full_name_kana.replace(" ", "")]
    return to_katakana(" ".join(p for p in parts if p)).lower()


def _matches(search_text: str, query: str) -> bool:
    return all(to_katakana(word).lower() in search_text for word in query.split())


def _row(student: Student, visits: list[DropIn], query: str = "") -> dict:
    search = _search_text(student)
    return {
        "student": student,
        "open": next((v for v in visits if v.checked_out_at is None), None),
        "done": [v for v in visits if v.checked_out_at is not None],
        "search": search,
        "hidden": bool(query) and not _matches(search, query),
        "error": "",
    }


def _board_url(site_id: int) -> str:
    return f"{reverse('classroom:dropin_board')}?site={site_id}"


@rules.role_required(rules.STAFF)
def dropin_board(request: HtmxHttpRequest):
    today = timezone.localdate()
    sites = list(Site.objects.visible_to(request.user))
    site = sites[0] if sites else None
    if request.GET.get("site"):
        site = next((s for s in sites if str(s.pk) == request.GET["site"]), None)
        if site is None:
            raise Http404
    query = request.GET.get("q", "").strip()
    context = {"sites": sites, "site": site, "today": today, "query": query, "rows": [], "visitors": 0,
               "no_match": False}
    if site is not None:
        presence = services.Presence.on(site, today)
        visits_by_student = defaultdict(list)
        for visit in presence.visits:
            visits_by_student[visit.student_id].append(visit)
        students = Student.objects.visible_to(request.user).active().filter(site=site).in_kana_order()
        rows = [_row(s, visits_by_student[s.pk], query) for s in students]
        context.update(
            presence.as_context(),
            rows=rows,
            no_match=bool(rows) and all(r["hidden"] for r in rows),
            visitors=DropInVisitorCount.objects.filter(site=site, date=today).values_list("count", flat=True).first()
            or 0,
        )
    live = request.GET.get("live") and site is not None  # what changed on another tablet
    return render_fragment(request, TEMPLATE, context, partial="live" if live else "board")


def _student_action(request: HtmxHttpRequest, *, check_out: bool):
    form = DropInStudentForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404
    tap = services.drop_in_tap(student=form.cleaned_data["student"], by=request.user, check_out=check_out)
    if not request.htmx:
        if tap.error:
            messages.error(request, tap.error)
        return redirect(_board_url(tap.student.site_id))
    row = _row(tap.student, tap.visits)
    row["error"] = tap.error
    row["saved"] = not tap.error  # the row's data-announce: read once by the page's live region
    context = {**tap.presence.as_context(), "row": row, "site": tap.student.site}
    return render(request, TEMPLATE + "#row_response", context)


@rules.role_required(rules.STAFF)
@require_POST
def dropin_check_in(request):
    return _student_action(request, check_out=False)


@rules.role_required(rules.STAFF)
@require_POST
def dropin_check_out(request):
    return _student_action(request, check_out=True)


@rules.role_required(rules.STAFF)
@require_POST
def dropin_visitors(request: HtmxHttpRequest):
    form = VisitorCountForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404
    site = form.cleaned_data["site"]
    count = services.visitor_count_change(site=site, delta=form.cleaned_data["delta"], by=request.user)
    if not request.htmx:
        return redirect(_board_url(site.pk))
    return render(request, TEMPLATE + "#visitors", {"site": site, "visitors": count})
