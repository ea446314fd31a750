"""The planning screen of one class day: sign-ups, the children expected, and the proposal."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from classroom.factories import AttendanceFactory, ClassDayFactory, TutoringRecordFactory
from classroom.grades import Grade
from classroom.models import AttendanceStatus
from lib import localtime
from volunteers.models import AvailabilityException, PairingPreference, SignUpAnswer


def url(day):
    return reverse("volunteers:pairing_plan", args=[day.pk])


def page(client, day, **params):
    response = client.get(url(day), params)
    assert response.status_code == 200
    return response


def test_sign_ups_are_grouped_with_their_reasons(coordinator_client, day, make_volunteer, make_children):
    make_children(1)
    confirmed = make_volunteer(user__last_name="青木", user__first_name="一郎", max_children=2)
    waiting = make_volunteer(confirmed=False, user__last_name="井上", user__first_name="二郎")
    no_pledge = make_volunteer(confirmed=False, pledge_signed_on=None, user__last_name="上田", user__first_name="三郎")
    expired = make_volunteer(confirmed=False, insurance_expires_on=timezone.localdate() + dt.timedelta(days=3),
                             user__last_name="江藤", user__first_name="四郎")
    make_volunteer(answer=SignUpAnswer.CANNOT_COME, user__last_name="大野", user__first_name="五郎")
    away = make_volunteer(answer=None, user__last_name="加藤", user__first_name="六郎", usual_weekdays=str(day.date.weekday()))
    AvailabilityException.objects.create(volunteer=away, date=day.date, available=False, note="出張のため")

    response = page(coordinator_client, day)
    context = response.context
    can = {e["name"]: e for e in context["can_come"]}
    assert set(can) == {"青木 一郎", "井上 二郎", "上田 三郎", "江藤 四郎"}
    assert can["青木 一郎"]["sign_up"].is_confirmed and not can["井上 二郎"]["sign_up"].is_confirmed
    assert can["上田 三郎"]["ineligible"] == "No signed confidentiality pledge."
    assert can["江藤 四郎"]["ineligible"].startswith("Volunteer insurance expired on")
    assert [e["name"] for e in context["cannot_come"]] == ["大野 五郎"]
    assert [(e["name"], e["available"], e["note"]) for e in context["not_answered"]] == [("加藤 六郎", False, "出張のため")]
    assert context["confirmed_count"] == 1
    html = response.content.decode()
    sign_up = waiting.sign_ups.get()
    assert reverse("volunteers:pairing_sign_up_confirm", args=[day.pk, sign_up.pk]) in html
    assert reverse("volunteers:pairing_sign_up_unconfirm", args=[day.pk, confirmed.sign_ups.get().pk]) in html
    for ineligible in (no_pledge, expired):
        assert reverse("volunteers:pairing_sign_up_confirm", args=[day.pk, ineligible.sign_ups.get().pk]) not in html
    assert "Never proposed" in html


def test_children_expected_and_the_proposal_with_reasons(coordinator_client, day, make_children, make_volunteer):
    usual = make_volunteer(user__last_name="青木", user__first_name="一郎")
    other = make_volunteer(user__last_name="井上", user__first_name="二郎", teaching=[("maths", "junior_high"),
                                                                                       ("english", "junior_high")])
    child = make_children(1, family=("山田", "ヤマダ"), given=("花子", "ハナコ"), focus_subjects="maths,english")[0]
    absent = make_children(1)[0]
    AttendanceFactory(class_day=day, student=absent, status=AttendanceStatus.ABSENT_NOTICE)
    senior = make_children(1, school_grade=Grade.H2, family=("森", "モリ"), given=("蓮", "レン"))[0]
    for weeks in (1, 2, 3):
        past = ClassDayFactory(site=day.site, date=day.date - dt.timedelta(weeks=weeks))
        TutoringRecordFactory(class_day=past, student=child, tutor=usual.user, subjects="maths")

    response = page(coordinator_client, day)
    rows = {r.student.pk: r for r in response.context["rows_paired"] + response.context["rows_unpaired"]}
    assert set(rows) == {child.pk, senior.pk}  # the child absent with notice is not expected
    assert rows[child.pk].choice == usual.pk
    assert rows[child.pk].grade == "Junior high 2" and rows[child.pk].subjects == "Maths、English"
    assert "same tutor as 3 of the last 3 sessions" in rows[child.pk].reasons
    assert rows[senior.pk].choice is None
    assert rows[senior.pk].unpaired_reason == "No confirmed volunteer teaches Maths at high school level."
    html = response.content.decode()
    assert f'id="plan-row-{child.pk}"' in html and 'id="plan-rows-unpaired"' in html
    assert f'<input type="hidden" name="pair-{senior.pk}" value="">' in html  # the row's choice, posted on save
    # The volunteers' select is fetched for the row a person opens, not rendered in every row.
    change = reverse("volunteers:pairing_plan_row", args=[day.pk, senior.pk])
    assert f'hx-get="{change}"' in html and f'<option value="{other.pk}">' not in html
    assert 'id="plan-form" method="post"' in html and "Accept all and save" in html
    # In Japanese: "Change" the tutor (変更), not the +1/-1 "Change" of a count (増減).
    coordinator_client.cookies["django_language"] = "ja"
    html = coordinator_client.get(url(day), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert ">変更<span" in html and "増減" not in html


def test_ineligible_and_unconfirmed_volunteers_are_never_proposed(coordinator_client, day, make_children, make_volunteer):
    children = make_children(4)
    no_pledge = make_volunteer(pledge_signed_on=None, max_children=3)
    expired = make_volunteer(insurance_expires_on=day.date - dt.timedelta(days=1), max_children=3)
    inactive = make_volunteer(is_active=False, max_children=3)
    unconfirmed = make_volunteer(confirmed=False, max_children=3)
    ok = make_volunteer(max_children=1)
    for child in children:  # even the child's preferred tutor, with every past session
        PairingPreference.objects.create(student=child, volunteer=no_pledge, kind=PairingPreference.Kind.PREFERRED)
    response = page(coordinator_client, day)
    options = {o["id"] for o in response.context["options"]}
    assert options == {ok.pk}
    chosen = {r.choice for r in response.context["rows_paired"]}
    assert chosen == {ok.pk}
    html = response.content.decode()
    for never in (no_pledge, expired, inactive, unconfirmed):
        assert f'<option value="{never.pk}"' not in html
    assert len(response.context["rows_unpaired"]) == 3


def test_fragment(coordinator_client, day, make_children, make_volunteer):
    make_children(2)
    make_volunteer()
    response = coordinator_client.get(url(day), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-body"')
    assert "<html" not in html


def test_cancelled_and_past_days_are_read_only(coordinator_client, site, make_children):
    for kwargs in ({"status": "cancelled", "date": timezone.localdate() + dt.timedelta(days=1)},
                   {"status": "held", "date": timezone.localdate() - dt.timedelta(days=7)}):
        cd = ClassDayFactory(site=site, **kwargs)
        make_children(1, usual_weekdays=str(cd.date.weekday()))
        html = page(coordinator_client, cd).content.decode()
        assert "<select" not in html.split('id="plan-body"')[1].split("site-footer")[0]
        assert "Accept all and save" not in html


def test_another_sites_class_day_is_404(coordinator_client, other_day):
    assert coordinator_client.get(url(other_day)).status_code == 404
    assert coordinator_client.get(url(other_day), HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_get_404(request, persona, day, volunteer):
    client = request.getfixturevalue(persona)
    assert client.get(url(day)).status_code == 404
    assert client.post(url(day), {}).status_code == 404


def test_staff_may_plan(staff_client, day):
    assert staff_client.get(url(day)).status_code == 200


def test_query_budget_is_the_same_at_5_and_50(coordinator_client, day, count_queries, make_children, make_volunteer):
    coordinator_client.get(url(day))  # warm-up: the first request saves the session

    def grow(n):
        children = make_children(n)
        for i in range(n):
            volunteer = make_volunteer(max_children=2, confirmed=i % 3 != 0,
                                       answer=SignUpAnswer.CANNOT_COME if i % 5 == 4 else SignUpAnswer.CAN_COME)
            make_volunteer(answer=None)
            past = ClassDayFactory(site=day.site, date=day.date - dt.timedelta(weeks=i + 1))
            TutoringRecordFactory(class_day=past, student=children[i], tutor=volunteer.user, subjects="maths")
            PairingPreference.objects.create(student=children[i], volunteer=volunteer,
                                             kind=PairingPreference.Kind.PREFERRED)
        TutoringRecordFactory(class_day=day, student=children[0], tutor=volunteer.user)

    def measure(**params):
        with count_queries() as q:
            assert coordinator_client.get(url(day), params).status_code == 200
        return q.count

    grow(5)
    small = measure(), measure(replan="all")
    grow(45)
    assert (measure(), measure(replan="all")) == small


def test_a_child_marked_present_today_and_absent_with_notice_another_day_is_expected(
        coordinator_client, day, make_children, make_volunteer):
    child = make_children(1)[0]
    AttendanceFactory(class_day=day, student=child, status=AttendanceStatus.PRESENT)
    earlier = ClassDayFactory(site=day.site, date=day.date - dt.timedelta(weeks=1))
    AttendanceFactory(class_day=earlier, student=child, status=AttendanceStatus.ABSENT_NOTICE)
    response = page(coordinator_client, day)
    assert response.context["expected_count"] == 1


def test_the_insurance_reason_reads_its_date_in_japanese(coordinator_client, day, make_volunteer, make_children):
    """The reason a tutor is not proposed shows the date as every other date on the screen, not 2026-11-29."""
    make_children(1)
    expires = timezone.localdate() + dt.timedelta(days=3)
    make_volunteer(confirmed=False, insurance_expires_on=expires, user__last_name="江藤", user__first_name="四郎")
    response = coordinator_client.get(url(day), HTTP_ACCEPT_LANGUAGE="ja")
    html = response.content.decode()
    with translation.override("ja"):
        shown = f"ボランティア保険の期限が{localtime.long_date(expires)}に切れています。"
    assert shown in html and "年" in shown
    assert expires.isoformat() not in html
