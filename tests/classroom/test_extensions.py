"""The one extension point: entries by order then key, a key registered again replaced, kinds checked."""

import pytest

from classroom import extensions


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(extensions, "_REGISTRY", {kind: {} for kind in extensions.KINDS})
    return extensions


def test_entries_come_by_order_then_key_not_by_registration(registry):
    registry.register(registry.STAFF_HOME_CARDS, "b", "second", order=20)
    registry.register(registry.STAFF_HOME_CARDS, "z", "first", order=10)
    registry.register(registry.STAFF_HOME_CARDS, "a", "also second, before b", order=20)
    assert registry.entries(registry.STAFF_HOME_CARDS) == ["first", "also second, before b", "second"]
    assert registry.entries(registry.SCHEDULE_SECTIONS) == []


def test_registering_a_key_again_replaces_it(registry):
    registry.register(registry.CALENDAR_EVENTS, "class_days", "old", order=10)
    registry.register(registry.CALENDAR_EVENTS, "class_days", "new", order=10)
    assert registry.entries(registry.CALENDAR_EVENTS) == ["new"]


def test_an_unknown_kind_is_refused(registry):
    with pytest.raises(ValueError):
        registry.register("home_cards", "x", object())


def test_the_apps_registered_what_the_pages_show():
    """Each higher app registered in its AppConfig.ready(); the lower apps import none of them."""
    from activities.ical import activity_events
    from activities.integrations import schedule_section
    from casework import integrations
    from dataio import integrations as dataio_integrations
    from dataio.views.retention import student_page_section as legal_hold_section
    from oversight import integrations as oversight_integrations
    from reporting import integrations as reporting_integrations
    from volunteers import integrations as volunteer_integrations
    from volunteers.ical import class_day_events

    assert extensions.entries(extensions.CALENDAR_EVENTS) == [class_day_events, activity_events]
    assert extensions.entries(extensions.SCHEDULE_SECTIONS) == [schedule_section]
    assert extensions.entries(extensions.STAFF_HOME_CARDS) == [
        reporting_integrations.staff_home_card, integrations.staff_home_card, volunteer_integrations.staff_home_card,
        dataio_integrations.staff_home_card, oversight_integrations.staff_home_card]
    assert extensions.entries(extensions.COORDINATOR_HOME_SECTIONS) == [volunteer_integrations.coordinator_home_section]
    assert extensions.entries(extensions.STUDENT_PAGE_SECTIONS) == [integrations.student_page_section,
                                                                    dataio_integrations.student_page_section,
                                                                    oversight_integrations.student_page_section,
                                                                    legal_hold_section]
    assert extensions.entries(extensions.ROSTER_WARNINGS) == [integrations.roster_warnings]
    assert [s.kind for s in extensions.entries(extensions.TIMELINE_SOURCES)] == [
        "attendance", "tutoring", "dropin", "visit", "contact", "share", "follow_up", "activity"]
