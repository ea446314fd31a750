"""The data page and a child's own data page read well on a phone and a tablet: nothing scrolls sideways,
no cell is squeezed; the child's page (a file inside the ZIP, opened from disk) needs nothing from a network."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from classroom import rules
from classroom.factories import (
    AttendanceFactory,
    ClassDayFactory,
    GuardianFactory,
    StudentFactory,
    TutoringRecordFactory,
    UserFactory,
)
from classroom.models import AccessLog
from tests.browser.test_phone_layout import PHONE, TABLET, layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def child(site, staff):
    child = StudentFactory(site=site, family_name="秋山", given_name="陽菜", health_notes="卵アレルギー。" * 20)
    GuardianFactory(household=child.household)
    for n in range(5):
        day = ClassDayFactory(site=site, date=timezone.localdate() - dt.timedelta(days=7 * (n + 1)))
        AttendanceFactory(class_day=day, student=child, note="少し遅れて到着した" if n % 2 else "")
        TutoringRecordFactory(class_day=day, student=child, studied="一次関数のグラフ。傾きと切片の意味を説明できた。")
        AccessLog.objects.create(user=staff, student=child, action="contacts", path=f"/students/{child.pk}/")
    return child


@pytest.mark.parametrize("size", [PHONE, TABLET])
def test_the_data_page_fits(page, live_server, sign_in, site, child, size):
    page.set_viewport_size(size)
    sign_in(page, UserFactory(roles=[rules.STAFF, rules.STAFF_ADMIN], sites=[site]))
    page.goto(f"{live_server.url}{reverse('dataio:data_home')}?q=秋山")
    assert page.locator("text=この子どもの記録を書き出す").count() == 1
    assert layout_problems(page) == []


@pytest.mark.parametrize("size", [PHONE, TABLET])
def test_the_childs_own_page_fits_and_stands_alone(page, client, staff_admin, child, tmp_path, size):
    client.force_login(staff_admin)
    response = client.post(reverse("dataio:subject_access_download", args=[child.pk]))
    zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).extractall(tmp_path)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size(size)
    page.goto((tmp_path / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "秋山 陽菜さんについて保有している記録"
    assert page.locator("#attendance tbody tr").count() == 5
    assert layout_problems(page) == []
    assert [url for url in requests if not url.startswith("file:")] == []
