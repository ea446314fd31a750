"""After the session: the tutor writes their own record, from the class day until 7 days after."""

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory, UserFactory
from classroom.models import ClassDayStatus, TutoringRecord
from tests.volunteers.me.conftest import days

DATA = {"studied": "一次関数 p.42-45", "understanding": "3", "homework": "ワーク p.20", "handover_note": "グラフは描ける"}


def record_on(me, child, offset, **kwargs):
    return TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(offset), **kwargs),
                                 student=child, tutor=me.user)


def url(record):
    return reverse("volunteers:my_tutoring_record", args=[record.pk])


@pytest.mark.parametrize(("offset", "writable"), [(1, False), (0, True), (-7, True), (-8, False)])
def test_writing_window(volunteer_client, me, child, offset, writable):
    record = record_on(me, child, offset)
    page = volunteer_client.get(url(record))
    assert page.status_code == 200
    assert ('name="studied"' in page.content.decode()) is writable
    response = volunteer_client.post(url(record), DATA)
    record.refresh_from_db()
    if writable:
        assert response.status_code == 302
        assert record.written_at is not None
        assert (record.studied, record.understanding, record.homework, record.handover_note) == (
            DATA["studied"], 3, DATA["homework"], DATA["handover_note"])
    else:
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
        assert record.written_at is None and record.studied == ""


def test_after_the_window_read_only_without_the_child(volunteer_client, me, child):
    record = record_on(me, child, -8)
    record.studied = "前に書いた内容"
    record.written_at = timezone.now()
    record.save()
    html = volunteer_client.get(url(record)).content.decode()
    assert "前に書いた内容" in html and 'name="studied"' not in html
    assert "ケンくん" not in html


def test_htmx_post_returns_the_fragment(volunteer_client, me, child):
    record = record_on(me, child, 0)
    response = volunteer_client.post(url(record), DATA, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="my-record"')
    assert "message--success" in html
    assert TutoringRecord.objects.get(pk=record.pk).written_at is not None


def test_htmx_get_fragment(volunteer_client, me, child):
    record = record_on(me, child, 0)
    html = volunteer_client.get(url(record), HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section id="my-record"') and "<html" not in html


def test_invalid_input_changes_nothing(volunteer_client, me, child):
    record = record_on(me, child, 0)
    response = volunteer_client.post(url(record), {**DATA, "studied": "", "understanding": "9"})
    assert response.status_code == 200
    record.refresh_from_db()
    assert record.written_at is None and record.homework == ""


def test_second_write_keeps_the_first_written_at(volunteer_client, me, child):
    record = record_on(me, child, 0)
    volunteer_client.post(url(record), DATA)
    first = TutoringRecord.objects.get(pk=record.pk).written_at
    volunteer_client.post(url(record), {**DATA, "homework": "なし"})
    record.refresh_from_db()
    assert record.written_at == first and record.homework == "なし"


def test_cancelled_class_day_cannot_be_written(volunteer_client, me, child):
    record = record_on(me, child, 0, status=ClassDayStatus.CANCELLED)
    volunteer_client.post(url(record), DATA)
    record.refresh_from_db()
    assert record.written_at is None


def test_shows_the_previous_handover(volunteer_client, me, pair):
    pair.class_day.date = days(0)
    pair.class_day.save()
    assert "一次関数の文章題で止まりがち" in volunteer_client.get(url(pair)).content.decode()


def test_another_tutors_record_is_404(volunteer_client, me, child):
    other = TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(0)), student=child,
                                  tutor=UserFactory(roles=["volunteer"]))
    unpaired = TutoringRecordFactory(class_day=ClassDayFactory(site=child.site, date=days(-1)), student=child, tutor=None)
    for record in (other, unpaired):
        assert volunteer_client.get(url(record)).status_code == 404
        assert volunteer_client.post(url(record), DATA).status_code == 404
        record.refresh_from_db()
        assert record.written_at is None


@pytest.mark.parametrize("persona", ["staff_client", "coordinator_client", "outsider_client"])
def test_other_roles_404(request, persona, me, child):
    record = record_on(me, child, 0)
    assert request.getfixturevalue(persona).get(url(record)).status_code == 404


def test_an_empty_record_is_never_marked_written(me, child):
    """Issue 9, point 14: whatever calls the service, nothing written means not written."""
    from classroom.exceptions import DomainError
    from volunteers.services.schedule import tutoring_record_write
    record = record_on(me, child, 0)
    with pytest.raises(DomainError):
        tutoring_record_write(record=record, by=me.user, studied="  ", understanding=None, homework="",
                              handover_note="")
    record.refresh_from_db()
    assert record.written_at is None
