"""What volunteers add to classroom's pages: a volunteer's home, the links to the pairing plan, the
roster's section on the volunteers' attendance, and on the homes the class days short of volunteers
(staff and coordinators) and the volunteer hours (coordinators). Registered in ``classroom.extensions``
by ``VolunteersConfig.ready``; classroom never imports this app."""

from __future__ import annotations

import datetime as dt

from django.db.models import IntegerField, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classroom import extensions, rules
from classroom.grades import fiscal_year_bounds, fiscal_year_of
from classroom.models import ClassDay
from volunteers.hours import format_hours, minutes_expression
from volunteers.models import VolunteerAttendance, VolunteerKind
from volunteers.services.planning import planning_days

# The homes list the class days of the next two weeks (today and the fourteen days after, as the
# coordinator home's table) with fewer confirmed volunteers than expected children.
COVERAGE_DAYS = 14


def short_of_volunteers(user, today: dt.date) -> list[ClassDay]:
    """The user's class days of the next two weeks, not cancelled, with fewer confirmed volunteers than
    children expected (as the pairing plan counts them): one query."""
    days = planning_days(user=user, today=today, until=today + dt.timedelta(days=COVERAGE_DAYS))
    return [day for day in days if not day.is_cancelled and day.confirmed < day.expected]


def hours_by_kind(user, today: dt.date) -> dict:
    """Volunteer minutes this month and this fiscal year so far at the user's sites, by kind: one query."""
    start, _end = fiscal_year_bounds(fiscal_year_of(today))
    month_start = today.replace(day=1)
    minutes = minutes_expression()
    rows = (VolunteerAttendance.objects.filter(class_day__in=ClassDay.objects.visible_to(user),
                                               class_day__date__range=(start, today))
            .values("volunteer__kind")
            .annotate(year=Sum(minutes, output_field=IntegerField()),
                      month=Sum(minutes, filter=Q(class_day__date__gte=month_start), output_field=IntegerField()))
            .order_by())
    by_kind = {row["volunteer__kind"]: (row["month"] or 0, row["year"] or 0) for row in rows}
    lines = [{"label": label, "month": format_hours(by_kind.get(kind, (0, 0))[0]),
              "year": format_hours(by_kind.get(kind, (0, 0))[1])} for kind, label in VolunteerKind.choices]
    month, year = (sum(m for m, _y in by_kind.values()), sum(y for _m, y in by_kind.values()))
    return {"lines": lines, "month": format_hours(month), "year": format_hours(year),
            "fiscal_year": fiscal_year_of(today), "month_start": month_start}


def staff_home_card(request, today: dt.date) -> str:
    """The class days short of volunteers, on the staff home: one query."""
    return render_to_string("volunteers/home/_coverage.html", {"short_days": short_of_volunteers(request.user, today)},
                            request=request)


def coordinator_home_section(request, today: dt.date) -> str:
    """Volunteer coverage of the next two weeks and the volunteer hours, on the coordinator home: two queries."""
    return render_to_string("volunteers/home/_coordinator.html", {
        "short_days": short_of_volunteers(request.user, today), "hours": hours_by_kind(request.user, today),
    }, request=request)


def roster_section(request, class_day: ClassDay) -> str:
    """The volunteers' attendance at the roster's foot, loaded by htmx (a plain link without it): no query."""
    return render_to_string("volunteers/attendance/_roster_section.html", {"class_day": class_day})


def register() -> None:
    extensions.register(extensions.HOME_PAGES, rules.VOLUNTEER, "volunteers:home_volunteer")
    extensions.register(extensions.PAGE_LINKS, "pairing_plan", extensions.PageLink(
        page=extensions.CLASS_DAY_PAGE, label=_("Plan pairs"),
        url=lambda class_day: reverse("volunteers:pairing_plan", args=[class_day.pk])))
    extensions.register(extensions.PAGE_LINKS, "pairing_plan_index", extensions.PageLink(
        page=extensions.COORDINATOR_HOME, label=_("Plan pairs"), url=lambda _obj: reverse("volunteers:pairing_plan_index")))
    extensions.register(extensions.ROSTER_SECTIONS, "volunteer_attendance", roster_section)
    extensions.register(extensions.STAFF_HOME_CARDS, "volunteer_coverage", staff_home_card, order=60)
    extensions.register(extensions.COORDINATOR_HOME_SECTIONS, "volunteers", coordinator_home_section)
