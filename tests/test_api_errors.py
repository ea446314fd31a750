"""The API answers bad input and missing records in the user's language (issue 9, point 6).

The shape stays ninja's (``detail`` a list of ``loc``/``type``/``msg`` for a 422, a string for a
404), the status codes stay the same; the text is Japanese for a Japanese request (the default),
English for an English one, and a 404 never names the model.
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from activities.factories import ActivityFactory
from config.api_errors import error_message

pytestmark = pytest.mark.django_db

ENGLISH_PYDANTIC = ("String should", "Input should", "Field required", "Value error", "valid integer", "Not Found")


@pytest.fixture
def activity(site, staff):
    return ActivityFactory(site=site, lead=staff, date=timezone.localdate() + dt.timedelta(days=10))


def cancel(client, activity, payload, **headers):
    return client.post(f"/api/activities/{activity.pk}/cancel", payload, content_type="application/json", **headers)


def test_an_overlong_reason_is_refused_in_japanese(staff_client, activity):
    response = cancel(staff_client, activity, {"reason": "あ" * 201})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", "payload", "reason"], "type": "string_too_long",
                                           "msg": "200文字以内で入力してください。"}]}


def test_a_missing_reason_and_a_nul_byte_are_refused_in_japanese(staff_client, activity):
    missing = cancel(staff_client, activity, {})
    assert missing.status_code == 422
    assert [(e["type"], e["msg"]) for e in missing.json()["detail"]] == [("missing", "このフィールドは必須です。")]
    # A NUL byte is refused before the API by the hostile-input middleware (400), or by the
    # schema's own validator (422): in Japanese either way.
    nul = cancel(staff_client, activity, {"reason": "雨\x00天"})
    detail = nul.json()["detail"]
    assert nul.status_code in (400, 422)
    assert "NUL 文字" in (detail if isinstance(detail, str) else detail[0]["msg"])


def test_a_non_number_in_the_query_is_refused_in_japanese(staff_client, site):
    response = staff_client.get("/api/classroom/students", {"page": "abc"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "page"] and error["type"] == "int_parsing"
    assert error["msg"] == "整数を入力してください。"
    assert "input" not in error  # the rejected value is not echoed back


def test_a_missing_student_answers_a_japanese_404_without_the_model_name(staff_client, site, settings):
    settings.DEBUG = True  # ninja names the model and the query under DEBUG: not here
    response = staff_client.get("/api/classroom/students/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "見つかりません。存在しないか、閲覧する権限がありません。"}
    assert "Student" not in response.text


def test_a_missing_activity_and_a_signed_out_user_are_answered_in_japanese(staff_client, db):
    response = staff_client.get("/api/activities/999999")
    assert response.status_code == 404 and response.json()["detail"].startswith("見つかりません")
    signed_out = Client().get("/api/classroom/me")
    assert signed_out.status_code == 401 and signed_out.json() == {"detail": "ログインしてください。"}


def test_an_english_request_gets_english(staff_client, activity):
    response = cancel(staff_client, activity, {"reason": "x" * 201}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Enter at most 200 characters."


@pytest.mark.parametrize(("error", "expected"), [
    ({"type": "missing"}, "このフィールドは必須です。"),
    ({"type": "string_too_long", "ctx": {"max_length": 100}}, "100文字以内で入力してください。"),
    ({"type": "string_too_short", "ctx": {"min_length": 1}}, "このフィールドは必須です。"),
    ({"type": "string_too_short", "ctx": {"min_length": 3}}, "3文字以上で入力してください。"),
    ({"type": "int_parsing"}, "整数を入力してください。"),
    ({"type": "int_parsing_size"}, "整数を入力してください。"),
    ({"type": "less_than_equal", "ctx": {"le": 10}}, "10以下の数値を入力してください。"),
    ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "1以上の数値を入力してください。"),
    ({"type": "date_from_datetime_parsing"}, "正しい日付を入力してください（例：2026-04-01）。"),
    ({"type": "datetime_from_date_parsing"}, "正しい日時を入力してください（例：2026-04-01T16:00）。"),
    ({"type": "literal_error", "ctx": {"expected": "'a' or 'b'"}}, "次のいずれかを指定してください：'a' or 'b'。"),
    ({"type": "enum", "ctx": {"expected": "'x'"}}, "次のいずれかを指定してください：'x'。"),
    ({"type": "value_error", "ctx": {"error": ValueError("日付が範囲外です。")}}, "日付が範囲外です。"),
    ({"type": "something_new"}, "この値は正しくありません。"),
])
def test_each_common_pydantic_error_has_a_japanese_message(error, expected):
    with translation.override("ja"):
        assert error_message(error) == expected
    assert not any(english in expected for english in ENGLISH_PYDANTIC)


def test_the_schema_refuses_a_nul_byte_in_japanese():
    from pydantic import TypeAdapter, ValidationError

    from lib.schema_types import bounded_text

    with translation.override("ja"), pytest.raises(ValidationError) as raised:
        TypeAdapter(bounded_text(10)).validate_python("a\x00b")
    [error] = raised.value.errors()
    with translation.override("ja"):
        assert error_message(error) == "使用できない文字（NUL 文字）が含まれています。"
