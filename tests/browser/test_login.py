"""Each role signs in through the real login form in Chromium and lands on its home page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("persona", "path", "heading"),
    [("staff", "/staff/", "学習支援員ホーム"), ("coordinator", "/coordinator/", "コーディネーターホーム"),
     ("volunteer", "/volunteer/", "わたしの予定")],
)
def test_each_role_signs_in_and_sees_its_home(page, live_server, sign_in, request, persona, path, heading):
    user = request.getfixturevalue(persona)
    sign_in(page, user)
    expect(page).to_have_url(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()


def test_wrong_password_shows_a_japanese_error(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("正しいユーザー名とパスワードを入力してください")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")


def test_phone_sized_login_and_language_switch(page, live_server, sign_in, volunteer):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, volunteer)
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="切り替え").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My schedule")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_five_wrong_passwords_lock_the_account_with_a_japanese_message(page, live_server, staff, password):
    page.goto(f"{live_server.url}/accounts/login/")
    for attempt in range(5):
        page.fill("#id_username", staff.username)
        page.fill("#id_password", f"wrong-{attempt}")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("ログインを一時停止しています")
    expect(page.get_by_role("alert")).to_contain_text("パスワードが5回続けて違いました")
    expect(page.get_by_role("alert")).to_contain_text("15分間")
    # The right password now is refused too, with the same page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログインを一時停止しています")


def test_staff_sign_in_with_a_totp_code(page, live_server, staff, password, settings):
    """Where two-factor sign-in is required: password, then the six digits of the authenticator."""
    from django_otp.oath import totp

    from classroom.services import two_factor

    settings.TWO_FACTOR_REQUIRED = True
    device = two_factor.two_factor_start(user=staff)
    two_factor.two_factor_confirm(user=staff, device=device, token=f"{totp(device.bin_key):06d}")
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    page.goto(f"{live_server.url}/students/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("確認コードの入力")
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/students/")
