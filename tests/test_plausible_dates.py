"""Every date a person types has a plausible range: a typo is refused with a Japanese message.

A contact dated 0001-01-01 was stored before year 1 on PostgreSQL and broke the staff home, the
warnings, the lists, the student page and ``send_warnings`` for everyone; on SQLite the post
answered 500. These tests walk every form class of the project, post implausible dates to each
date field, and check the contact and visit screens, the API and the query strings end to end.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
import re
from io import StringIO

import django_filters
import pytest
from django import forms
from django.core.management import call_command
from django.forms.formsets import BaseFormSet
from django.urls import reverse
from django.utils import timezone

from casework.models import Contact, FollowUpAction, HomeVisit, RecordStatus
from classroom.factories import ClassDayFactory, ConsentFactory, StudentFactory
from lib import plausible
from volunteers.factories import VolunteerFactory

APPS = ("classroom", "casework", "activities", "volunteers", "reporting")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
IMPLAUSIBLE = ["0001-01-01", "9999-12-31", "1899-12-31", "2026-02-31"]


def _project_modules():
    modules = []
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name.endswith((".demo", ".demo_warnings")):
                continue
            modules.append(importlib.import_module(info.name))
    return modules


def _classes(base):
    found = {}
    for module in _project_modules():
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, base) and value.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def _date_fields(fields) -> list[str]:
    return [name for name, field in fields.items() if isinstance(field, plausible.DATE_FIELDS)]


FORMS = {name: cls for name, cls in _classes(forms.BaseForm).items() if _date_fields(cls.base_fields)}


def test_the_walk_finds_the_forms_with_dates():
    assert {"casework.forms.visits.ContactForm", "casework.forms.visits.VisitForm",
            "classroom.forms.students.StudentForm", "activities.forms.activities.ActivityForm",
            "volunteers.forms.manage.VolunteerForm"} <= set(FORMS)


def test_every_form_with_a_date_field_carries_the_plausible_range():
    missing = [name for name, cls in FORMS.items() if not issubclass(cls, plausible.PlausibleDatesMixin)]
    assert not missing, f"use PlausibleForm / PlausibleModelForm for: {missing}"


def test_every_formset_and_filter_with_a_date_carries_the_plausible_range():
    for name, formset in _classes(BaseFormSet).items():
        form = getattr(formset, "form", None)
        if form is not None and _date_fields(form.base_fields):
            assert issubclass(form, plausible.PlausibleDatesMixin), name
    for name, filterset in _classes(django_filters.FilterSet).items():
        dated = [f for f in filterset.base_filters.values()
                 if issubclass(f.field_class, (*plausible.DATE_FIELDS, forms.MultiValueField))]
        if dated:
            assert issubclass(filterset._meta.form, plausible.PlausibleDatesMixin), name


# --- Every form, every date field, every implausible value ---------------------------------------
@pytest.fixture
def form_arguments(site, staff, volunteer):
    """What each form's constructor asks for, by parameter name."""
    child = StudentFactory(site=site, birth_date=dt.date(2012, 5, 1))
    me = VolunteerFactory(user=volunteer, sites=[site])
    return {
        "user": staff, "student": child, "site": site, "volunteer": me, "instance": None,
        "staff_queryset": None, "with_site": True,
    }


def _build(cls, data, arguments):
    kwargs = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            assert name in arguments, f"{cls.__name__} needs '{name}': add it to form_arguments"
            kwargs[name] = arguments[name]
    return cls(data=data, **kwargs)


def _typed(field, value: str) -> str:
    return f"{value}T00:00" if isinstance(field, forms.DateTimeField) else value


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_every_form_refuses_implausible_dates_in_japanese(form_name, form_arguments):
    cls = FORMS[form_name]
    fields = _build(cls, {}, form_arguments).fields
    dated = _date_fields(fields)
    assert dated
    for name in dated:
        widget = fields[name].widget
        assert widget.attrs.get("min") and widget.attrs.get("max"), f"{form_name}.{name}: no min/max"
        for value in IMPLAUSIBLE:
            form = _build(cls, {name: _typed(fields[name], value)}, form_arguments)
            assert not form.is_valid()
            errors = form.errors.get(name)
            assert errors, f"{form_name}.{name} accepted {value}"
            assert all(JAPANESE.search(str(e)) for e in errors), (form_name, name, value, errors)


def test_birth_dates_from_1980_to_today():
    first, last = plausible.bounds(plausible.BIRTH)
    assert (first, last) == (dt.date(1980, 1, 1), timezone.localdate())
    assert plausible.is_plausible(dt.date(1980, 1, 1), plausible.BIRTH)
    assert not plausible.is_plausible(dt.date(1979, 12, 31), plausible.BIRTH)
    assert not plausible.is_plausible(timezone.localdate() + dt.timedelta(days=1), plausible.BIRTH)
    first, last = plausible.bounds()
    assert first == dt.date(1990, 1, 1) and last.year == timezone.localdate().year + 10


# --- The contact and visit that broke the pages, end to end ----------------------------------------
def _hidden_inputs(html: str) -> dict:
    return {m[0]: m[1] for m in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


@pytest.fixture
def child(site, staff):
    return StudentFactory(site=site, family_name="森", given_name="大地", staff_in_charge=staff,
                          enrolled_on=dt.date(2025, 4, 1))


def _contact_data(child, staff, when):
    return {
        "student": child.pk, "kind": "phone", "contacted_at": when, "with_whom": "母", "notes": "欠席の理由を確認",
        "concern_level": "watch", "followups-TOTAL_FORMS": "1", "followups-INITIAL_FORMS": "0",
        "followups-MIN_NUM_FORMS": "0", "followups-MAX_NUM_FORMS": "1000", "followups-0-description": "",
        "followups-0-owner": str(staff.pk), "followups-0-due_on": "",
    }


def _visit_data(child, staff, when):
    return {
        "student": child.pk, "visited_at": when, "staff": [staff.pk], "purpose": "absences", "family_met": "True",
        "living_environment": "部屋は片付いていた", "concern_level": "watch", "next_visit_due": "",
        "followups-TOTAL_FORMS": "1", "followups-INITIAL_FORMS": "0", "followups-MIN_NUM_FORMS": "0",
        "followups-MAX_NUM_FORMS": "1000", "followups-0-description": "", "followups-0-owner": str(staff.pk),
        "followups-0-due_on": "", "action": "finish",
    }


def _post_create(client, url_name, data, child):
    url = reverse(url_name) + f"?student={child.pk}"
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {**_hidden_inputs(page.content.decode()), **data})


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T10:00", "2026-02-31T10:00"])
def test_contact_with_an_implausible_date_is_refused_and_nothing_saved(staff_client, child, staff, when):
    response = _post_create(staff_client, "casework:contact_create", _contact_data(child, staff, when), child)
    assert response.status_code == 200
    errors = response.context["form"].errors["contacted_at"]
    assert JAPANESE.search(errors[0])
    assert errors[0] in response.content.decode()
    assert not Contact.objects.filter(student=child).exists()
    assert not FollowUpAction.objects.filter(student=child).exists()


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T10:00"])
def test_visit_with_an_implausible_date_is_refused_and_nothing_saved(staff_client, child, staff, when):
    response = _post_create(staff_client, "casework:visit_create", _visit_data(child, staff, when), child)
    assert response.status_code == 200
    assert JAPANESE.search(response.context["form"].errors["visited_at"][0])
    assert not HomeVisit.objects.filter(student=child, status=RecordStatus.DONE).exists()


def test_visit_autosave_keeps_an_implausible_date_out_of_the_draft(staff_client, child, staff):
    response = staff_client.post(reverse("casework:visit_autosave_new"), {
        "student": child.pk, "visited_at": "0001-01-01T00:00", "living_environment": "玄関に靴が散乱"})
    assert response.status_code == 200
    draft = HomeVisit.objects.get(student=child)
    assert draft.visited_at.year > 1990
    # and every page that shows the child still opens
    for url in (reverse("classroom:home_staff"), reverse("casework:warning_list"), reverse("casework:contact_list"), reverse("casework:visit_list"),
                reverse("classroom:student_detail", args=[child.pk]), reverse("classroom:student_timeline", args=[child.pk]),
                reverse("casework:visit_edit", args=[draft.pk])):
        assert staff_client.get(url).status_code == 200, url


def test_a_plausible_date_is_still_saved(staff_client, child, staff):
    response = _post_create(staff_client, "casework:contact_create", _contact_data(child, staff, "1990-01-01T09:00"), child)
    assert response.status_code == 302
    assert Contact.objects.get(student=child).contacted_at.year == 1990


def test_send_warnings_with_the_oldest_records(site, child, staff):
    """The oldest dates the forms let through (and a legacy row far older) do not break the daily email."""
    staff.email = "sato@example.jp"
    staff.save()
    tokyo = timezone.get_current_timezone()
    Contact.objects.create(student=child, kind="phone", status=RecordStatus.DONE, staff=staff,
                           contacted_at=dt.datetime(1990, 1, 1, 0, 0, tzinfo=tokyo))
    HomeVisit.objects.create(student=child, status=RecordStatus.DONE, purpose="regular", family_met=True,
                             visited_at=dt.datetime(1000, 1, 2, 0, 0, tzinfo=tokyo), created_by=staff,
                             next_visit_due=dt.date(1990, 1, 1))
    out = StringIO()
    call_command("send_warnings", stdout=out)
    assert "emails sent 1" in out.getvalue() or "sent 1" in out.getvalue()


# --- Query strings and the API ----------------------------------------------------------------------
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-31", "1899-01-01", "x"])
def test_timeline_dates_out_of_range_answer_a_message(staff_client, child, value):
    response = staff_client.get(reverse("classroom:student_timeline", args=[child.pk]), {"start": value, "end": value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["start"] and all(JAPANESE.search(e) for e in errors["start"])
    assert errors["start"][0] in response.content.decode()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-31", "20-01-01"])
def test_create_pages_prefilled_with_an_implausible_date_open_without_it(staff_client, value):
    for name in ("classroom:class_day_create", "activities:activity_create"):
        response = staff_client.get(reverse(name), {"date": value})
        assert response.status_code == 200
        assert f'value="{value}"' not in response.content.decode()
    response = staff_client.get(reverse("classroom:class_day_create"), {"date": "2026-11-02"})
    assert 'value="2026-11-02"' in response.content.decode()


@pytest.mark.parametrize("value", ["0001-01", "9999-12", "0000-00", "2026-13"])
def test_calendars_fall_back_to_this_month(staff_client, value):
    for name in ("classroom:class_day_calendar", "activities:activity_calendar"):
        assert staff_client.get(reverse(name), {"month": value}).status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_invitation_reply_date_falls_back(staff_client, site, staff, value):
    from activities.factories import ActivityFactory

    activity = ActivityFactory(site=site, lead=staff, date=timezone.localdate() + dt.timedelta(days=20))
    response = staff_client.get(reverse("activities:activity_print_invitation", args=[activity.pk]), {"reply_by": value})
    assert response.status_code == 200
    assert response.context["reply_by"] == max(activity.date - dt.timedelta(days=7), timezone.localdate())


def test_date_param():
    assert plausible.date_param("2026-11-02") == dt.date(2026, 11, 2)
    for value in ("", None, "0001-01-01", "9999-12-31", "2026-02-30", "2026-11-02x"):
        assert plausible.date_param(value) is None


def test_api_dates_refuse_implausible_values_in_japanese():
    from ninja import Schema
    from pydantic import ValidationError

    class Probe(Schema):
        on: plausible.PlausibleDate
        born: plausible.PlausibleBirthDate | None = None

    assert Probe(on="2026-11-02").on == dt.date(2026, 11, 2)
    for value in ("0001-01-01", "9999-12-31", "1899-12-31"):
        with pytest.raises(ValidationError) as caught:
            Probe(on=value)
        assert JAPANESE.search(str(caught.value))
    with pytest.raises(ValidationError):
        Probe(on="2026-11-02", born="1979-12-31")


def test_every_api_input_date_is_plausible():
    """A date or datetime an API operation accepts must be a Plausible type."""
    from ninja import Schema

    allowed = {plausible.PlausibleDate, plausible.PlausibleBirthDate, plausible.PlausibleDateTime}
    checks = {m.func for kind in allowed for m in kind.__metadata__}
    for name, schema in _classes(Schema).items():
        if not name.split(".")[-1].endswith("In"):
            continue
        for field_name, field in schema.model_fields.items():
            if field.annotation in (dt.date, dt.datetime):
                # A required Plausible field: pydantic keeps the date as the annotation, the check as metadata.
                assert {getattr(m, "func", None) for m in field.metadata} & checks, f"{name}.{field_name}"
            elif any(a in (dt.date, dt.datetime) for a in getattr(field.annotation, "__args__", ())):
                assert field.annotation in allowed or set(field.annotation.__args__) & allowed, \
                    f"{name}.{field_name}"


def test_volunteer_exception_with_an_implausible_date_saves_nothing(staff_client, site, volunteer):
    me = VolunteerFactory(user=volunteer, sites=[site])
    before = me.exceptions.count()
    for value in IMPLAUSIBLE:
        response = staff_client.post(reverse("volunteers:availability_exception_add", args=[me.pk]),
                                     {"date": value, "available": "False", "note": ""})
        assert response.status_code == 200 and response.context["form"].errors["date"]
    assert me.exceptions.count() == before


def test_class_day_and_consent_with_implausible_dates_save_nothing(staff_client, site, child):
    ClassDayFactory(site=site, date=dt.date(2026, 11, 2))
    ConsentFactory(student=child)
    from classroom.models import ClassDay, Consent

    days, consents = ClassDay.objects.count(), Consent.objects.count()
    for value in IMPLAUSIBLE:
        response = staff_client.post(reverse("classroom:class_day_create"), {
            "site": site.pk, "date": value, "start_time": "17:00", "end_time": "19:00"})
        assert response.status_code == 200
        response = staff_client.post(reverse("classroom:consent_add", args=[child.pk]), {
            "purpose": "information_sharing", "given_on": value, "partners": "在籍校"})
        assert response.status_code in (200, 302)
    assert (ClassDay.objects.count(), Consent.objects.count()) == (days, consents)


# --- The admin and the daily commands ---------------------------------------------------------------
def test_every_admin_form_carries_the_plausible_range():
    from django.contrib import admin as django_admin

    assert django_admin.site._registry
    for model, model_admin in django_admin.site._registry.items():
        assert issubclass(model_admin.form, plausible.PlausibleDatesMixin), model
        for inline in model_admin.inlines:
            assert issubclass(inline.form, plausible.PlausibleDatesMixin), (model, inline)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_admin_refuses_an_implausible_class_day(client, site, value):
    from classroom.factories import UserFactory
    from classroom.models import ClassDay

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(reverse("admin:classroom_classday_add"), {
        "site": site.pk, "date": value, "start_time": "17:00", "end_time": "19:00", "status": "scheduled",
        "cancel_reason": "", "note": ""})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date"]
    assert JAPANESE.search(errors[0])
    assert not ClassDay.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_daily_commands_refuse_an_implausible_date(value):
    from django.core.management.base import CommandError

    for command in ("send_warnings", "send_reminders"):
        with pytest.raises(CommandError, match="--date"):
            call_command(command, "--date", value, stdout=StringIO())
