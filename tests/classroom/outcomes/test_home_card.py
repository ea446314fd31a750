"""The staff home's card of outcomes still to record: the count and the first names of the fiscal year at the
user's sites, due from March 1, last year's left overdue; a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse

from classroom.factories import OutcomeFactory, StudentFactory, birth_date_for
from classroom.grades import Grade, fiscal_year_bounds
from classroom.views.home import _outcomes_card

pytestmark = pytest.mark.django_db
HOME = reverse("classroom:home_staff")


def child(site, grade, year, kana, **extra):
    start, _end = fiscal_year_bounds(year)
    return StudentFactory(site=site, birth_date=birth_date_for(grade, start), enrolled_on=start - dt.timedelta(days=30),
                          family_name_kana=kana, given_name_kana="ア", **extra)


def test_the_count_and_the_first_names_in_the_lists_order(staff, site, other_site):
    year = 2025
    names = [child(site, Grade.J3, year, kana) for kana in ("エ", "ア", "ウ", "イ")]
    h3 = child(site, Grade.H3, year, "ア")
    OutcomeFactory(student=child(site, Grade.J3, year, "オ"), fiscal_year=year, stage="entry")  # recorded
    child(site, Grade.J2, year, "カ")
    child(other_site, Grade.J3, year, "ア")  # another site's
    card = _outcomes_card(staff, dt.date(2025, 11, 30))
    assert card["count"] == 5
    assert card["first"] == [names[1], names[3], names[2]]  # entries first (the list's order), by kana
    assert h3 not in card["first"]
    assert (card["due"], card["overdue"]) == (False, 0)


@pytest.mark.parametrize(("today", "due"), [(dt.date(2026, 2, 28), False), (dt.date(2026, 3, 1), True),
                                            (dt.date(2026, 3, 31), True)])
def test_due_from_march_1(staff, site, today, due):
    child(site, Grade.J3, 2025, "ア")
    card = _outcomes_card(staff, today)
    assert (card["fiscal_year"], card["count"], card["due"]) == (2025, 1, due)


def test_last_years_unrecorded_outcomes_are_overdue_in_april(staff, site):
    child(site, Grade.J3, 2025, "ア")
    child(site, Grade.H3, 2025, "イ")
    card = _outcomes_card(staff, dt.date(2026, 4, 1))
    assert (card["fiscal_year"], card["overdue"], card["previous_year"]) == (2026, 2, 2025)


def test_the_staff_home_lists_them_and_links_to_the_list(staff_client, site, other_site, this_year):
    shown = child(site, Grade.J3, this_year, "ア", family_name="木村", given_name="結衣")
    child(other_site, Grade.J3, this_year, "ア", family_name="別所", given_name="花子")
    html = staff_client.get(HOME).content.decode()
    assert "未記録の進路" in html
    assert "木村 結衣" in html and reverse("classroom:student_detail", args=[shown.pk]) + "#outcomes" in html
    assert "別所" not in html
    assert f'href="{reverse("classroom:outcome_todo")}"' in html


def test_an_empty_card_says_so(staff_client):
    assert "今年度の進路はすべて記録済みです。" in staff_client.get(HOME).content.decode()


def test_the_card_costs_three_queries_whatever_the_number_of_children(staff, site, count_queries):
    for _n in range(5):
        child(site, Grade.J3, 2025, "ア")
        child(site, Grade.H3, 2024, "イ")
    _outcomes_card(staff, dt.date(2025, 11, 30))  # warm-up: the user's roles are read once
    with count_queries() as small:
        _outcomes_card(staff, dt.date(2025, 11, 30))
    for _n in range(45):
        child(site, Grade.J3, 2025, "ア")
        child(site, Grade.H3, 2024, "イ")
    with count_queries() as large:
        card = _outcomes_card(staff, dt.date(2025, 11, 30))
    assert (card["count"], card["overdue"]) == (50, 50)
    assert small.count == large.count == 3, large.sql
