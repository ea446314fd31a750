"""Accept all and save: the pairs become the planned tutoring records; refused saves change nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory
from classroom.grades import Grade
from classroom.models import TutoringRecord
from tests.neighbours import ours
from volunteers.models import PairingPreference


def url(day, **params):
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    return reverse("volunteers:pairing_plan", args=[day.pk]) + query


def choices_of(response) -> dict[str, str]:
    """What the page's selects post as they stand (the proposal)."""
    data = {}
    for row in response.context["rows_paired"] + response.context["rows_unpaired"]:
        if not row.is_written:
            data[row.field_name] = str(row.choice or "")
    return data


def planned(day) -> dict[int, int]:
    return dict(ours(TutoringRecord).filter(class_day=day, tutor__isnull=False).values_list("student_id", "tutor_id"))


def test_accept_all_and_save(coordinator_client, day, make_children, make_volunteer):
    a, b, c = make_children(3)
    first, second = make_volunteer(), make_volunteer()
    page = coordinator_client.get(url(day))
    data = choices_of(page)
    response = coordinator_client.post(url(day), data, follow=True)
    assert response.redirect_chain[-1][0] == url(day)
    assert "Plan saved: 2 children paired." in response.content.decode()
    saved = planned(day)
    assert len(saved) == 2 and set(saved.values()) == {first.user_id, second.user_id}
    assert not ours(TutoringRecord).filter(class_day=day, written_at__isnull=False).exists()
    # Saved pairs show as saved; saving again changes nothing.
    page = coordinator_client.get(url(day))
    assert sum(r.is_saved for r in page.context["rows_paired"]) == 2
    coordinator_client.post(url(day), choices_of(page))
    assert planned(day) == saved


def test_a_pair_changed_by_hand_and_no_tutor(coordinator_client, day, make_children, make_volunteer):
    a, b = make_children(2)
    first, second = make_volunteer(), make_volunteer()
    TutoringRecordFactory(class_day=day, student=a, tutor=first.user)
    coordinator_client.post(url(day), {f"pair-{a.pk}": str(second.pk), f"pair-{b.pk}": ""})
    assert planned(day) == {a.pk: second.user_id}
    coordinator_client.post(url(day), {f"pair-{a.pk}": "", f"pair-{b.pk}": str(first.pk)})
    assert planned(day) == {b.pk: first.user_id}  # a child left "no tutor" stays unpaired


def test_re_planning_keeps_saved_pairs_unless_re_plan_all(coordinator_client, day, make_children, make_volunteer):
    child = make_children(1)[0]
    usual, saved = make_volunteer(), make_volunteer()
    for weeks in (1, 2, 3):
        past = ClassDayFactory(site=day.site, date=day.date - dt.timedelta(weeks=weeks))
        TutoringRecordFactory(class_day=past, student=child, tutor=usual.user)
    TutoringRecordFactory(class_day=day, student=child, tutor=saved.user)
    kept = coordinator_client.get(url(day)).context["rows_paired"][0]
    assert kept.choice == saved.pk and kept.is_saved
    fresh = coordinator_client.get(url(day, replan="all"))
    row = fresh.context["rows_paired"][0]
    assert row.choice == usual.pk and "same tutor as 3 of the last 3 sessions" in row.reasons
    assert 'name="replan" value="all"' in fresh.content.decode()
    assert planned(day) == {child.pk: saved.user_id}  # proposing changes nothing
    coordinator_client.post(url(day), {**choices_of(fresh), "replan": "all"})
    assert planned(day) == {child.pk: usual.user_id}


def test_written_records_are_never_changed(coordinator_client, day, make_children, make_volunteer):
    child, other = make_children(2)
    writer, tutor = make_volunteer(), make_volunteer()
    written = TutoringRecordFactory(class_day=day, student=child, tutor=writer.user, written_at=timezone.now(),
                                    studied="一次関数")
    response = coordinator_client.get(url(day, replan="all"))
    rows = {r.student.pk: r for r in response.context["rows_paired"]}
    assert rows[child.pk].is_written and f'name="pair-{child.pk}"' not in response.content.decode()
    coordinator_client.post(url(day), {f"pair-{child.pk}": str(tutor.pk), f"pair-{other.pk}": str(tutor.pk),
                                       "replan": "all"})
    written.refresh_from_db()
    assert written.tutor_id == writer.user_id and written.studied == "一次関数"
    assert planned(day) == {child.pk: writer.user_id, other.pk: tutor.user_id}


@pytest.mark.parametrize("case", ["level", "avoid", "capacity", "unknown", "ineligible", "not_expected"])
def test_refused_saves_leave_nothing_changed(case, coordinator_client, day, make_children, make_volunteer):
    junior, senior = make_children(1)[0], make_children(1, school_grade=Grade.H2)[0]
    tutor = make_volunteer(max_children=1)
    other = make_volunteer()
    TutoringRecordFactory(class_day=day, student=junior, tutor=other.user)
    before = planned(day)
    data = {f"pair-{junior.pk}": str(tutor.pk), f"pair-{senior.pk}": ""}
    if case == "level":
        data[f"pair-{senior.pk}"] = str(other.pk)
        message = "This volunteer does not teach Maths at high school level."
    elif case == "avoid":
        PairingPreference.objects.create(student=junior, volunteer=tutor, kind=PairingPreference.Kind.AVOID)
        message = "Staff marked this pair not to be matched."
    elif case == "capacity":
        data[f"pair-{senior.pk}"] = str(tutor.pk)
        tutor.teaching.create(subject="maths", level="high_school")
        message = "would have 2 children: they take at most 1."
    elif case == "unknown":
        data[f"pair-{junior.pk}"] = "999999"
        message = "Choose a volunteer confirmed for this class day."
    elif case == "ineligible":
        lapsed = make_volunteer(insurance_expires_on=day.date - dt.timedelta(days=1))
        data[f"pair-{junior.pk}"] = str(lapsed.pk)
        message = "Choose a volunteer confirmed for this class day."
    else:
        stranger = make_children(1, usual_weekdays=str((day.date.weekday() + 1) % 7))[0]
        data = {f"pair-{stranger.pk}": str(tutor.pk)}
        message = None
    response = coordinator_client.post(url(day), data)
    assert planned(day) == before
    if message:
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert "Nothing was saved" in html or case in ("unknown", "ineligible")
    else:
        assert response.status_code == 302  # a field for a child not in the plan is ignored
        assert planned(day) == before


def test_cancelled_day_refuses_saving(coordinator_client, site, make_volunteer):
    cd = ClassDayFactory(site=site, date=timezone.localdate() + dt.timedelta(days=1), status="cancelled")
    response = coordinator_client.post(url(cd), {})
    assert response.status_code == 200
    assert "This class day was cancelled: its plan cannot be changed." in response.content.decode()


def test_another_sites_day_cannot_be_saved(coordinator_client, other_day, other_site):
    assert coordinator_client.post(url(other_day), {}).status_code == 404
    assert not ours(TutoringRecord).exists()


@pytest.mark.parametrize("persona", ["volunteer_client", "outsider_client"])
def test_volunteers_and_outsiders_cannot_save(request, persona, day, make_children, make_volunteer):
    child = make_children(1)[0]
    tutor = make_volunteer()
    client = request.getfixturevalue(persona)
    assert client.post(url(day), {f"pair-{child.pk}": str(tutor.pk)}).status_code == 404
    assert not ours(TutoringRecord).exists()
