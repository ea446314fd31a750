"""Telling a site's coordinators that their pairing plan changed under them.

When a child leaves or a volunteer's access ends, the pairs and sign-ups that can no longer
happen are removed in the same service call; this queues the mail (through the outbox) that
tells the coordinators of the site which class days to plan again.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from classroom import rules
from classroom.models import MessageKind, OutgoingMessage
from classroom.services.outbox import message_enqueue


def site_coordinator_emails(site_id: int) -> list[str]:
    """The addresses of the active coordinators who run the site."""
    return list(
        rules.role_holders(rules.COORDINATOR, sites=site_id)
        .exclude(email="").order_by("pk").values_list("email", flat=True).distinct()
    )


def coordinators_notify(*, site_id: int, subject: str, template: str, context: dict) -> OutgoingMessage | None:
    """Queue one mail to the site's coordinators, in the site's language; None when none has an address.

    Write ``subject`` in ``settings.LANGUAGE_CODE`` too. Call this in the transaction of the change it
    reports: the mail goes only if the change is kept.
    """
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    return message_enqueue(to=site_coordinator_emails(site_id), subject=subject, body=body,
                           kind=MessageKind.COORDINATOR_NOTICE, site=site_id)
