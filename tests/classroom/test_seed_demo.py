import io
import re

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


def test_seed_demo_prints_every_login_the_readme_lists_with_the_password(db):
    """The README's table of demo logins is what `make run` prints, the admin included."""
    from pathlib import Path

    from django.conf import settings
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from classroom.factories import DEMO_PASSWORD

    output = _seed("--students", "3")
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    assert f"**`{DEMO_PASSWORD}`**" in readme
    assert f"password for all: {DEMO_PASSWORD}" in output
    listed = re.findall(r"^\|[^|\n]+\| `(\w+)` \| `/", readme, flags=re.M)
    assert set(listed) == {"staff", "coordinator", "volunteer", "staffadmin", "admin"}
    printed = re.findall(r"^  .{19} (\w+)", output, flags=re.M)
    assert printed == ["staff", "coordinator", "volunteer", "staffadmin", "admin"]
    request = RequestFactory().post("/accounts/login/")  # the sign-in throttling asks whose request it is
    for username in listed:
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username
    assert "admin  (Django admin only: /admin/)" in output


def test_make_run_serves_on_host_and_port_the_readme_names(db):
    from pathlib import Path

    from django.conf import settings

    base = Path(settings.BASE_DIR)
    makefile, readme = (base / "Makefile").read_text(), (base / "README.md").read_text()
    assert "HOST ?= 127.0.0.1" in makefile and "PORT ?= 8000" in makefile
    assert "runserver $(HOST):$(PORT)" in makefile
    assert "make run PORT=" in readme and "HOST=" in readme


def test_if_empty_on_a_database_without_demo_users_prints_no_logins(db):
    from classroom.factories import StudentFactory

    StudentFactory()
    output = _seed("--if-empty")
    assert "not loaded" in output
    assert "No demo logins" in output and "password" not in output


def _empty():
    from activities.models import Activity, Partner
    from casework.models import Contact, HomeVisit, InformationShare

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
