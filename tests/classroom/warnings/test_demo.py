"""The demo data shows every kind of warning, and the demo staff see them."""

import factory.random

from classroom import warnings
from classroom.demo import ClassroomDemo
from classroom.demo_warnings import seed_warnings_demo
from classroom.models import Contact, HomeVisit


def test_demo_triggers_every_warning(db):
    factory.random.reseed_random(7)
    demo = ClassroomDemo()
    demo.seed(30)
    counts = seed_warnings_demo(demo)
    assert counts["home visits"] >= 5 and HomeVisit.objects.exists() and Contact.objects.exists()
    card = warnings.card_for(demo.users["staff"])
    found = {kind for kind, _label, n in card["counts"] if n}
    assert found == set(warnings.KINDS)
