"""The thresholds page: created with defaults, validated in Japanese, per site."""

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import WarningSettings

VALID = {"consecutive_absences": 3, "rate_below": 40, "rate_before": 80, "no_contact_days": 21, "stopped_coming_days": 45}


def test_first_use_creates_the_defaults(staff_client, site):
    response = staff_client.get(reverse("casework:warning_settings"))
    assert response.status_code == 200
    ws = WarningSettings.objects.get(site=site)
    assert (ws.consecutive_absences, ws.rate_below, ws.rate_before, ws.no_contact_days) == (2, 50, 75, 30)
    assert ws.stopped_coming_days == 30


def test_save(staff_client, site):
    response = staff_client.post(reverse("casework:warning_settings"), {**VALID, "site": site.pk})
    assert response.status_code == 302
    ws = WarningSettings.objects.get(site=site)
    assert (ws.consecutive_absences, ws.rate_below, ws.rate_before, ws.no_contact_days) == (3, 40, 80, 21)
    assert ws.stopped_coming_days == 45


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"consecutive_absences": 0}, "consecutive_absences", "Enter at least 1 absence."),
    ({"rate_below": 101}, "rate_below", "Enter a percentage between 0 and 100."),
    ({"rate_before": -1}, "rate_before", None),
    ({"rate_below": 80, "rate_before": 80}, "rate_before", "The earlier rate must be higher"),
    ({"rate_below": 80, "rate_before": 60}, "rate_before", "The earlier rate must be higher"),
    ({"no_contact_days": 0}, "no_contact_days", "Enter at least 1 day."),
    ({"no_contact_days": ""}, "no_contact_days", None),
    ({"stopped_coming_days": 0}, "stopped_coming_days", "Enter at least 1 day."),
    ({"stopped_coming_days": ""}, "stopped_coming_days", None),
])
def test_invalid_values_change_nothing(staff_client, site, change, field, message):
    staff_client.get(reverse("casework:warning_settings"))
    with translation.override("en"):
        response = staff_client.post(reverse("casework:warning_settings"), {**VALID, **change, "site": site.pk},
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors
    if message:
        assert any(message in e for e in errors)
    ws = WarningSettings.objects.get(site=site)
    assert (ws.consecutive_absences, ws.rate_below, ws.rate_before, ws.no_contact_days) == (2, 50, 75, 30)
    assert ws.stopped_coming_days == 30


def test_exactly_100_and_0_are_valid(staff_client, site):
    response = staff_client.post(reverse("casework:warning_settings"),
                                 {**VALID, "rate_below": 0, "rate_before": 100, "site": site.pk})
    assert response.status_code == 302


def test_another_sites_settings_are_404(staff_client, other_site):
    assert staff_client.get(reverse("casework:warning_settings"), {"site": other_site.pk}).status_code == 404
    assert staff_client.post(reverse("casework:warning_settings"), {**VALID, "site": other_site.pk}).status_code == 404
    assert not WarningSettings.objects.filter(site=other_site).exists()


def test_settings_change_the_list(staff_client, site):
    staff_client.post(reverse("casework:warning_settings"), {**VALID, "site": site.pk})
    html = staff_client.get(reverse("casework:warning_list")).content.decode()
    assert "21" in html and "80%" in html
