from .access_log import AccessLog
from .attendance import Attendance, AttendanceStatus, ClassDay, ClassDayKind, ClassDayStatus
from .dropins import DropIn, DropInVisitorCount
from .edit_guards import FormSubmission, VersionedModel
from .facts import PresenceFacts
from .outbox import MessageKind, MessageStatus, OutgoingMessage
from .outcomes import LeavingReason, Outcome, OutcomeResult, OutcomeStage
from .sessions import SignedInSession
from .sites import Site
from .students import (
    Consent,
    ConsentPurpose,
    EnrollmentReason,
    Guardian,
    Household,
    HouseholdContact,
    RecipientKind,
    Student,
    StudentReason,
    StudentStatus,
)
from .tokens import ApiToken
from .tutoring import Subject, TutoringRecord, Understanding

__all__ = [
    "ApiToken",
    "SignedInSession",
    "FormSubmission",
    "VersionedModel",
    "MessageKind",
    "MessageStatus",
    "OutgoingMessage",
    "PresenceFacts",
    "RecipientKind",
    "AccessLog",
    "Attendance",
    "AttendanceStatus",
    "ClassDay",
    "ClassDayKind",
    "LeavingReason",
    "Outcome",
    "OutcomeResult",
    "OutcomeStage",
    "ClassDayStatus",
    "Consent",
    "ConsentPurpose",
    "DropIn",
    "DropInVisitorCount",
    "EnrollmentReason",
    "Guardian",
    "Household",
    "HouseholdContact",
    "Site",
    "Student",
    "StudentReason",
    "StudentStatus",
    "Subject",
    "TutoringRecord",
    "Understanding",
]
