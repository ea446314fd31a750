"""Two people editing one volunteer never overwrite each other; a double submit registers one volunteer."""

from django.urls import reverse

from tests.edit_guards import form_values, open_form
from tests.volunteers.manage.test_form import CREATE, valid
from volunteers.models import Volunteer


def test_a_save_from_an_older_form_keeps_the_later_one_and_shows_both(staff_client, coordinator_client, tutor):
    url = reverse("volunteers:volunteer_edit", args=[tutor.pk])
    form_a, form_b = open_form(staff_client, url), open_form(coordinator_client, url)
    form_a["insurance_expires_on"] = "2028-03-31"
    assert staff_client.post(url, form_a).status_code == 302
    form_b["phone"] = "080-5555-6666"
    form_b["last_name"] = "鈴木（旧姓 佐藤）"
    response = coordinator_client.post(url, form_b)

    assert response.status_code == 200
    tutor.refresh_from_db()
    tutor.user.refresh_from_db()
    assert f"{tutor.insurance_expires_on:%Y-%m-%d}" == "2028-03-31"
    assert tutor.phone != "080-5555-6666" and tutor.user.last_name == "鈴木"
    rows = {row["name"]: row for row in response.context["form"].conflict_rows}
    assert set(rows) == {"insurance_expires_on", "phone", "last_name"}
    assert rows["last_name"]["mine"] == "鈴木（旧姓 佐藤）" and rows["last_name"]["saved"] == "鈴木"
    html = response.content.decode()
    assert "上書きはしていません" in html and 'value="080-5555-6666"' in html

    again = form_values(html)
    again.pop("csrfmiddlewaretoken")
    again["insurance_expires_on"] = "2028-03-31"
    assert coordinator_client.post(url, again).status_code == 302
    tutor.refresh_from_db()
    assert tutor.phone == "080-5555-6666" and f"{tutor.insurance_expires_on:%Y-%m-%d}" == "2028-03-31"


def test_deactivating_meanwhile_is_not_undone_by_an_older_form(staff_client, tutor):
    url = reverse("volunteers:volunteer_edit", args=[tutor.pk])
    stale = open_form(staff_client, url)
    staff_client.post(reverse("volunteers:volunteer_set_active", args=[tutor.pk]), {"active": "0"})
    stale["note"] = "土曜も可"
    response = staff_client.post(url, stale)
    assert response.status_code == 200
    tutor.refresh_from_db()
    assert tutor.is_active is False and tutor.note == ""


def test_a_double_submit_registers_one_volunteer(staff_client, site):
    data = open_form(staff_client, CREATE)
    data.update(valid(site))
    first, second = staff_client.post(CREATE, data), staff_client.post(CREATE, data)
    volunteer = Volunteer.objects.get(user__username="nakamura")
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("volunteers:volunteer_detail", args=[volunteer.pk])
