"""Where the staff find the imports: a link among the actions of the student, volunteer and partner lists."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from classroom import extensions, rules
from dataio.models import ImportKind


def _link(kind: str):
    def url(user) -> str | None:
        return f"{reverse('dataio:import_new')}?kind={kind}" if rules.is_staff(user) else None
    return url


def register() -> None:
    for page, kind in ((extensions.STUDENT_LIST_PAGE, ImportKind.STUDENTS),
                       (extensions.VOLUNTEER_LIST_PAGE, ImportKind.VOLUNTEERS),
                       (extensions.PARTNER_LIST_PAGE, ImportKind.PARTNERS)):
        extensions.register(extensions.PAGE_LINKS, f"import_{kind}", extensions.PageLink(
            page=page, label=_("Import from a spreadsheet"), url=_link(kind)))
