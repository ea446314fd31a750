"""Each role's home page, and the health check."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from classroom import extensions, rules
from classroom.grades import fiscal_year_of
from classroom.models import AttendanceStatus, ClassDay, Site, Student
from classroom.models.attendance import ATTENDED
from classroom.models.outcomes import due_from, to_record
from classroom.views.outbox import attention_count as outbox_attention_count

# The homes of classroom's own roles; a higher app registers its role's home (extensions.HOME_PAGES).
HOME_BY_ROLE = {rules.STAFF: "classroom:home_staff", rules.COORDINATOR: "classroom:home_coordinator"}


@login_required
def home(request):
    """Send each user to the home page of their first role."""
    user_roles = rules.roles_of(request.user)
    homes = {**extensions.by_key(extensions.HOME_PAGES), **HOME_BY_ROLE}
    for role in rules.ROLES:
        if role in user_roles and role in homes:
            return redirect(homes[role])
    return render(request, "classroom/home_no_role.html")


def _site_cards(user, today: dt.date):
    """Per visible site: active students and today's class day with its attendance counts."""
    sites = list(
        Site.objects.visible_to(user).annotate(
            active_students=Count("students", filter=Q(students__status="active"), distinct=True)
        )
    )
    todays = {
        cd.site_id: cd
        for cd in ClassDay.objects.filter(site__in=sites, date=today)
        .not_cancelled()
        .annotate(
            marked=Count("attendances", distinct=True),
            came=Count("attendances", filter=Q(attendances__status__in=ATTENDED), distinct=True),
        )
        .order_by("start_time")
    }
    return [{"site": site, "today": todays.get(site.pk)} for site in sites]


# How many names of children whose outcome is still to record the staff home shows.
OUTCOME_NAMES = 3


def _outcomes_card(user, today: dt.date) -> dict:
    """The outcomes still to record this fiscal year (count and the first names) and those left from the
    year before (overdue): three queries, whatever the number of children."""
    fiscal_year = fiscal_year_of(today)
    students = Student.objects.visible_to(user)
    current = to_record(students, fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "count": current.count(),
        "first": list(current.order_by("stage_due", "family_name_kana", "given_name_kana", "pk")[:OUTCOME_NAMES]),
        "due": today >= due_from(fiscal_year),
        "due_from": due_from(fiscal_year),
        "previous_year": fiscal_year - 1,
        "overdue": to_record(students, fiscal_year - 1).count(),
    }


@rules.role_required(rules.STAFF)
def home_staff(request):
    today = timezone.localdate()
    upcoming = ClassDay.objects.visible_to(request.user).upcoming(today).select_related("site")[:5]
    return render(request, "classroom/home_staff.html", {
        "today": today,
        "fiscal_year": fiscal_year_of(today),
        "site_cards": _site_cards(request.user, today),
        "cards": [card(request, today) for card in extensions.entries(extensions.STAFF_HOME_CARDS)],
        "outbox_attention": outbox_attention_count(request.user),
        "outcomes": _outcomes_card(request.user, today),
        "upcoming": upcoming,
    })


@rules.role_required(rules.COORDINATOR)
def home_coordinator(request):
    today = timezone.localdate()
    upcoming = list(
        ClassDay.objects.visible_to(request.user).upcoming(today).filter(date__lte=today + dt.timedelta(days=14))
        .select_related("site").annotate(
            planned=Count("tutoring_records", distinct=True),
            absent_in_advance=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ABSENT_NOTICE), distinct=True),
        )
    )
    return render(request, "classroom/home_coordinator.html", {
        "today": today,
        "plan_links": extensions.links(extensions.COORDINATOR_HOME),
        "sections": [section(request, today) for section in extensions.entries(extensions.COORDINATOR_HOME_SECTIONS)],
        "fiscal_year": fiscal_year_of(today),
        "site_cards": _site_cards(request.user, today),
        "upcoming": upcoming,
    })


@never_cache
@require_GET
def healthz(request):
    """200 with a small JSON body when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})



