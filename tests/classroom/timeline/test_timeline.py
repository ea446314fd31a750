"""Each child's timeline: order, filters, pagination, summary, access log, who may open it, query budget."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import FollowUpAction, InformationShare
from classroom import extensions, timeline
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    DropInFactory,
    StudentFactory,
    TutoringRecordFactory,
)
from classroom.models import AccessLog
from tests.casework.warnings.conftest import at, make_contact, make_visit


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def child(site, staff):
    return StudentFactory(site=site, family_name="森", given_name="大地", staff_in_charge=staff,
                          enrolled_on=days_ago(300))


@pytest.fixture
def story(child, site, staff):
    """One record of each kind, on distinct days (days ago in the comments)."""
    AttendanceFactory(class_day=ClassDayFactory(site=site, date=days_ago(20), status="held"), student=child,
                      status="absent")  # 20
    TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days_ago(15), status="held"), student=child,
                          written_at=at(days_ago(15)), studied="一次方程式")  # 15
    DropInFactory(student=child, date=days_ago(12))  # 12
    visit = make_visit(child, days_ago(10), by=staff, next_visit_due=days_ago(-20))  # 10
    make_contact(child, days_ago(5), by=staff)  # 5
    InformationShare.objects.create(student=child, recipient_name="深谷市 生活福祉課", what="欠席が続いている",
                                    shared_at=at(days_ago(3)), shared_by=staff, basis="child_welfare",
                                    exception_reason="児童の安全のため")  # 3
    FollowUpAction.objects.create(student=child, visit=visit, description="担任に連絡", owner=staff,
                                  due_on=days_ago(1))  # 1, overdue
    return child


def kinds_in(response):
    return [e.kind for e in response.context["page"].entries]


def url(child):
    return reverse("classroom:student_timeline", args=[child.pk])


def test_newest_first_across_every_source(staff_client, story):
    response = staff_client.get(url(story))
    assert response.status_code == 200
    assert kinds_in(response) == ["follow_up", "share", "contact", "visit", "dropin", "tutoring", "attendance"]
    html = response.content.decode()
    assert "一次方程式" in html and "深谷市 生活福祉課" in html and "担任に連絡" in html
    assert reverse("classroom:roster", args=[story.attendances.get().class_day_id]) in html


def test_summary(staff_client, story):
    summary = staff_client.get(url(story)).context["summary"]
    assert summary["last_contact"] == days_ago(5)
    assert summary["next_visit_due"] == days_ago(-20) and not summary["next_visit_overdue"]
    assert [f.description for f in summary["open_follow_ups"]] == ["担任に連絡"]
    assert summary["rate"].recorded == 1 and summary["rate"].attended == 0


def test_filter_by_kind(staff_client, story):
    response = staff_client.get(url(story), {"kind": ["visit", "contact"]})
    assert kinds_in(response) == ["contact", "visit"]


def test_filter_by_date_range(staff_client, story):
    response = staff_client.get(url(story), {"start": days_ago(12).isoformat(), "end": days_ago(5).isoformat()})
    assert kinds_in(response) == ["contact", "visit", "dropin"]


def test_bad_dates_show_an_error_and_everything(staff_client, story):
    response = staff_client.get(url(story), {"start": days_ago(1).isoformat(), "end": days_ago(5).isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["end"]
    assert len(kinds_in(response)) == 7


def test_pagination(staff_client, child, site):
    for n in range(1, 36):
        AttendanceFactory(class_day=ClassDayFactory(site=site, date=days_ago(n), status="held"), student=child)
    first = staff_client.get(url(child))
    assert len(kinds_in(first)) == 30 and first.context["page"].has_next
    assert first.context["page"].entries[0].day == days_ago(1)
    second = staff_client.get(url(child), {"page": 2})
    assert len(kinds_in(second)) == 5 and not second.context["page"].has_next
    assert second.context["page"].entries[-1].day == days_ago(35)
    assert 'rel="prev"' in second.content.decode()
    assert staff_client.get(url(child), {"page": "x"}).status_code == 200


def test_htmx_returns_the_entries_fragment(staff_client, story):
    response = staff_client.get(url(story), {"kind": "visit"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="timeline-entries"') and "<html" not in html


def test_every_view_is_logged(staff_client, story, staff):
    staff_client.get(url(story))
    staff_client.get(url(story), {"page": 2}, HTTP_HX_REQUEST="true")
    logs = AccessLog.objects.filter(user=staff, student=story)
    assert logs.count() == 2
    assert {log.action for log in logs} == {"view"} and all("/timeline/" in log.path for log in logs)


@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_forbidden_for_other_roles(request, persona, story):
    assert request.getfixturevalue(persona).get(url(story)).status_code == 404
    assert not AccessLog.objects.exists()


def test_another_sites_staff_get_404(client, other_site, story):
    from classroom.factories import UserFactory

    client.force_login(UserFactory(roles=["staff"], sites=[other_site]))
    assert client.get(url(story)).status_code == 404


def test_a_source_can_be_registered_from_elsewhere(child, monkeypatch):
    registry = extensions._REGISTRY
    monkeypatch.setitem(registry, extensions.TIMELINE_SOURCES, dict(registry[extensions.TIMELINE_SOURCES]))

    @timeline.register_source("activity", "Activities", order=80)
    def activity_entries(student, window, limit):
        return [timeline.TimelineEntry(kind="activity", at=at(days_ago(0)), title="野菜の収穫体験")]

    page = timeline.page_of(child)
    assert [e.title for e in page.entries] == ["野菜の収穫体験"]


def test_query_budget_is_the_same_at_5_and_50_entries(staff_client, child, site, staff, count_queries):
    def add(n, offset):
        for i in range(n):
            day = days_ago(offset + i)
            AttendanceFactory(class_day=ClassDayFactory(site=site, date=day, status="held"), student=child)
            make_visit(child, day, by=staff)

    def measure():
        staff_client.get(url(child))
        with count_queries() as q:
            response = staff_client.get(url(child), {"page": 1})
        return q.count, len(response.context["page"].entries)

    add(3, 1)
    few = measure()
    add(40, 10)
    many = measure()
    assert few[1] == 6 and many[1] == 30
    assert many[0] == few[0]


def test_entries_link_to_their_records(staff_client, story):
    entries = {e.kind: e for e in staff_client.get(url(story)).context["page"].entries}
    for kind, name in (("visit", "casework:visit_detail"), ("contact", "casework:contact_detail"), ("share", "casework:share_detail")):
        assert entries[kind].url.startswith(reverse(name, args=[1]).rsplit("1/", 1)[0])
