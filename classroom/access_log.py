"""Record who read or changed a sensitive record: every access to visits, contacts and shares is traceable,
and so is every read of guardians' contacts and health or allergy notes (``CONTACTS``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from classroom.models import AccessLog, Student

VIEW = "view"
CREATE = "create"
UPDATE = "update"
DELETE = "delete"
CONTACTS = "contacts"  # read guardians' phones and contacts, health and allergy notes
STATEMENT = "statement"  # opened (to print) a child's school attendance statement
EXPORT = "export"  # downloaded figures or records as a spreadsheet
# The staff administrator's own use of their screens (oversight): each is an entry too.
LOG_VIEW = "log_view"  # read the access log itself
ACCOUNT_LIST = "account_list"  # read the list of accounts
ACCOUNT_VIEW = "account_view"  # read one account (its roles, sites, sessions, second factor)
ACCOUNT_CREATE = "account_create"
ACCOUNT_CHANGE = "account_change"  # names, email, roles or sites
ACCOUNT_DEACTIVATE = "account_deactivate"  # every session ended with it
ACCOUNT_REACTIVATE = "account_reactivate"
TWO_FACTOR_RESET = "account_2fa_reset"  # the account's authenticator and recovery codes deleted

# What each action is called on the log's page and in its download.
ACTION_LABELS = {
    VIEW: _("Viewed"), CREATE: _("Created"), UPDATE: _("Changed"), DELETE: _("Deleted"), CONTACTS: _("Read contacts and health notes"),
    STATEMENT: _("Opened the school attendance statement"), EXPORT: _("Downloaded"),
    LOG_VIEW: _("Read the access log"), ACCOUNT_LIST: _("Read the list of accounts"),
    ACCOUNT_VIEW: _("Read an account"), ACCOUNT_CREATE: _("Created an account"),
    ACCOUNT_CHANGE: _("Changed an account (name, roles or sites)"), ACCOUNT_DEACTIVATE: _("Deactivated an account"),
    ACCOUNT_REACTIVATE: _("Reactivated an account"), TWO_FACTOR_RESET: _("Reset an account's second factor"),
}


def action_label(action: str) -> str:
    """The action in the reader's language ("Viewed" for one this list does not know)."""
    return str(ACTION_LABELS.get(action, ACTION_LABELS[VIEW]))


def _address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _label(student) -> str:
    """The child's name as read, kept with the entry (when the caller has the child, not only an id)."""
    return "" if student is None or isinstance(student, int) else student.full_name[:120]


def log_access(request, student: Student | int | None, action: str = VIEW) -> None:
    """One AccessLog row: the signed-in user, the student (or its pk), the action, the path and the address."""
    student_id = student if isinstance(student, int) or student is None else student.pk
    AccessLog.objects.create(user=request.user, student_id=student_id, student_label=_label(student), action=action,
                             path=request.get_full_path()[:300], address=_address(request))


def log_contacts_read(request, students: Iterable[Student | int | None]) -> None:
    """A page, print or API answer showed guardians' contacts or health/allergy notes of these children.

    One row per child; a list of people who are not children on the roster (guardians, others
    invited by name) still leaves one row, with no student, so that every read is traced.
    """
    log_list_access(request, [s for s in students if s is not None], CONTACTS)


def log_list_access(request, students: Iterable[Student | int], action: str = VIEW) -> None:
    """A list shows several children: one row per child shown, written in one query."""
    path, address = request.get_full_path()[:300], _address(request)
    labels = {}
    for s in students:
        pk = s if isinstance(s, int) else s.pk
        labels[pk] = labels.get(pk) or _label(s)
    rows = [AccessLog(user=request.user, student_id=pk, student_label=labels[pk], action=action, path=path,
                      address=address) for pk in sorted(labels)]
    if not rows:
        rows = [AccessLog(user=request.user, student_id=None, action=action, path=path, address=address)]
    AccessLog.objects.bulk_create(rows)
