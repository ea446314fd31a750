"""Loading the solver's inputs: a fixed number of queries and at most three tutoring records per
child, however long the history."""

import datetime as dt

from classroom.models import ClassDay, TutoringRecord
from volunteers import pairing
from volunteers.services.pairing import pairing_inputs, recent_tutoring


def add_history(day, children, tutors, *, years, after_years=0):
    """A held class day every week from ``after_years`` to ``years`` years before ``day``, each
    child tutored on each, the tutors in turn (bulk inserts)."""
    weeks = range(52 * after_years + 1, 52 * years + 1)
    past = ClassDay.objects.bulk_create([ClassDay(site=day.site, date=day.date - dt.timedelta(weeks=w), status="held")
                                         for w in weeks])
    TutoringRecord.objects.bulk_create([
        TutoringRecord(class_day=p, student=child, tutor=tutors[(n + w) % len(tutors)].user, subjects="maths")
        for w, p in zip(weeks, past, strict=True) for n, child in enumerate(children)])


def test_the_same_queries_for_one_and_five_years_of_history(day, make_children, make_volunteer, count_queries):
    children = make_children(4)
    tutors = [make_volunteer(max_children=2) for _ in range(3)]

    def measure():
        with count_queries() as q:
            _students, _volunteers, kids, _tutors = pairing_inputs(day)
        return q.count, kids

    add_history(day, children, tutors, years=1)
    one_year, kids_one = measure()
    add_history(day, children, tutors, years=5, after_years=1)
    assert ours_records(day) == 4 * 52 * 5
    five_years, kids_five = measure()
    assert one_year == five_years
    assert kids_one == kids_five  # the latest sessions are the same: the older years change nothing


def ours_records(day):
    return TutoringRecord.objects.filter(class_day__site=day.site).count()


def test_at_most_three_records_per_child_are_loaded_the_newest_first(day, make_children, make_volunteer):
    children = make_children(3)
    tutors = [make_volunteer() for _ in range(4)]
    add_history(day, children, tutors, years=5)
    history = recent_tutoring([c.pk for c in children], before=day.date)
    assert sorted(history) == sorted(c.pk for c in children)
    for n, child in enumerate(children):
        records = history[child.pk]
        assert len(records) == pairing.RECENT_SESSIONS
        dates = [ClassDay.objects.get(pk=r.class_day_id).date for r in records]
        assert dates == [day.date - dt.timedelta(weeks=w) for w in (1, 2, 3)]
        assert [r.tutor_id for r in records] == [tutors[(n + w) % 4].user_id for w in (1, 2, 3)]


def test_a_child_with_fewer_sessions_gets_what_there_is(day, make_children, make_volunteer):
    child, newcomer = make_children(2)
    tutor = make_volunteer()
    past = ClassDay.objects.create(site=day.site, date=day.date - dt.timedelta(weeks=1), status="held")
    TutoringRecord.objects.create(class_day=past, student=child, tutor=tutor.user, subjects="english")
    history = recent_tutoring([child.pk, newcomer.pk], before=day.date)
    assert [r.tutor_id for r in history[child.pk]] == [tutor.user_id]
    assert history[newcomer.pk] == []
    kids = {k.id: k for k in pairing_inputs(day)[2]}
    assert kids[child.pk].recent_tutors == (tutor.pk,)
    assert kids[newcomer.pk].recent_tutors == ()
