"""An import's speed by construction: its queries do not grow with its rows, and the confirmation
writes from the values the preview validated (kept in the plan) unless the records changed since."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.services.facts import warning_facts_rebuild
from classroom.factories import StudentFactory, UserFactory
from classroom.models import Guardian, Household, Student
from dataio.services import imports as service
from tests.dataio.import_files import STUDENT_HEADINGS, csv_bytes, student_row, student_rows

pytestmark = pytest.mark.django_db


def upload(user, site, rows):
    return service.import_upload(kind="students", site=site, file_name="名簿.csv", by=user,
                                 data=csv_bytes(STUDENT_HEADINGS, rows))


def queries(call) -> int:
    """The statements ``call`` sends; one split by the database's limit on parameters (SQLite: a
    bulk insert or update in batches) counts once."""
    with CaptureQueriesContext(connection) as context:
        call()
    heads = [query["sql"][:60] for query in context.captured_queries]
    return sum(1 for i, head in enumerate(heads)
               if i == 0 or head != heads[i - 1] or not head.startswith(("INSERT", "UPDATE")))


def budget(staff, site, rows) -> tuple[int, int, int, int]:
    """Queries of the preview and the confirmation of ``rows`` new children, then of the preview
    and the confirmation of the same rows with one cell changed in each (every row an update)."""
    Student.objects.all().delete()
    Household.objects.all().delete()
    staff = type(staff).objects.get(pk=staff.pk)  # what a request has: nothing read yet
    runs = []
    counts = [queries(lambda: runs.append(upload(staff, site, rows)))]
    counts.append(queries(lambda: service.import_confirm(run_id=runs[-1].pk, user=staff)))
    changed = [[*row[:5], "深谷市立北中学校", *row[6:12], f"048-555-{n:04d}"] for n, row in enumerate(rows)]
    counts.append(queries(lambda: runs.append(upload(staff, site, changed))))
    assert runs[-1].update_count == len(rows), runs[-1].plan[:2]
    counts.append(queries(lambda: service.import_confirm(run_id=runs[-1].pk, user=staff)))
    assert Student.objects.filter(school="深谷市立北中学校").count() == len(rows)
    return tuple(counts)


def test_the_queries_of_a_preview_and_a_confirmation_do_not_grow_with_the_rows(staff, site):
    StudentFactory(site=site, staff_in_charge=UserFactory(roles=["staff"], sites=[site]))
    small, large = budget(staff, site, student_rows(20)), budget(staff, site, student_rows(200))
    assert small == large, (small, large)


def test_the_confirmation_writes_the_kept_values_without_validating_again(staff, site, monkeypatch):
    rows = student_rows(4)
    service.import_confirm(run_id=upload(staff, site, rows).pk, user=staff)
    rows[0][5] = "深谷市立北中学校"  # an update
    rows[1][12] = "048-555-0000"  # the household's guardian's phone
    rows.append(student_row(4))  # a new child
    run = upload(staff, site, rows)
    assert [row["action"] for row in run.plan] == ["update", "update", "unchanged", "unchanged", "new"]

    def no_second_planning(*args, **kwargs):
        raise AssertionError("the rows were planned again")
    monkeypatch.setattr(service.StudentPlanner, "rows", no_second_planning)
    run, written = service.import_confirm(run_id=run.pk, user=staff)
    assert written and run.new_count == 1
    assert Student.objects.get(external_id="C00000").school == "深谷市立北中学校"
    assert Guardian.objects.get(household__students__external_id="C00001").phone == "048-555-0000"
    new = Student.objects.get(external_id="C00004")
    assert (new.family_name_kana, new.household.address) == ("タカハシ", "埼玉県深谷市上野台2-1")
    assert new.household.guardians.get().family_name == "高橋"
    assert Student.objects.get(external_id="C00000").version == 2, "an update moves the version on"
    assert warning_facts_rebuild(sites=[site], write=False) == [], "the early-warning facts stay right"


def test_a_record_changed_since_the_preview_makes_the_confirmation_plan_again(staff, site):
    rows = student_rows(2)
    service.import_confirm(run_id=upload(staff, site, rows).pk, user=staff)
    rows[0][5] = "深谷市立北中学校"
    run = upload(staff, site, rows)
    child = Student.objects.get(external_id="C00000")
    child.school = "深谷市立北中学校"  # someone made the same change on the student page meanwhile
    child.save()
    with pytest.raises(service.ImportChanged):
        service.import_confirm(run_id=run.pk, user=staff)
    run.refresh_from_db()
    assert [row["action"] for row in run.plan] == ["unchanged", "unchanged"]
    assert run.state == service.StudentPlanner.state(run, staff), "the new preview's digest"

    # A change that leaves every row's action as it was: planned again and written from the new plan.
    rows[1][5] = "深谷市立西中学校"
    run = upload(staff, site, rows)
    guardian = Guardian.objects.get(household__students__external_id="C00000")
    guardian.email = "sato@example.jp"
    guardian.save()
    run, written = service.import_confirm(run_id=run.pk, user=staff)
    assert written and Student.objects.get(external_id="C00001").school == "深谷市立西中学校"
    assert Guardian.objects.get(pk=guardian.pk).email == "sato@example.jp", "nothing written from the old values"


def test_the_forms_of_the_rows_validate_as_the_screens_do(staff, site):
    """The rows' forms share their widgets but not their fields, choices or messages."""
    from classroom.forms.students import StudentForm

    data = {"family_name": "深谷", "given_name": "ゆい", "family_name_kana": "ふかや", "given_name_kana": "ゆい",
            "birth_date": "1890-01-01", "site": site.pk, "status": "left", "enrolled_on": "2025-04-01",
            "grade_override": "x"}
    screen = StudentForm(data, user=staff)
    row = service.ImportStudentForm(data, user=staff, site=site, staff={})
    assert not screen.is_valid() and not row.is_valid()
    assert row.errors.get_json_data() == screen.errors.get_json_data()
    assert row.fields["status"] is not service.ImportStudentForm.base_fields["status"]
    assert row.fields["status"].choices != service.ImportStudentForm.base_fields["status"].choices, "its own fields"
    assert row.errors["birth_date"] and row.errors["status"] and row.errors["grade_override"]


def test_a_record_saved_between_the_check_and_the_write_stops_the_whole_confirmation(staff, site, monkeypatch):
    rows = student_rows(3)
    service.import_confirm(run_id=upload(staff, site, rows).pk, user=staff)
    rows[0][5], rows[2][5] = "深谷市立北中学校", "深谷市立北中学校"
    rows.append(student_row(3))
    run = upload(staff, site, rows)
    child = Student.objects.get(external_id="C00002")
    child.nickname = "ひーくん"
    child.version += 1  # saved through its form after the confirmation checked the records
    child.save()
    monkeypatch.setattr(service.StudentPlanner, "state", classmethod(lambda cls, run, user: run.state))
    with pytest.raises(service.ImportChanged):
        service.import_confirm(run_id=run.pk, user=staff)
    assert not Student.objects.filter(school="深谷市立北中学校").exists() and Student.objects.count() == 3
    child.refresh_from_db()
    assert child.nickname == "ひーくん"
    run.refresh_from_db()
    assert run.status == "preview"
