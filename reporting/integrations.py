"""What reporting adds to classroom's pages: this month's figures on the staff home. Registered in
``classroom.extensions`` by ``ReportingConfig.ready``; classroom never imports this app."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string

from classroom import extensions
from reporting import figures


def staff_home_card(request, today: dt.date) -> str:
    """This month's figures so far, linking to the monthly report: five aggregate queries, fixed."""
    month = figures.month_so_far(request.user, today=today)
    return render_to_string("reporting/_home_card.html", {"month_figures": month}, request=request)


def register() -> None:
    extensions.register(extensions.STAFF_HOME_CARDS, "month_figures", staff_home_card, order=10)
