"""What oversight adds to classroom's pages: a card on the staff home that leads to the staff
administrator's screens, and the link to a child's access log on the student page. Registered in
``classroom.extensions`` by ``OversightConfig.ready``; classroom never imports this app."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from classroom import extensions, rules


def staff_home_card(request, today: dt.date) -> str:
    """Staff administration, for a staff administrator (empty for anyone else)."""
    if not rules.is_staff_admin(request.user):
        return ""
    return render_to_string("oversight/_home_card.html", request=request)


def student_page_section(request, student) -> str:
    """Who read or changed this child's records: the access log of one child, for staff administrators."""
    if not rules.is_staff_admin(request.user):
        return ""
    return render_to_string("oversight/_student_section.html", {"student": student}, request=request)


def register() -> None:
    extensions.register(extensions.STAFF_HOME_CARDS, "oversight", staff_home_card, order=91)
    extensions.register(extensions.STUDENT_PAGE_SECTIONS, "access_log", student_page_section, order=92)
