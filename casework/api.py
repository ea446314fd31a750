"""Case work's API, mounted at ``/api/casework/`` by ``config.api``: no endpoint yet.

Visits, contacts, follow-ups and shares are read on the staff screens only, where every read
is written to the access log; an endpoint here calls the same services and ``visible_to``.
"""

from ninja import Router

router = Router(tags=["casework"])
