"""The demo data shows every kind of warning, and the demo staff see them."""

import factory.random

from casework import warnings
from casework.demo import seed_warnings_demo
from casework.models import Contact, HomeVisit
from classroom.demo import ClassroomDemo


def test_demo_triggers_every_warning(db):
    factory.random.reseed_random(7)
    demo = ClassroomDemo()
    demo.seed(30)
    counts = seed_warnings_demo(demo)
    assert counts["home visits"] >= 5 and HomeVisit.objects.exists() and Contact.objects.exists()
    card = warnings.card_for(demo.users["staff"])
    found = {kind for kind, _label, n in card["counts"] if n}
    assert found == set(warnings.KINDS)


def test_demo_shares_rest_on_a_consent_that_covers_them_or_an_exception(db):
    from casework.models import InformationShare, ShareBasis
    from classroom.models import Consent

    factory.random.reseed_random(7)
    demo = ClassroomDemo()
    demo.seed(30)
    seed_warnings_demo(demo)
    consents = Consent.objects.filter(purpose="info_sharing")
    assert consents.exists() and not consents.filter(recipient_kinds="").exists()
    shares = list(InformationShare.objects.select_related("consent"))
    assert {s.basis for s in shares} >= {ShareBasis.CONSENT, ShareBasis.CHILD_WELFARE}
    for share in shares:
        if share.basis == ShareBasis.CONSENT:
            assert share.consent.covers(share.recipient_kind)
        else:
            assert share.exception_reason
