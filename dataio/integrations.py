"""What dataio adds to classroom's pages: the staff administrator's home, a card on the staff home that
leads to the data page, the "export this child's data" section and the legal hold of the student page. Registered in
``classroom.extensions`` by ``DataioConfig.ready``; classroom never imports this app."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from classroom import extensions, rules
from dataio.views.retention import student_page_section as legal_hold_section


def staff_home_card(request, today: dt.date) -> str:
    """The data page, for a staff administrator who also holds the staff role (the staff home comes first)."""
    if not rules.is_staff_admin(request.user):
        return ""
    return render_to_string("dataio/_home_card.html", request=request)


def student_page_section(request, student) -> str:
    """Export the child's own data: shown to staff administrators only."""
    if not rules.is_staff_admin(request.user):
        return ""
    return render_to_string("dataio/_student_section.html", {"student": student}, request=request)


def register() -> None:
    extensions.register(extensions.HOME_PAGES, rules.STAFF_ADMIN, "dataio:data_home")
    extensions.register(extensions.STAFF_HOME_CARDS, "data", staff_home_card, order=90)
    extensions.register(extensions.STUDENT_PAGE_SECTIONS, "subject_access", student_page_section, order=90)
    extensions.register(extensions.STUDENT_PAGE_SECTIONS, "legal_hold", legal_hold_section, order=95)
