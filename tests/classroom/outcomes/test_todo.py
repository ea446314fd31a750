"""The outcomes still to record: every 中3 and 高3 of a fiscal year (grade on its April 1, the override first) at
the user's sites without that stage's record; due from March 1; a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from classroom.factories import OutcomeFactory, StudentFactory, birth_date_for
from classroom.grades import Grade, birth_date_range, fiscal_year_bounds
from classroom.models import Student
from classroom.models.outcomes import due_from, to_record

pytestmark = pytest.mark.django_db
URL = reverse("classroom:outcome_todo")


def child(site, grade, year, **extra):
    """A child in ``grade`` on April 1 of fiscal ``year``."""
    start, _end = fiscal_year_bounds(year)
    extra.setdefault("enrolled_on", start - dt.timedelta(days=30))
    return StudentFactory(site=site, birth_date=birth_date_for(grade, start), **extra)


def listed(year, site) -> dict[int, str]:
    return {s.pk: s.stage_due for s in to_record(Student.objects.filter(site=site), year)}


def test_every_junior_high_3_and_high_school_3_without_its_record(site, this_year):
    j3, h3 = child(site, Grade.J3, this_year), child(site, Grade.H3, this_year)
    recorded = child(site, Grade.J3, this_year)
    OutcomeFactory(student=recorded, fiscal_year=this_year, stage="entry")
    other_stage = child(site, Grade.H3, this_year)  # a record of another stage does not count
    OutcomeFactory(student=other_stage, fiscal_year=this_year, stage="high_school", result="continuing")
    other_year = child(site, Grade.J3, this_year)
    OutcomeFactory(student=other_year, fiscal_year=this_year - 1, stage="entry")
    left = child(site, Grade.J3, this_year)
    OutcomeFactory(student=left, fiscal_year=this_year, stage="left_program", result="moved",
                   decided_on=fiscal_year_bounds(this_year)[0], school="")
    for grade in (Grade.J2, Grade.H1, Grade.H2):
        child(site, grade, this_year)
    assert listed(this_year, site) == {j3.pk: "entry", h3.pk: "next_step", other_stage.pk: "next_step",
                                       other_year.pk: "entry"}


def test_the_grade_is_the_one_on_april_1_and_the_override_comes_first(site, this_year):
    start, _end = fiscal_year_bounds(this_year)
    oldest, youngest = birth_date_range(Grade.J3, start)  # April 2 to April 1: 早生まれ belong to the earlier year

    def born(day, **extra):
        return StudentFactory(site=site, enrolled_on=start, birth_date=day, **extra)

    first, last = born(oldest), born(youngest)
    too_old, too_young = born(oldest - dt.timedelta(days=1)), born(youngest + dt.timedelta(days=1))
    held_back = born(oldest - dt.timedelta(days=200), grade_override=Grade.J3)
    not_in_school = born(youngest, grade_override=Grade.HS_AGE)
    assert listed(this_year, site) == {first.pk: "entry", last.pk: "entry", held_back.pk: "entry"}
    assert (too_old.grade_on(start), too_young.grade_on(start)) == (Grade.H1, Grade.J2)
    assert not_in_school.pk not in listed(this_year, site)


def test_who_took_part_that_year(site, this_year):
    start, end = fiscal_year_bounds(this_year)
    joined_late = child(site, Grade.J3, this_year, enrolled_on=end)
    not_yet = child(site, Grade.J3, this_year, enrolled_on=end + dt.timedelta(days=1))
    left_during = child(site, Grade.J3, this_year, status="left", left_on=start)
    left_before = child(site, Grade.J3, this_year, status="left", left_on=start - dt.timedelta(days=1))
    assert set(listed(this_year, site)) == {joined_late.pk, left_during.pk}
    assert {not_yet.pk, left_before.pk}.isdisjoint(listed(this_year, site))


@pytest.mark.parametrize(("today", "due"), [(dt.date(2027, 2, 28), False), (dt.date(2027, 3, 1), True),
                                            (dt.date(2028, 2, 29), True)])
def test_due_from_march_1(today, due):
    assert (today >= due_from(2026)) is due


def test_the_page_lists_and_links_for_staff(staff_client, site, this_year):
    j3 = child(site, Grade.J3, this_year, family_name="石井", school="深谷市立幡羅中学校")
    child(site, Grade.H3, this_year - 1, family_name="岡田")
    html = staff_client.get(URL).content.decode()
    assert "石井" in html and "深谷市立幡羅中学校" in html and "岡田" not in html
    assert f"/students/{j3.pk}/outcomes/new/?fiscal_year={this_year}&amp;stage=entry" in html
    last_year = staff_client.get(URL, {"fiscal_year": this_year - 1}).content.decode()
    assert "岡田" in last_year and f"?fiscal_year={this_year - 1}&amp;stage=next_step" in last_year
    assert 'class="row--due"' in last_year and "期限" in last_year  # last year's are overdue


def test_the_year_selector_answers_the_results_fragment(staff_client, site, this_year):
    child(site, Grade.J3, this_year - 1, family_name="石井")
    response = staff_client.get(URL, {"fiscal_year": this_year - 1}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="outcome-todo")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="outcome-todo"') and "石井" in html and "<html" not in html


@pytest.mark.parametrize("value", ["", "1900", "2026-04", "9" * 20, "\u0663", "-1", "あ" * 10_000])
def test_an_unknown_year_shows_this_one(staff_client, site, this_year, value):
    child(site, Grade.J3, this_year, family_name="石井")
    response = staff_client.get(URL, {"fiscal_year": value})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.context["fiscal_year"] == this_year and "石井" in response.content.decode()


def test_coordinators_read_the_list_without_links_to_record(coordinator_client, site, this_year):
    j3 = child(site, Grade.J3, this_year, family_name="石井")
    html = coordinator_client.get(URL).content.decode()
    assert "石井" in html and f"/students/{j3.pk}/outcomes/new/" not in html


def test_volunteers_and_others_get_404(volunteer_client):
    assert volunteer_client.get(URL).status_code == 404


def test_another_sites_children_are_not_listed(staff_client, other_site, this_year):
    child(other_site, Grade.J3, this_year, family_name="余所村")
    assert "余所村" not in staff_client.get(URL).content.decode()


def test_the_list_costs_the_same_queries_with_5_and_50_children(staff_client, site, this_year, count_queries):
    def measure():
        staff_client.get(URL)
        with count_queries() as q:
            response = staff_client.get(URL)
        assert response.status_code == 200
        return q.count, len(response.context["page"].object_list)

    for n in range(5):
        child(site, Grade.J3 if n % 2 else Grade.H3, this_year)
    small, shown = measure()
    assert shown == 5
    for n in range(45):
        child(site, Grade.J3 if n % 2 else Grade.H3, this_year)
    large, shown = measure()
    assert shown == 50
    assert small == large
