"""Fifteen people answering "going" at once for ten places: exactly ten go, five wait, nobody sees an error."""

import threading

import pytest
from django.db import connection

from activities.factories import ActivityFactory, ParticipantFactory
from activities.models import Answer, Participant
from activities.services.participants import participant_answer
from classroom.factories import StudentFactory

# The roles are rows made by a data migration; keep them across this transactional test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fifteen_simultaneous_sign_ups_never_exceed_capacity(site, staff):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write behind one lock")
    activity = ActivityFactory(site=site, lead=staff, capacity=10, consent_required=False)
    people = [ParticipantFactory(activity=activity, answer=Answer.INVITED, student=StudentFactory(site=site))
              for _ in range(15)]
    start = threading.Barrier(len(people))
    failures: list[BaseException] = []

    def sign_up(participant):
        try:
            start.wait(timeout=30)
            participant_answer(participant=participant, answer=Answer.GOING, by=staff)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures
    answers = list(Participant.objects.filter(activity=activity).values_list("answer", flat=True))
    assert answers.count(Answer.GOING) == 10
    assert answers.count(Answer.WAITLISTED) == 5


def test_simultaneous_declines_promote_each_waitlisted_once(site, staff):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises every write behind one lock")
    activity = ActivityFactory(site=site, lead=None, capacity=5, consent_required=False)
    going = [ParticipantFactory(activity=activity, answer=Answer.GOING, student=StudentFactory(site=site))
             for _ in range(5)]
    for _ in range(3):
        ParticipantFactory(activity=activity, answer=Answer.WAITLISTED, student=StudentFactory(site=site))
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def decline(participant):
        try:
            start.wait(timeout=30)
            participant_answer(participant=participant, answer=Answer.DECLINED, by=staff)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decline, args=(p,)) for p in going[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    answers = list(Participant.objects.filter(activity=activity).values_list("answer", flat=True))
    assert answers.count(Answer.GOING) == 4  # 1 left + 3 promoted, never more than 5
    assert answers.count(Answer.WAITLISTED) == 0
    assert answers.count(Answer.DECLINED) == 4
