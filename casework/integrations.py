"""What case work adds to classroom's pages: the staff home's card, the student page's section,
the roster's warning check and the access log's breadcrumb. Registered in ``classroom.extensions`` by ``CaseworkConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.template.loader import render_to_string

from casework import warnings
from casework.views.visits import student_visit_summary
from classroom import extensions
from classroom.models import ClassDay, Student

# The early warnings that attendance decides: marking a child present can clear these.
ATTENDANCE_WARNINGS = (warnings.ABSENCES, warnings.RATE_DROP, warnings.NO_CONTACT, warnings.HS_STOPPED)


def staff_home_card(request, today: dt.date) -> str:
    """The early-warning card (empty for anyone but staff): five queries, fixed."""
    return render_to_string("casework/warnings/_card.html", {"warning_card": warnings.card_for(request.user, today)})


def student_page_section(request, student: Student) -> str:
    """Visits, contacts and sharing, on the student page of staff: one query."""
    return render_to_string("casework/visits/_student_section.html", {"student": student,
                                                                      **student_visit_summary(student)})


def roster_warnings(class_day: ClassDay, student_ids: Iterable[int]) -> dict[int, Student]:
    """The children among ``student_ids`` with a warning that attendance decides (four queries)."""
    report = warnings.compute([class_day.site], student_ids=student_ids)
    return {w.student.pk: w.student for w in report.warnings if w.kind in ATTENDANCE_WARNINGS}


def register() -> None:
    extensions.register(extensions.STAFF_HOME_CARDS, "early_warning", staff_home_card)
    extensions.register(extensions.STUDENT_PAGE_SECTIONS, "visits", student_page_section)
    extensions.register(extensions.ROSTER_WARNINGS, "early_warning", roster_warnings)
