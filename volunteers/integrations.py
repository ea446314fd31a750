"""What volunteers add to classroom's pages: a volunteer's home, the links to the pairing plan and
the roster's section on the volunteers' attendance. Registered in ``classroom.extensions`` by
``VolunteersConfig.ready``; classroom never imports this app."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classroom import extensions, rules
from classroom.models import ClassDay


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
