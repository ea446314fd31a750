"""Before a signed-in session ends for lack of use, the page warns in a modal dialog, with focus on
"stay signed in" (one key keeps the person signed in); if nobody answers, the dialog says the session
has ended and links to sign-in with the page to come back to (WCAG 2.2.1; static/js/session-timeout.js).
The idle timeout is shortened to seconds here; in use it is 30 minutes with a 2-minute warning."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_warning_keeps_the_session_with_one_key_then_says_when_it_ended(page, live_server, sign_in, staff,
                                                                              settings):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_WARNING_LEAD = 5
    sign_in(page, staff)
    dialog = page.get_by_role("alertdialog", name="まもなく自動的にログアウトします")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("操作がないと自動的にログアウトします")
    keep = dialog.get_by_role("button", name="ログインを続ける")
    expect(keep).to_be_focused()
    expect(dialog.get_by_role("timer")).to_have_text(re.compile(r"^0:0[0-5]$"))

    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    # The session goes on: the next page is the staff home, not the sign-in form.
    page.goto(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("学習支援員ホーム")

    # Nobody answers this time: the count reaches zero and the server has ended the session.
    ended = page.get_by_role("alertdialog", name="ログアウトしました")
    expect(ended).to_be_visible(timeout=20_000)
    expect(ended).to_contain_text("もう一度ログインしてください")
    again = ended.get_by_role("link", name="もう一度ログイン")
    expect(again).to_be_focused()
    expect(again).to_have_attribute("href", "/accounts/login/?next=%2Fstaff%2F")
    again.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fstaff%2F$"))
