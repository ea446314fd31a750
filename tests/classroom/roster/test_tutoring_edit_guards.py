"""A tutoring record written by two people (two staff, or staff and the volunteer tutor) is never
overwritten silently: the later save from an older form is refused and shows both versions."""

import pytest
from django.test import Client
from django.urls import reverse

from classroom import rules
from classroom.factories import TutoringRecordFactory, UserFactory
from classroom.models import TutoringRecord
from tests.edit_guards import open_form
from tests.neighbours import ours

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_client(site):
    client = Client()
    client.force_login(UserFactory(username="colleague", roles=[rules.STAFF], sites=[site]))
    return client


def test_two_staff_writing_one_record_keep_both_texts(staff_client, colleague_client, class_day, student):
    TutoringRecordFactory(class_day=class_day, student=student, tutor=None, studied="", homework="")
    url = reverse("classroom:tutoring_record_edit", args=[class_day.pk, student.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague_client, url)
    form_a["studied"] = "一次関数 p.42-45"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["homework"] = "ワーク p.20"
    response = colleague_client.post(url, form_b)
    assert response.status_code == 200
    record = ours(TutoringRecord).get()
    assert (record.studied, record.homework) == ("一次関数 p.42-45", "")
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"studied": ("", "一次関数 p.42-45"), "homework": ("ワーク p.20", "")}


def test_two_first_saves_of_an_unwritten_record_do_not_replace_each_other(staff_client, colleague_client,
                                                                          class_day, student):
    url = reverse("classroom:tutoring_record_edit", args=[class_day.pk, student.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague_client, url)
    assert form_a["edit_version"] == "0"  # no record yet
    form_a["studied"] = "英単語"
    form_b["studied"] = "漢字の書き取り"
    assert staff_client.post(url, form_a).status_code == 302
    assert colleague_client.post(url, form_b).status_code == 200
    assert ours(TutoringRecord).get().studied == "英単語"
