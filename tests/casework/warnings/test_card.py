"""The staff home's early-warning card: counts per kind, the first children, no card for other roles."""

import datetime as dt

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from casework import warnings
from classroom.factories import StudentFactory


def old_child(site, **kwargs):
    return StudentFactory(site=site, enrolled_on=timezone.localdate() - dt.timedelta(days=400), **kwargs)


def render_card(user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("casework/warnings/_card.html", {"warning_card": warnings.card_for(user)}, request)


def test_card_counts_and_first_children(staff, site):
    children = [old_child(site) for _ in range(7)]
    card = warnings.card_for(staff)
    assert card["total"] == 7 and card["children"] == 7 and card["more"] == 2
    assert {k: n for k, _label, n in card["counts"]}["no_contact"] == 7
    html = render_card(staff)
    assert "/warnings/" in html and "?kind=no_contact" in html
    assert sum(c.full_name in html for c in children) == 5


def test_empty_card(staff, site):
    html = render_card(staff)
    assert 'class="card warning-card"' in html and "/warnings/" in html


def test_no_card_for_other_roles(coordinator, volunteer, outsider, site):
    old_child(site)
    for user in (coordinator, volunteer, outsider):
        assert warnings.card_for(user) is None
        assert render_card(user).strip() == ""


def test_coordinator_home_shows_no_warning_count(coordinator_client, site):
    old_child(site)
    html = coordinator_client.get("/coordinator/").content.decode()
    assert "warning-card" not in html and "/warnings/" not in html


def test_card_query_count_is_fixed(staff, site, count_queries):
    old_child(site)
    warnings.card_for(staff)  # warm-up: the roles are read once and cached on the user
    with count_queries() as few:
        warnings.card_for(staff)
    for _ in range(30):
        old_child(site)
    with count_queries() as many:
        warnings.card_for(staff)
    assert few.count == many.count <= 6
