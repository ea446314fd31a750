"""The demo data fills the report on first run: two fiscal years, from April 1 of the previous one."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from classroom.grades import fiscal_year_bounds, fiscal_year_of
from classroom.models import ClassDay, Site
from reporting import figures


def test_the_demo_fills_both_fiscal_years_of_the_report(db):
    call_command("seed_demo", students=30, seed=7, stdout=io.StringIO())
    today = timezone.localdate()
    last_year = fiscal_year_of(today) - 1
    assert ClassDay.objects.order_by("date").first().date == fiscal_year_bounds(last_year)[0]
    staff = get_user_model().objects.get(username="staff")
    report = figures.report(staff, period=figures.Period(fiscal_year_of(today)), sites=list(Site.objects.all()),
                            all_sites=True, today=today)
    for key, row in [("children_by_grade", "total"), ("class_days_by_kind", "held"),
                     ("attendance_by_month", "attended"), ("tutoring", "sessions"), ("drop_ins", "unregistered"),
                     ("home_visits", "visits"), ("shares_by_basis", "total"), ("activities", "participants"),
                     ("volunteers", "hours"), ("movement", "new")]:
        table = report.table(key)
        assert table.value(row, "total") and table.value(row, "previous"), (key, row)
    kinds = report.table("class_days_by_kind")
    assert kinds.value("online", "previous") and kinds.value("home_tutoring", "previous")
    assert kinds.value("cancelled", "previous")
    assert report.table("movement").value("left", "previous")
