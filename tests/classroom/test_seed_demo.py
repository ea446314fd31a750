import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from classroom.models import Attendance, ClassDay, DropInVisitorCount, Guardian, Student, TutoringRecord


def _seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        list(Student.objects.order_by("pk").values_list(
            "family_name", "given_name", "family_name_kana", "given_name_kana", "birth_date", "school", "status")),
        list(Attendance.objects.order_by("class_day__date", "student__family_name_kana", "student__given_name_kana",
                                         "student__birth_date").values_list("status", flat=True)),
    )


def test_seed_demo_builds_realistic_data_and_prints_one_login_per_role(db):
    output = _seed("--seed", "7", "--students", "30")
    assert Student.objects.count() == 30
    assert Guardian.objects.exists()
    assert ClassDay.objects.filter(status="held").exists()
    assert Attendance.objects.exists() and TutoringRecord.objects.exists()
    assert Student.objects.filter(household__students__isnull=False).exclude(
        household__students=None).count() >= 30
    student = Student.objects.first()
    assert all("\u30a0" <= ch <= "\u30ff" for ch in student.family_name_kana)
    assert student.school.endswith(("中学校", "高等学校")) or student.grade_override
    for username in ("staff", "coordinator", "volunteer"):
        assert f" {username}\n" in output


def _empty():
    from activities.models import Activity, Partner
    from classroom.models import Contact, HomeVisit, InformationShare

    Activity.objects.all().delete()
    Partner.objects.all().delete()
    for model in (InformationShare, HomeVisit, Contact):
        model.objects.all().delete()
    Student.objects.all().delete()
    ClassDay.objects.all().delete()
    DropInVisitorCount.objects.all().delete()


def test_the_same_seed_gives_the_same_data(db, django_db_blocker):
    _seed("--seed", "11", "--students", "12")
    first = _snapshot()
    _empty()
    _seed("--seed", "11", "--students", "12")
    assert _snapshot() == first
    _empty()
    _seed("--seed", "12", "--students", "12")
    assert _snapshot() != first


def test_if_empty_leaves_existing_data_alone(db):
    _seed("--students", "5")
    output = _seed("--students", "5", "--if-empty")
    assert Student.objects.count() == 5
    assert "not loaded" in output


def test_seeding_a_database_with_data_is_refused_clearly(db):
    _seed("--students", "3")
    with pytest.raises(CommandError, match="already has students"):
        _seed("--students", "3")
