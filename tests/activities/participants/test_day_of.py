"""Day-of attendance: the classroom roster's one-tap rows (shared templates and script), for those going."""

import pytest

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Answer, Participant, ParticipantRole
from classroom.models import AttendanceStatus

from .conftest import HX


def url(activity):
    return f"/activities/{activity.pk}/day-of/"


def tap_url(activity, participant):
    return f"/activities/{activity.pk}/day-of/{participant.pk}/"


def test_page_lists_only_those_going_with_roles(staff_client, today_activity, add_people):
    going = add_people(today_activity, 3)
    add_people(today_activity, 1, role=ParticipantRole.GUARDIAN)
    add_people(today_activity, 2, answer=Answer.WAITLISTED)
    response = staff_client.get(url(today_activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-tap-row tabindex") == 4
    assert "js/roster.js" in html and "css/roster.css" in html
    assert f'id="roster-row-{going[0].pk}"' in html
    counts = {c["key"]: c["value"] for c in response.context["counts"]}
    assert counts["unmarked"] == 4


def test_fragment(coordinator_client, today_activity, add_people):
    add_people(today_activity, 2)
    html = coordinator_client.get(url(today_activity), **HX).content.decode()
    assert html.lstrip().startswith('<div id="day-of-body"') and "<html" not in html


def test_tap_is_idempotent_and_answers_row_and_counts(staff_client, today_activity, add_people):
    person, other = add_people(today_activity, 2)
    response = staff_client.post(tap_url(today_activity, person), {"status": "present"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="roster-row-{person.pk}"')
    assert 'id="day-of-counts" class="tap-counts" hx-swap-oob="true"' in html
    assert 'name="undo_status" value=""' in html
    counts = {c["key"]: c["value"] for c in response.context["counts"]}
    assert (counts["present"], counts["unmarked"]) == (1, 1)
    again = staff_client.post(tap_url(today_activity, person), {"status": "present", "undo_status": ""}, **HX)
    assert again.status_code == 200
    assert 'name="undo_status" value=""' in again.content.decode()  # a retry keeps the way back
    person.refresh_from_db()
    assert person.attendance == AttendanceStatus.PRESENT
    # The undo clears it.
    staff_client.post(tap_url(today_activity, person), {"status": ""}, **HX)
    person.refresh_from_db()
    assert person.attendance == ""


def test_bad_status_and_not_going_change_nothing(staff_client, today_activity, add_people):
    person = add_people(today_activity, 1)[0]
    waiting = add_people(today_activity, 1, answer=Answer.WAITLISTED)[0]
    response = staff_client.post(tap_url(today_activity, person), {"status": "dancing"}, **HX)
    assert response.status_code == 200 and "tap-row__error" in response.content.decode()
    response = staff_client.post(tap_url(today_activity, waiting), {"status": "present"}, **HX)
    assert response.status_code == 200 and "tap-row__error" in response.content.decode()
    assert set(Participant.objects.values_list("attendance", flat=True)) == {""}


def test_future_activity_refuses(staff_client, activity, add_people):
    person = add_people(activity, 1)[0]
    response = staff_client.post(tap_url(activity, person), {"status": "present"}, **HX)
    assert "tap-row__error" in response.content.decode()
    person.refresh_from_db()
    assert person.attendance == ""


def test_no_js_bulk_form(staff_client, today_activity, add_people):
    a, b = add_people(today_activity, 2)
    response = staff_client.post(url(today_activity), {f"status-{a.pk}": "present", f"status-{b.pk}": "absent"})
    assert response.status_code == 302
    assert dict(Participant.objects.values_list("pk", "attendance")) == {a.pk: "present", b.pk: "absent"}
    # A tap without JavaScript redirects back to the row.
    response = staff_client.post(tap_url(today_activity, a), {"status": "late"})
    assert response.status_code == 302 and response["Location"].endswith(f"#roster-row-{a.pk}")


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_forbidden(request, client, today_activity, add_people, persona):
    person = add_people(today_activity, 1)[0]
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(today_activity)).status_code == 404
    assert client.post(tap_url(today_activity, person), {"status": "present"}, **HX).status_code == 404
    person.refresh_from_db()
    assert person.attendance == ""


def test_query_budget_is_the_same_at_5_and_50(staff_client, site, staff, count_queries, add_people):
    from django.utils import timezone

    counts = []
    for n in (5, 50):
        activity = ActivityFactory(site=site, lead=staff, capacity=60, date=timezone.localdate())
        add_people(activity, n - 2)
        ParticipantFactory(activity=activity, role=ParticipantRole.GUARDIAN, student=None, name="保護者")
        ParticipantFactory(activity=activity, role=ParticipantRole.OTHER, student=None, name="その他")
        staff_client.get(url(activity))
        with count_queries() as q:
            assert staff_client.get(url(activity)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts
