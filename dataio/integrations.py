"""What dataio adds to classroom's pages: the legal hold on the student page. Registered in
``classroom.extensions`` by ``DataioConfig.ready``; classroom never imports this app."""

from __future__ import annotations

from classroom import extensions
from dataio.views.retention import student_page_section


def register() -> None:
    extensions.register(extensions.STUDENT_PAGE_SECTIONS, "legal_hold", student_page_section, order=90)
