"""Recording an outcome (進路): the stage first, then a result of that stage (swapped in by htmx, grouped by stage
without JavaScript); one record per child, year and stage; a double submit makes one; two tabs lose nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classroom.factories import OutcomeFactory, StudentFactory
from classroom.grades import Grade
from classroom.models import Outcome
from tests.edit_guards import form_values, open_form

pytestmark = pytest.mark.django_db

TOKEN = "a" * 32


def create_url(student, **query):
    url = reverse("classroom:outcome_create", args=[student.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def entry(this_year, **changes):
    return {"fiscal_year": this_year, "stage": "entry", "result": "part_time", "school": "埼玉県立深谷第一高等学校",
            "decided_on": "", "reason": "", "note": "", "form_token": TOKEN, **changes}


# --- The form ------------------------------------------------------------------------------------------
def test_the_form_defaults_to_this_year_and_the_stage_of_the_childs_grade(staff_client, student, this_year):
    form = open_form(staff_client, create_url(student))
    assert (form["fiscal_year"], form["stage"]) == (str(this_year), "entry")
    high_schooler = StudentFactory(site=student.site, school_grade=Grade.H2, school="埼玉県立深谷高等学校")
    form = open_form(staff_client, create_url(high_schooler))
    assert (form["stage"], form["school"]) == ("high_school", "埼玉県立深谷高等学校")
    assert open_form(staff_client, create_url(StudentFactory(site=student.site, school_grade=Grade.H3)))["stage"] \
        == "next_step"


def test_the_list_of_outcomes_to_record_chooses_the_year_and_stage(staff_client, student, this_year):
    form = open_form(staff_client, create_url(student, fiscal_year=this_year - 1, stage="next_step"))
    assert (form["fiscal_year"], form["stage"]) == (str(this_year - 1), "next_step")
    form = open_form(staff_client, create_url(student, fiscal_year=1900, stage="nonsense"))  # ignored, not a 500
    assert (form["fiscal_year"], form["stage"]) == (str(this_year), "entry")


def test_without_javascript_every_result_is_offered_grouped_by_stage(staff_client, student):
    html = staff_client.get(create_url(student)).content.decode()
    assert html.count("<optgroup") == 4
    assert 'label="高校進学（中学3年）"' in html and 'label="事業の利用終了"' in html
    assert 'hx-trigger="load"' in html  # with JavaScript, the chosen stage's results replace them at once


def test_the_stage_swaps_in_its_own_results_and_the_reason_only_for_leaving(staff_client, student):
    url = create_url(student)
    response = staff_client.get(url, {"stage": "high_school", "result": "", "reason": ""},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="outcome-choice"') and "<optgroup" not in html
    assert 'value="continuing"' in html and 'value="full_time"' not in html
    assert 'name="reason"' not in html and 'hx-trigger="load"' not in html
    left = staff_client.get(url, {"stage": "high_school", "result": "left_school", "reason": ""},
                            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice").content.decode()
    assert 'name="reason"' in left and 'value="left_school" selected' in left
    back = staff_client.get(url, {"stage": "entry", "result": "left_school", "reason": "financial"},
                            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice").content.decode()
    assert 'name="reason"' not in back and "selected" not in back  # the other stage's result is dropped
    program = staff_client.get(url, {"stage": "left_program", "result": "full_time"},
                               HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice").content.decode()
    result_select = program[program.index('name="result"'):program.index("</select>")]
    assert 'name="reason"' in program and 'value="moved"' in result_select and "selected" not in result_select


@pytest.mark.parametrize("stage", ["", "nonsense", "\u202e", "あ" * 10_000])
def test_an_unknown_stage_offers_every_result(staff_client, student, stage):
    response = staff_client.get(create_url(student), {"stage": stage, "result": stage},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice")
    assert response.status_code == 200 and response.content.decode().count("<optgroup") == 4


# --- The write -------------------------------------------------------------------------------------------
def test_the_choice_fragment_does_not_ask_for_itself_again_on_load(staff_client, student):
    """The page asks for the results on load; the fragment it gets back (no stage chosen yet) must not ask
    again, or it reloads itself for as long as the page is open (the browser tests' axe check caught the
    fragment forever half-faded)."""
    page = staff_client.get(create_url(student)).content.decode()
    assert 'hx-trigger="load"' in page
    fragment = staff_client.get(create_url(student), {"stage": "", "result": "", "reason": ""},
                                HTTP_HX_REQUEST="true", HTTP_HX_TARGET="outcome-choice").content.decode()
    assert fragment.lstrip().startswith('<div id="outcome-choice"') and 'hx-trigger="load"' not in fragment


def test_staff_record_an_outcome(staff_client, staff, student, this_year):
    response = staff_client.post(create_url(student), entry(this_year, decided_on="2027-02-20"))
    assert response.status_code == 302 and response["Location"].endswith(f"/students/{student.pk}/#outcomes")
    outcome = Outcome.objects.get(student=student)
    assert (outcome.fiscal_year, outcome.stage, outcome.result, outcome.school, outcome.decided_on,
            outcome.recorded_by) == (this_year, "entry", "part_time", "埼玉県立深谷第一高等学校", dt.date(2027, 2, 20), staff)
    page = staff_client.get(reverse("classroom:student_detail", args=[student.pk])).content.decode()
    assert "定時制高校に進学" in page and "埼玉県立深谷第一高等学校" in page


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"result": "graduated"}, "result", "選んだ区分では選べません"),  # a result of another stage
    ({"stage": "high_school", "result": "left_school"}, "decided_on", "日付を入力してください"),
    ({"reason": "financial"}, "reason", "やめた子どもにだけ"),
    ({"result": ""}, "result", "必須"),
    ({"stage": "nonsense"}, "stage", ""),
    ({"fiscal_year": "1900"}, "fiscal_year", ""),
    ({"decided_on": "0001-01-01"}, "decided_on", "1990年"),
    ({"decided_on": "2026-02-30"}, "decided_on", ""),
    ({"school": "あ" * 101}, "school", ""),
    ({"note": "あ" * 10_000}, "note", ""),
])
def test_bad_input_is_refused_in_japanese_and_nothing_is_saved(staff_client, student, this_year, changes, field,
                                                                message):
    response = staff_client.post(create_url(student), entry(this_year, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors and all(e.isascii() is False for e in errors)
    assert message in " ".join(errors)
    assert "保存していません" in response.content.decode()
    assert not Outcome.objects.filter(student=student).exists()


def test_a_second_record_of_the_same_year_and_stage_is_refused(staff_client, student, this_year):
    OutcomeFactory(student=student, fiscal_year=this_year, stage="entry", result="full_time")
    response = staff_client.post(create_url(student), entry(this_year))
    assert response.status_code == 200
    assert "すでに" in " ".join(response.context["form"].non_field_errors())
    assert Outcome.objects.filter(student=student).count() == 1
    # Another stage, or another year, is a record of its own.
    assert staff_client.post(create_url(student), entry(this_year - 1, form_token="b" * 32)).status_code == 302
    assert Outcome.objects.filter(student=student).count() == 2


def test_a_double_submit_makes_one_record(staff_client, student, this_year):
    first = staff_client.post(create_url(student), entry(this_year))
    again = staff_client.post(create_url(student), entry(this_year))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("classroom:student_detail", args=[student.pk])
    assert Outcome.objects.filter(student=student).count() == 1


def test_staff_edit_an_outcome(staff_client, student, this_year):
    outcome = OutcomeFactory(student=student, fiscal_year=this_year, stage="high_school", result="continuing")
    url = reverse("classroom:outcome_edit", args=[outcome.pk])
    form = open_form(staff_client, url)
    assert form["edit_version"] == "1" and form["result"] == "continuing"
    form.update(result="left_school", decided_on=f"{timezone.localdate():%Y-%m-%d}", reason="financial",
                note="アルバイトで家計を支えるため")
    assert staff_client.post(url, form).status_code == 302
    outcome.refresh_from_db()
    assert (outcome.result, outcome.reason, outcome.version) == ("left_school", "financial", 2)


def test_two_tabs_the_second_save_is_refused_and_shows_both_versions(staff_client, colleague_client, student,
                                                                      this_year):
    outcome = OutcomeFactory(student=student, fiscal_year=this_year, stage="entry", result="undecided", school="")
    url = reverse("classroom:outcome_edit", args=[outcome.pk])
    form_a, form_b = open_form(staff_client, url), open_form(colleague_client, url)
    form_a.update(result="full_time", school="埼玉県立深谷高等学校")
    assert staff_client.post(url, form_a).status_code == 302
    form_b.update(result="correspondence", note="通信制で本人が決めた")
    response = colleague_client.post(url, form_b)

    assert response.status_code == 200
    outcome.refresh_from_db()
    assert (outcome.result, outcome.school, outcome.note) == ("full_time", "埼玉県立深谷高等学校", "")
    html = response.content.decode()
    assert "上書きはしていません" in html and "通信制で本人が決めた" in html
    rows = {row["name"]: (row["mine"], row["saved"]) for row in response.context["form"].conflict_rows}
    assert rows == {"result": ("通信制高校に進学", "全日制高校に進学"), "school": ("", "埼玉県立深谷高等学校"),
                    "note": ("通信制で本人が決めた", "")}
    again = form_values(html)  # B saves again knowingly, from the version now saved
    again.pop("csrfmiddlewaretoken", None)
    assert colleague_client.post(url, again).status_code == 302
    outcome.refresh_from_db()
    assert (outcome.result, outcome.note, outcome.version) == ("correspondence", "通信制で本人が決めた", 3)


def test_an_edit_onto_another_records_year_and_stage_is_refused(staff_client, student, this_year):
    OutcomeFactory(student=student, fiscal_year=this_year, stage="entry")
    other = OutcomeFactory(student=student, fiscal_year=this_year - 1, stage="entry")
    url = reverse("classroom:outcome_edit", args=[other.pk])
    form = open_form(staff_client, url)
    form["fiscal_year"] = str(this_year)
    response = staff_client.post(url, form)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    other.refresh_from_db()
    assert (other.fiscal_year, other.version) == (this_year - 1, 1)


# --- Delete ------------------------------------------------------------------------------------------------
def test_delete_asks_first_then_deletes(staff_client, student):
    outcome = OutcomeFactory(student=student)
    url = reverse("classroom:outcome_delete", args=[outcome.pk])
    page = staff_client.get(url).content.decode()
    assert "完全に削除" in page and outcome.school in page
    assert Outcome.objects.filter(pk=outcome.pk).exists()
    assert staff_client.post(url, open_form(staff_client, url)).status_code == 302
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


def test_delete_of_an_outcome_changed_meanwhile_shows_it_again(staff_client, colleague_client, student):
    outcome = OutcomeFactory(student=student, result="undecided")
    delete_url = reverse("classroom:outcome_delete", args=[outcome.pk])
    confirm = open_form(staff_client, delete_url)
    edit_url = reverse("classroom:outcome_edit", args=[outcome.pk])
    form = open_form(colleague_client, edit_url)
    form["result"] = "kosen"
    assert colleague_client.post(edit_url, form).status_code == 302
    response = staff_client.post(delete_url, confirm)
    assert response.status_code == 200 and "高専" in response.content.decode()
    assert Outcome.objects.get(pk=outcome.pk).result == "kosen"
    assert staff_client.post(delete_url, form_values(response.content.decode())).status_code == 302
    assert not Outcome.objects.filter(pk=outcome.pk).exists()


# --- Who may ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", ["coordinator_client", "volunteer_client", "outsider_client"])
def test_only_staff_write_outcomes(request, persona, student, this_year):
    client = request.getfixturevalue(persona)
    outcome = OutcomeFactory(student=student, fiscal_year=this_year - 1)
    for url in (create_url(student), reverse("classroom:outcome_edit", args=[outcome.pk]),
                reverse("classroom:outcome_delete", args=[outcome.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, entry(this_year)).status_code == 404
    assert Outcome.objects.filter(student=student).count() == 1


def test_another_sites_child_and_outcome_are_404(staff_client, other_site, this_year):
    stranger = StudentFactory(site=other_site, school_grade=Grade.J3)
    outcome = OutcomeFactory(student=stranger)
    assert staff_client.get(create_url(stranger)).status_code == 404
    assert staff_client.post(create_url(stranger), entry(this_year)).status_code == 404
    for name in ("classroom:outcome_edit", "classroom:outcome_delete"):
        assert staff_client.get(reverse(name, args=[outcome.pk])).status_code == 404
        assert staff_client.post(reverse(name, args=[outcome.pk]), entry(this_year)).status_code == 404
    assert Outcome.objects.get(pk=outcome.pk).version == 1 and Outcome.objects.filter(student=stranger).count() == 1


def test_the_service_refuses_a_coordinator_even_without_the_view(coordinator, student, this_year):
    from classroom.exceptions import DomainError
    from classroom.services.outcomes import outcome_save

    with pytest.raises(DomainError):
        outcome_save(outcome=Outcome(student=student, fiscal_year=this_year, stage="entry", result="full_time"),
                     by=coordinator)
    assert not Outcome.objects.filter(student=student).exists()


def test_a_client_without_javascript_or_token_still_records_once(student, staff, this_year):
    client = Client()
    client.force_login(staff)
    data = entry(this_year)
    data.pop("form_token")
    assert client.post(create_url(student), data).status_code == 302
    assert Outcome.objects.filter(student=student).count() == 1
