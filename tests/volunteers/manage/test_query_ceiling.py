"""Every management page stays within the project's ceiling of 20 queries (see tests/test_access_crawl.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from volunteers.models import SignUp

from .conftest import came

CEILING = 20


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_pages_stay_within_the_ceiling(client, request, persona, tutor, class_day, count_queries):
    SignUp.objects.create(volunteer=tutor, class_day=class_day, answer="can", confirmed_at=timezone.now())
    came(tutor, class_day)
    client.force_login(request.getfixturevalue(persona))
    urls = [reverse("volunteers:volunteer_list"), reverse("volunteers:volunteer_detail", args=[tutor.pk]), reverse("volunteers:volunteer_create"),
            reverse("volunteers:volunteer_edit", args=[tutor.pk]), reverse("volunteers:volunteer_hours"),
            reverse("volunteers:volunteer_attendance", args=[class_day.pk]), reverse("volunteers:volunteer_hours_export")]
    client.get(urls[0])
    for url in urls:
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert queries.count <= CEILING, (url, queries.count)
