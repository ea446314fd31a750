"""The outcome record (進路): a result belongs to its stage; leaving needs a date; reasons only for leaving."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from classroom.factories import ClassDayFactory, StudentFactory
from classroom.models import ClassDayKind, Outcome, OutcomeResult, OutcomeStage
from classroom.models.outcomes import RESULTS_BY_STAGE

pytestmark = pytest.mark.django_db


def outcome(**values):
    return Outcome(student=StudentFactory(), fiscal_year=2025, **values)


def errors_of(record) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        record.clean()
    return set(caught.value.message_dict)


def test_every_result_offered_has_a_label_and_every_stage_offers_results():
    labels = dict(OutcomeResult.choices)
    assert set(RESULTS_BY_STAGE) == set(OutcomeStage.values)
    assert all(result in labels for results in RESULTS_BY_STAGE.values() for result in results)


def test_a_result_of_another_stage_is_refused():
    assert errors_of(outcome(stage=OutcomeStage.HIGH_SCHOOL_ENTRY, result=OutcomeResult.GRADUATED)) == {"result"}
    outcome(stage=OutcomeStage.HIGH_SCHOOL_ENTRY, result=OutcomeResult.PART_TIME, school="県立北高校").clean()


def test_leaving_school_or_the_program_needs_its_date_and_only_they_take_a_reason():
    assert errors_of(outcome(stage=OutcomeStage.HIGH_SCHOOL, result=OutcomeResult.LEFT_SCHOOL)) == {"decided_on"}
    assert errors_of(outcome(stage=OutcomeStage.LEFT_PROGRAM, result=OutcomeResult.MOVED)) == {"decided_on"}
    outcome(stage=OutcomeStage.HIGH_SCHOOL, result=OutcomeResult.LEFT_SCHOOL, decided_on=dt.date(2026, 2, 10),
            reason="financial").clean()
    assert errors_of(outcome(stage=OutcomeStage.HIGH_SCHOOL, result=OutcomeResult.CONTINUING,
                             reason="financial")) == {"reason"}


def test_one_record_per_child_fiscal_year_and_stage():
    first = outcome(stage=OutcomeStage.HIGH_SCHOOL_ENTRY, result=OutcomeResult.FULL_TIME)
    first.save()
    assert first.entered_high_school
    Outcome.objects.create(student=first.student, fiscal_year=2026, stage=OutcomeStage.HIGH_SCHOOL,
                           result=OutcomeResult.CONTINUING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outcome.objects.create(student=first.student, fiscal_year=2025, stage=OutcomeStage.HIGH_SCHOOL_ENTRY,
                               result=OutcomeResult.UNDECIDED)


def test_class_days_are_group_classrooms_unless_said_otherwise():
    assert ClassDayFactory().kind == ClassDayKind.GROUP
