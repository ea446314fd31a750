"""The student page's 進路 section: the child's outcomes by fiscal year; staff see the reason and note and may
add or edit, coordinators see the outcomes without them; the page's queries do not grow with outcomes."""

import pytest
from django.urls import reverse

from classroom.factories import OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outcomes(student, this_year):
    return [
        OutcomeFactory(student=student, fiscal_year=this_year - 1, stage="entry", result="correspondence",
                       school="県立通信制高校"),
        OutcomeFactory(student=student, fiscal_year=this_year, stage="high_school", result="left_school",
                       decided_on="2026-06-30", reason="financial", note="家計を助けるために働きたいと本人", school=""),
    ]


def page(client, student) -> str:
    response = client.get(reverse("classroom:student_detail", args=[student.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_every_outcome_by_year_with_reasons_and_links(staff_client, student, outcomes, this_year):
    html = page(staff_client, student)
    section = html[html.index('id="outcomes"'):]
    assert section.index(f"{this_year}年度") < section.index(f"{this_year - 1}年度")  # the newest year first
    assert "通信制高校に進学" in section and "県立通信制高校" in section and "中途退学" in section
    assert "経済的理由" in section and "家計を助けるために働きたいと本人" in section
    assert "令和8年6月30日" in section
    assert reverse("classroom:outcome_create", args=[student.pk]) in section
    assert all(reverse("classroom:outcome_edit", args=[o.pk]) in section for o in outcomes)


def test_coordinators_see_the_outcomes_without_reason_or_note(coordinator_client, student, outcomes):
    html = page(coordinator_client, student)
    assert "中途退学" in html and "県立通信制高校" in html
    assert "経済的理由" not in html and "家計を助けるために働きたいと本人" not in html
    assert reverse("classroom:outcome_create", args=[student.pk]) not in html  # no link to add or edit
    assert all(reverse("classroom:outcome_edit", args=[o.pk]) not in html for o in outcomes)


def test_no_outcome_yet(staff_client, student):
    assert "進路はまだ記録されていません" in page(staff_client, student)


def test_volunteers_and_other_sites_see_no_outcome(volunteer_client, client, other_site, student, outcomes):
    from classroom import rules
    from classroom.factories import UserFactory

    assert volunteer_client.get(reverse("classroom:student_detail", args=[student.pk])).status_code == 404
    client.force_login(UserFactory(roles=[rules.STAFF], sites=[other_site]))
    assert client.get(reverse("classroom:student_detail", args=[student.pk])).status_code == 404


def test_the_page_costs_the_same_with_one_and_many_outcomes(staff_client, student, this_year, count_queries):
    def measure():
        page(staff_client, student)
        with count_queries() as q:
            page(staff_client, student)
        return q.count

    OutcomeFactory(student=student, fiscal_year=this_year)
    one = measure()
    for year in range(this_year - 5, this_year):
        OutcomeFactory(student=student, fiscal_year=year, stage="high_school", result="continuing")
    assert measure() == one
