"""A site's early-warning thresholds changed by two staff at once: the later save from an older form is refused."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import WarningSettings
from classroom import rules
from classroom.factories import UserFactory
from tests.edit_guards import open_form

pytestmark = pytest.mark.django_db


def test_thresholds_saved_from_an_older_form_keep_the_later_save(staff_client, site):
    colleague = Client()
    colleague.force_login(UserFactory(username="colleague", roles=[rules.STAFF], sites=[site]))
    url = reverse("casework:warning_settings") + f"?site={site.pk}"
    form_a, form_b = open_form(staff_client, url), open_form(colleague, url)
    form_a["consecutive_absences"] = "3"
    assert staff_client.post(reverse("casework:warning_settings"), form_a).status_code == 302
    form_b["no_contact_days"] = "45"
    response = colleague.post(reverse("casework:warning_settings"), form_b)
    assert response.status_code == 200
    saved = WarningSettings.objects.get(site=site)
    assert (saved.consecutive_absences, saved.no_contact_days) == (3, 30)
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"consecutive_absences": ("2", "3"), "no_contact_days": ("45", "30")}
