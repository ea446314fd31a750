"""A volunteer and a paired child whose window has closed: the child is no longer shown.

That a volunteer reaches nothing but their own pages (every URL, GET and POST, their paired child's,
another volunteer's and another site's objects: 404) is the access table's: tests/access_table.py,
the "vol" and "vol2" columns, proved by tests/test_access_table.py.
"""

from django.urls import reverse
from django.utils import timezone

from classroom.factories import ClassDayFactory, TutoringRecordFactory
from tests.volunteers.me.conftest import days


def test_paired_child_is_not_visible_once_the_window_closed(volunteer_client, me, child, site):
    record = TutoringRecordFactory(class_day=ClassDayFactory(site=site, date=days(-8)), student=child, tutor=me.user,
                                   written_at=timezone.now())
    html = volunteer_client.get(reverse("volunteers:home_volunteer")).content.decode()
    assert "ケンくん" not in html
    assert "ケンくん" not in volunteer_client.get(reverse("volunteers:my_tutoring_record", args=[record.pk])).content.decode()
