"""The report pages (fiscal year and month): who may open them, what they show, hostile parameters,
the htmx fragment, and a query budget that does not grow with children or class days."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, HouseholdFactory, StudentFactory
from classroom.grades import fiscal_year_of
from classroom.models import Attendance, AttendanceStatus, ClassDay, Student, TutoringRecord
from lib import facts
from lib.wareki import fiscal_year_label
from reporting.figures import FIGURES


def year_url(fy=2025, **query):
    url = reverse("reporting:report_year", args=[fy])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def month_url(fy, month):
    return reverse("reporting:report_month", args=[fy, month])


def current_fy() -> int:
    return fiscal_year_of(timezone.localdate())


def test_reports_open_on_the_current_fiscal_year(staff_client):
    response = staff_client.get(reverse("reporting:report_index"))
    assert response.status_code == 302 and response["Location"] == year_url(current_fy())


def test_the_switcher_goes_to_the_year_and_site_chosen(staff_client, site):
    response = staff_client.get(reverse("reporting:report_index"), {"fy": current_fy() - 1, "site": site.pk})
    assert response["Location"] == year_url(current_fy() - 1, site=site.pk)


@pytest.mark.parametrize("fy", ["0001", "1989", "99999", "-1", "abc", "٣"])
def test_the_switcher_explains_a_year_it_does_not_offer(staff_client, fy):
    response = staff_client.get(reverse("reporting:report_index"), {"fy": fy}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == year_url(current_fy())
    assert "一覧から年度を選んでください" in response.content.decode()


def test_the_switcher_refuses_another_sites_id(staff_client, other_site):
    response = staff_client.get(reverse("reporting:report_index"), {"site": other_site.pk}, follow=True)
    assert "担当の教室から選んでください" in response.content.decode()


def test_the_fiscal_year_page_shows_every_table_with_its_definition(staff_client, classroom, site):
    html = staff_client.get(year_url(2025)).content.decode()
    assert fiscal_year_label(2025) in html and "2025年度（令和7年度）" in html
    assert "令和7年4月1日" in html and "令和8年3月31日" in html
    for figure in FIGURES.values():
        assert f'id="{figure.key}"' in html, figure.key
    assert "前年度" in html  # the year before, beside each total
    assert 'href="/reports/2024/"' in html and 'href="/reports/2026/"' in html
    assert 'href="/reports/2025/2025-04/"' in html  # the monthly reports
    assert 'href="/reports/2025/export/?format=xlsx"' in html
    assert classroom["kids"]["leaver"].full_name not in html  # figures, never names


def test_the_page_counts_one_site_or_all_of_the_users(client, site, other_site, classroom):
    from classroom import rules
    from classroom.factories import UserFactory

    both = UserFactory(roles=[rules.STAFF], sites=[site, other_site])
    client.force_login(both)
    everything = client.get(year_url(2025)).context["report"]
    assert everything.all_sites and everything.table("children_by_grade").value("total", "total") == 6
    one = client.get(year_url(2025, site=other_site.pk)).context["report"]
    assert not one.all_sites and one.table("children_by_grade").value("total", "total") == 1


def test_the_month_page_compares_with_the_same_month_a_year_before(staff_client, classroom):
    response = staff_client.get(month_url(2025, "2026-03"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "令和8年3月" in html and "前年同月" in html
    assert 'href="/reports/2025/2026-02/"' in html and 'href="/reports/2025/"' in html
    assert response.context["report"].table("attendance_by_month").value("attended", "total") == 1


def test_coordinators_see_counts_without_reasons_or_case_work(coordinator_client, classroom):
    response = coordinator_client.get(year_url(2025))
    assert response.status_code == 200
    keys = {t.key for t in response.context["report"].tables}
    assert "children_by_household" not in keys and "home_visits" not in keys and "shares_by_basis" not in keys
    html = response.content.decode()
    assert "生活保護" not in html and "児童相談所" not in html
    assert "学習支援員のみに表示" in html


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_other_roles_get_404(request, persona):
    client = request.getfixturevalue(persona)
    for url in (reverse("reporting:report_index"), year_url(2025), month_url(2025, "2025-04"),
                reverse("reporting:report_year_export", args=[2025])):
        assert client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(year_url(2025))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", [
    "/reports/0001/", "/reports/1989/", "/reports/99999/", f"/reports/{10 ** 20}/",
    "/reports/2025/2025-13/", "/reports/2025/2025-00/", "/reports/2025/2026-04/", "/reports/2025/2025-3/",
    "/reports/2025/0000-04/",
])
def test_hostile_periods_answer_404(staff_client, path):
    assert staff_client.get(path).status_code in {400, 404}  # 400: a number no database holds (lib.hostile)


def test_next_fiscal_year_and_months_to_come_answer_404(staff_client):
    today = timezone.localdate()
    assert staff_client.get(year_url(current_fy() + 1)).status_code == 404
    coming = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert staff_client.get(month_url(fiscal_year_of(coming), f"{coming:%Y-%m}")).status_code == 404


@pytest.mark.parametrize("value", ["other", "abc", "-1", "1.5", "٣", "9" * 20, "\x00"])
def test_a_site_not_the_users_answers_404(staff_client, other_site, value):
    site = str(other_site.pk) if value == "other" else value
    refused = {404} if value != "9" * 20 and value != "\x00" else {400}  # lib.hostile refuses those first
    assert staff_client.get(year_url(2025), {"site": site}).status_code in refused
    assert staff_client.get(reverse("reporting:report_year_export", args=[2025]),
                            {"site": site, "format": "xlsx"}).status_code in refused


def test_htmx_gets_the_report_fragment_and_the_address_to_show(staff_client, site):
    response = staff_client.get(year_url(2025, site=site.pk), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="report")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and html.lstrip().startswith('<div id="report"')
    assert response["HX-Push-Url"] == year_url(2025, site=site.pk)


# --- Query budget: the same queries for 5 and for 500 children ----------------------------------------
def grow(site, children: int, days: list[ClassDay]) -> None:
    """Children with attendance and a written tutoring record on each of ``days``, in bulk."""
    household = HouseholdFactory()
    with facts.deferred():
        made = Student.objects.bulk_create([
            StudentFactory.build(site=site, household=household, enrolled_on=dt.date(2024, 4, 1))
            for _ in range(children)])
        ids = [s.pk for s in made]
        Attendance.objects.bulk_create([
            Attendance(class_day=day, student_id=pk, status=AttendanceStatus.PRESENT if (pk + day.pk) % 5 else
                       AttendanceStatus.ABSENT) for day in days for pk in ids], batch_size=2000)
        TutoringRecord.objects.bulk_create([
            TutoringRecord(class_day=day, student_id=pk, subjects="maths", written_at=timezone.now())
            for day in days for pk in ids if (pk + day.pk) % 5], batch_size=2000)


def measure(client, url, count_queries) -> int:
    client.get(url)  # the first request of a session also saves the session
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return queries.count


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client"])
def test_the_report_costs_the_same_queries_for_5_and_500_children(request, persona, site, count_queries):
    client = request.getfixturevalue(persona)
    few_days = [ClassDayFactory(site=site, date=dt.date(2025, 4, 7) + dt.timedelta(weeks=w), status="held")
                for w in range(3)]
    grow(site, 5, few_days)
    urls = [year_url(2025), month_url(2025, "2025-04"),
            reverse("reporting:report_year_export", args=[2025]) + "?format=xlsx"]
    small = [measure(client, url, count_queries) for url in urls]
    more_days = [ClassDayFactory(site=site, date=dt.date(2025, 5, 5) + dt.timedelta(weeks=w), status="held")
                 for w in range(20)]
    grow(site, 495, few_days + more_days)
    assert Student.objects.filter(site=site).count() == 500
    assert [measure(client, url, count_queries) for url in urls] == small
    assert small[0] <= 20  # the ceiling every page keeps (tests/test_access_crawl.py)


def test_another_sites_staff_count_only_their_own_site(client, other_site, classroom):
    from classroom import rules
    from classroom.factories import UserFactory

    client.force_login(UserFactory(roles=[rules.STAFF], sites=[other_site]))
    report = client.get(year_url(2025)).context["report"]
    assert [s.pk for s in report.sites] == [other_site.pk]
    assert report.table("children_by_grade").value("total", "total") == 1  # the other site's own child
    assert report.table("home_visits").value("visits", "total") == 1
