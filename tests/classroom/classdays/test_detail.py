"""The class day page: date, time, site, status, note and attendance counts."""

import pytest

from classroom.factories import AttendanceFactory, ClassDayFactory
from classroom.models import AttendanceStatus, ClassDayStatus


@pytest.fixture
def class_day(site):
    day = ClassDayFactory(site=site, note="英語の先生が来る日", status=ClassDayStatus.HELD)
    AttendanceFactory(class_day=day, status=AttendanceStatus.PRESENT)
    AttendanceFactory(class_day=day, status=AttendanceStatus.LATE)
    AttendanceFactory(class_day=day, status=AttendanceStatus.ABSENT)
    return day


@pytest.mark.parametrize("persona, expected", [("staff", 200), ("coordinator", 200), ("volunteer", 404),
                                               ("outsider", 404)])
def test_detail_access_by_role(client, request, class_day, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/class-days/{class_day.pk}/").status_code == expected


def test_another_sites_class_day_answers_404(staff_client, other_site):
    theirs = ClassDayFactory(site=other_site)
    assert staff_client.get(f"/class-days/{theirs.pk}/").status_code == 404


def test_staff_sees_facts_counts_and_actions(staff_client, class_day, site):
    content = staff_client.get(f"/class-days/{class_day.pk}/").content.decode()
    assert "17:00–19:00" in content
    assert site.name in content
    assert "英語の先生が来る日" in content
    assert '<span class="cd-counts__value">1</span> <span class="cd-counts__label">出席</span>' in content
    assert '<span class="cd-counts__value">1</span> <span class="cd-counts__label">遅刻</span>' in content
    assert f"/class-days/{class_day.pk}/edit/" in content
    assert f"/class-days/{class_day.pk}/cancel/" in content


def test_coordinator_sees_no_edit_or_cancel(coordinator_client, class_day):
    content = coordinator_client.get(f"/class-days/{class_day.pk}/").content.decode()
    assert "英語の先生が来る日" in content
    assert "/edit/" not in content and "/cancel/" not in content and "/restore/" not in content


def test_cancelled_day_shows_its_reason_and_restore(staff_client, site):
    day = ClassDayFactory(site=site, status=ClassDayStatus.CANCELLED, cancel_reason="台風接近のため休室")
    content = staff_client.get(f"/class-days/{day.pk}/").content.decode()
    assert "台風接近のため休室" in content
    assert f"/class-days/{day.pk}/restore/" in content
    assert f"/class-days/{day.pk}/cancel/" not in content


def test_htmx_returns_the_summary_only(staff_client, class_day):
    content = staff_client.get(f"/class-days/{class_day.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<article id="class-day-summary"')
