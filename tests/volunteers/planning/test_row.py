"""Changing one pair with the select: the row again, with the reasons or a warning. No write."""

import re

from django.urls import reverse

from classroom.grades import Grade
from classroom.models import TutoringRecord
from tests.neighbours import ours
from volunteers.models import PairingPreference


def row(client, day, student, choices):
    data = {f"pair-{pk}": str(v) if v else "" for pk, v in choices.items()}
    response = client.get(reverse("volunteers:pairing_plan_row", args=[day.pk, student.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def error(html):
    return re.findall(r'<p class="plan-row__error" role="alert">([^<]*)</p>', html)


def test_the_row_shows_the_reasons_for_the_new_pair(coordinator_client, day, make_children, make_volunteer):
    first = make_volunteer()
    second = make_volunteer(teaching=[("maths", "junior_high"), ("english", "junior_high")])
    child = make_children(1, focus_subjects="english,maths")[0]
    html = row(coordinator_client, day, child, {child.pk: first.pk})
    assert html.lstrip().startswith(f'<li id="plan-row-{child.pk}"')
    assert "<html" not in html
    assert '<p class="plan-row__reasons">Maths at junior high level fits</p>' in html
    assert f'<option value="{first.pk}" selected>' in html
    html = row(coordinator_client, day, child, {child.pk: second.pk})
    assert '<p class="plan-row__reasons">English、Maths at junior high level fits</p>' in html
    assert f'<option value="{second.pk}" selected>' in html
    assert "plan-row__error" not in html
    assert not ours(TutoringRecord).exists()


def test_over_the_maximum_is_warned(coordinator_client, day, make_children, make_volunteer):
    tutor = make_volunteer(max_children=1, user__last_name="青木", user__first_name="一郎")
    a, b = make_children(2)
    html = row(coordinator_client, day, b, {a.pk: tutor.pk, b.pk: tutor.pk})
    assert error(html) == ["青木 一郎 would have 2 children: they take at most 1."]


def test_pairs_the_rules_never_propose_are_warned(coordinator_client, day, make_children, make_volunteer):
    junior_only = make_volunteer(max_children=3)
    senior = make_children(1, school_grade=Grade.H1)[0]
    html = row(coordinator_client, day, senior, {senior.pk: junior_only.pk})
    assert error(html) == ["This volunteer does not teach Maths at high school level."]
    child = make_children(1)[0]
    PairingPreference.objects.create(student=child, volunteer=junior_only, kind=PairingPreference.Kind.AVOID)
    html = row(coordinator_client, day, child, {child.pk: junior_only.pk})
    assert error(html) == ["Staff marked this pair not to be matched."]


def test_no_tutor_shows_the_unpaired_reason(coordinator_client, day, make_children, make_volunteer):
    make_volunteer()
    child = make_children(1)[0]
    html = row(coordinator_client, day, child, {child.pk: None})
    assert '<option value="" selected>' not in html and " selected>" not in html
    assert '<p class="plan-row__unpaired">No tutor chosen.</p>' in html


def test_without_htmx_it_goes_back_to_the_plan(coordinator_client, day, make_children):
    child = make_children(1)[0]
    response = coordinator_client.get(reverse("volunteers:pairing_plan_row", args=[day.pk, child.pk]))
    assert response.status_code == 302 and response.url == reverse("volunteers:pairing_plan", args=[day.pk])


def test_a_child_not_expected_or_another_sites_day_is_404(coordinator_client, day, other_day, make_children):
    child = make_children(1, usual_weekdays=str((day.date.weekday() + 1) % 7))[0]
    url = reverse("volunteers:pairing_plan_row", args=[day.pk, child.pk])
    assert coordinator_client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    url = reverse("volunteers:pairing_plan_row", args=[other_day.pk, child.pk])
    assert coordinator_client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_volunteers_get_404(volunteer_client, day, make_children):
    child = make_children(1)[0]
    url = reverse("volunteers:pairing_plan_row", args=[day.pk, child.pk])
    assert volunteer_client.get(url, HTTP_HX_REQUEST="true").status_code == 404


def test_query_budget_is_the_same_at_5_and_50(coordinator_client, day, count_queries, make_children, make_volunteer):
    children, volunteers = [], []

    def grow(n):
        children.extend(make_children(n))
        volunteers.extend(make_volunteer(max_children=2) for _ in range(n))

    def measure():
        data = {f"pair-{c.pk}": str(v.pk) for c, v in zip(children, volunteers, strict=True)}
        url = reverse("volunteers:pairing_plan_row", args=[day.pk, children[0].pk])
        with count_queries() as q:
            assert coordinator_client.get(url, data, HTTP_HX_REQUEST="true").status_code == 200
        return q.count

    grow(5)
    measure()  # warm-up: the first request saves the session
    small = measure()
    grow(45)
    assert measure() == small
