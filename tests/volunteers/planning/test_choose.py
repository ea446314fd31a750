"""Choosing a row's tutor: the page renders each row's choice, not a select of every volunteer;
the select comes on demand (htmx), or on its own page without JavaScript, which saves that one pair."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory
from classroom.models import TutoringRecord
from tests.neighbours import ours
from volunteers.factories import VolunteerFactory
from volunteers.models import PairingPreference


def plan_url(day):
    return reverse("volunteers:pairing_plan", args=[day.pk])


def choose_url(day, child):
    return reverse("volunteers:pairing_plan_choose", args=[day.pk, child.pk])


def planned(day):
    return dict(ours(TutoringRecord).filter(class_day=day, tutor__isnull=False).values_list("student_id", "tutor_id"))


def options(html):
    return [int(v) for v in re.findall(r'<option value="(\d+)"', html)]


def test_rows_carry_the_choice_and_a_change_link_not_a_select(coordinator_client, day, make_children, make_volunteer):
    children = make_children(3)
    volunteers = [make_volunteer(user__last_name="青木", user__first_name=f"{n}郎") for n in range(4)]
    html = coordinator_client.get(plan_url(day)).content.decode()
    body = html.split('id="plan-form"')[1].split("</form>")[0]
    assert "<select" not in body and "<option" not in body
    chosen = {}
    for child in children:
        value = re.search(rf'<input type="hidden" name="pair-{child.pk}" value="(\d*)">', body).group(1)
        chosen[child.pk] = int(value)
        assert f'href="{choose_url(day, child)}"' in body  # works without JavaScript
        assert f'hx-get="{reverse("volunteers:pairing_plan_row", args=[day.pk, child.pk])}"' in body
    assert set(chosen.values()) <= {v.pk for v in volunteers} and len(set(chosen.values())) == 3
    names = re.findall(r'<span class="plan-row__tutor"><span class="person-name"[^>]*>([^<]*)<', body)
    assert sorted(names) == sorted(f"青木 {n}郎" for n in range(4) if volunteers[n].pk in chosen.values())


def test_a_rows_markup_does_not_grow_with_the_number_of_volunteers(coordinator_client, day, make_children,
                                                                    make_volunteer):
    make_children(4)
    make_volunteer(max_children=4)

    def longest_row():
        html = coordinator_client.get(plan_url(day)).content.decode()
        rows = re.findall(r'<li id="plan-row-\d+".*?</li>', html, flags=re.S)
        assert len(rows) == 4
        return max(len(r) for r in rows)

    few = longest_row()
    for _ in range(20):
        make_volunteer(teaching=[("english", "high_school")])  # confirmed, never a fit
    assert longest_row() <= few + 100  # a select per row would add 20 options to each


def test_opening_a_row_fetches_the_select_of_the_confirmed_volunteers(coordinator_client, day, other_site,
                                                                       make_children, make_volunteer):
    child = make_children(1)[0]
    tutor, spare = make_volunteer(), make_volunteer()
    unconfirmed = make_volunteer(confirmed=False)
    elsewhere = VolunteerFactory(sites=[other_site])
    url = reverse("volunteers:pairing_plan_row", args=[day.pk, child.pk])
    html = coordinator_client.get(url, {f"pair-{child.pk}": str(tutor.pk)}, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith(f'<li id="plan-row-{child.pk}"')
    assert f'<select id="id_pair-{child.pk}" name="pair-{child.pk}"' in html
    assert sorted(options(html)) == sorted([tutor.pk, spare.pk])
    assert unconfirmed.pk not in options(html) and elsewhere.pk not in options(html)
    assert f'<option value="{tutor.pk}" selected>' in html


def test_without_javascript_the_change_link_opens_the_choice(coordinator_client, day, make_children, make_volunteer):
    child = make_children(1, focus_subjects="maths")[0]
    tutor = make_volunteer(user__last_name="青木", user__first_name="一郎")
    spare = make_volunteer()
    make_volunteer(confirmed=False)
    response = coordinator_client.get(choose_url(day, child))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and child.full_name in html
    proposed = response.context["row"].choice
    assert proposed in (tutor.pk, spare.pk)
    assert f'<option value="{proposed}" selected>' in html
    assert sorted(options(html)) == sorted([tutor.pk, spare.pk])
    assert f'action="{plan_url(day)}"' in html and "Save this pair" in html
    assert "Maths at junior high level fits" in html  # the reasons of the pair shown
    # A choice carried in the link is the one shown, with its own reasons.
    html = coordinator_client.get(choose_url(day, child), {f"pair-{child.pk}": str(tutor.pk)}).content.decode()
    assert f'<option value="{tutor.pk}" selected>' in html and "青木 一郎" in html


def test_saving_from_the_choice_page_saves_that_pair_only(coordinator_client, day, make_children, make_volunteer):
    child, sibling = make_children(2)
    tutor, spare = make_volunteer(), make_volunteer()
    TutoringRecordFactory(class_day=day, student=sibling, tutor=tutor.user)
    response = coordinator_client.post(plan_url(day), {f"pair-{child.pk}": str(spare.pk)})
    assert response.status_code == 302 and response.url == plan_url(day)
    assert planned(day) == {child.pk: spare.user_id, sibling.pk: tutor.user_id}


def test_another_sites_volunteer_posted_changes_nothing_and_says_why(coordinator_client, day, other_site,
                                                                      make_children, make_volunteer):
    child = make_children(1)[0]
    tutor = make_volunteer()
    TutoringRecordFactory(class_day=day, student=child, tutor=tutor.user)
    elsewhere = VolunteerFactory(sites=[other_site])
    response = coordinator_client.post(plan_url(day), {f"pair-{child.pk}": str(elsewhere.pk)})
    assert response.status_code == 200
    assert "Choose a volunteer confirmed for this class day." in response.content.decode()
    assert planned(day) == {child.pk: tutor.user_id}


def test_a_pair_the_rules_refuse_is_shown_with_why(coordinator_client, day, make_children, make_volunteer):
    child = make_children(1)[0]
    tutor = make_volunteer()
    PairingPreference.objects.create(student=child, volunteer=tutor, kind=PairingPreference.Kind.AVOID)
    html = coordinator_client.get(choose_url(day, child), {f"pair-{child.pk}": str(tutor.pk)}).content.decode()
    assert "Staff marked this pair not to be matched." in html


@pytest.mark.parametrize("status", ["cancelled", "held"])
def test_a_day_that_cannot_change_has_no_form(coordinator_client, site, make_children, status):
    delta = dt.timedelta(days=1 if status == "cancelled" else -7)
    past = ClassDayFactory(site=site, status=status, date=timezone.localdate() + delta)
    child = make_children(1, usual_weekdays=str(past.date.weekday()))[0]
    html = coordinator_client.get(choose_url(past, child)).content.decode()
    card = html.split('class="card plan-choose"')[1].split("</section>")[0]
    assert "<form" not in card and "<select" not in card
    assert "plan cannot be changed" in card or "plan can no longer be changed" in card


def test_who_may_open_it(coordinator_client, volunteer_client, day, other_day, make_children):
    child = make_children(1)[0]
    stranger = make_children(1, usual_weekdays=str((day.date.weekday() + 1) % 7))[0]
    assert coordinator_client.get(choose_url(day, stranger)).status_code == 404  # not expected that day
    assert coordinator_client.get(choose_url(other_day, child)).status_code == 404  # another site's day
    assert volunteer_client.get(choose_url(day, child)).status_code == 404
    response = Client().get(choose_url(day, child))  # signed out
    assert response.status_code == 302 and "login" in response.url


def test_query_budget_is_the_same_at_5_and_50(coordinator_client, day, count_queries, make_children, make_volunteer):
    children = []

    def grow(n):
        children.extend(make_children(n))
        for _ in range(n):
            make_volunteer(max_children=2)

    def measure():
        with count_queries() as q:
            assert coordinator_client.get(choose_url(day, children[0])).status_code == 200
        return q.count

    grow(5)
    measure()  # warm-up: the first request saves the session
    small = measure()
    grow(45)
    assert measure() == small
