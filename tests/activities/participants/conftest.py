"""Activities with students, guardians and others for the participants' tests."""

import datetime as dt
import io

import pytest
from django.utils import timezone, translation

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Answer, ParticipantRole
from classroom.factories import GuardianFactory, HouseholdFactory, StudentFactory

HX = {"HTTP_HX_REQUEST": "true"}


def ja(message: str) -> str:
    with translation.override("ja"):
        return str(translation.gettext(message))



@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def activity(site, staff):
    return ActivityFactory(site=site, lead=staff, capacity=10, date=timezone.localdate() + dt.timedelta(days=14),
                           title="野菜の収穫体験", consent_required=False)


@pytest.fixture
def today_activity(site, staff):
    return ActivityFactory(site=site, lead=staff, capacity=30, date=timezone.localdate(), title="野菜の収穫体験",
                           consent_required=False)


@pytest.fixture
def family(site):
    """A household: a student, the student's younger brother (also on the roster) and their mother."""
    household = HouseholdFactory()
    student = StudentFactory(site=site, household=household, family=("山田", "ヤマダ"), given=("花子", "ハナコ"))
    sibling = StudentFactory(site=site, household=household, family=("山田", "ヤマダ"), given=("太郎", "タロウ"))
    mother = GuardianFactory(household=household, family=("山田", "ヤマダ"), given=("良子", "ヨシコ"),
                             relationship="母", phone="090-1234-5678")
    return {"student": student, "sibling": sibling, "mother": mother, "household": household}


@pytest.fixture
def add_people():
    """``add_people(activity, n, answer=..., role=...)``: n participants (students unless a role is given)."""

    def _add(activity, n, *, answer=Answer.GOING, role=ParticipantRole.STUDENT, **kwargs):
        people = []
        for i in range(n):
            if role == ParticipantRole.STUDENT:
                people.append(ParticipantFactory(activity=activity, answer=answer,
                                                 student=StudentFactory(site=activity.site), **kwargs))
            else:
                people.append(ParticipantFactory(activity=activity, answer=answer, role=role, student=None,
                                                 name=f"参加者{i}", name_kana="サンカシャ", **kwargs))
        return people

    return _add


def png_bytes(size=(40, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 90)).save(buffer, format="PNG")
    return buffer.getvalue()
