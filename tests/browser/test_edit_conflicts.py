"""Two tabs on one draft visit: the second tab's autosave is refused and shows both versions; the
person keeps theirs knowingly; nothing typed in either tab is lost."""

import re

import pytest
from playwright.sync_api import expect

from casework.models import HomeVisit, RecordStatus
from classroom.factories import StudentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAVED = re.compile(r"Draft saved at|下書きを保存しました")


def test_two_tabs_autosaving_one_draft_show_the_conflict_and_lose_nothing(page, live_server, sign_in, staff, site):
    child = StudentFactory(site=site, family_name="鈴木", given_name="陽翔")
    draft = HomeVisit.objects.create(student=child, status=RecordStatus.DRAFT, created_by=staff)
    draft.staff.set([staff])
    url = f"{live_server.url}/visits/{draft.pk}/edit/"
    sign_in(page, staff)
    page.goto(url)
    expect(page.locator("form[data-autosave-ready]")).to_have_count(1)
    second = page.context.new_page()  # the same person, a second tab opened on the same draft
    second.goto(url)
    expect(second.locator("form[data-autosave-ready]")).to_have_count(1)

    page.fill("#id_living_environment", "玄関に郵便物がたまっていた")
    expect(page.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)

    second.fill("#id_parent_child", "母と穏やかに会話していた")
    conflict = second.locator("[data-autosave-conflict]")
    expect(conflict).to_be_visible(timeout=10000)
    expect(conflict.locator("[data-conflict-field=living_environment] .edit-conflict__saved")).to_contain_text(
        "玄関に郵便物がたまっていた")
    expect(conflict.locator("[data-conflict-field=parent_child] .edit-conflict__mine")).to_contain_text(
        "母と穏やかに会話していた")
    draft.refresh_from_db()
    assert (draft.living_environment, draft.parent_child) == ("玄関に郵便物がたまっていた", "")
    second.set_viewport_size({"width": 390, "height": 844})  # a phone: the two versions stack
    conflict.scroll_into_view_if_needed()
    second.screenshot(path="/tmp/h2-conflict-phone.png", full_page=False)
    second.set_viewport_size({"width": 820, "height": 1180})

    # The second tab takes the first tab's note over, then keeps its own version knowingly.
    second.fill("#id_living_environment", "玄関に郵便物がたまっていた")
    second.locator("[data-autosave-keep-mine]").click()
    expect(second.locator("[data-autosave-status]")).to_have_text(SAVED, timeout=10000)
    expect(conflict).to_be_hidden()
    draft.refresh_from_db()
    assert (draft.living_environment, draft.parent_child) == ("玄関に郵便物がたまっていた", "母と穏やかに会話していた")

    # The first tab, still on the older version, is now the one told; the server keeps both texts.
    page.fill("#id_child_condition", "少し疲れている様子")
    expect(page.locator("[data-autosave-conflict]")).to_be_visible(timeout=10000)
    draft.refresh_from_db()
    assert draft.child_condition == "" and draft.parent_child == "母と穏やかに会話していた"
    expect(page.locator("#id_child_condition")).to_have_value("少し疲れている様子")  # still in the form
