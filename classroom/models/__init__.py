from .attendance import Attendance, AttendanceStatus, ClassDay, ClassDayStatus
from .dropins import DropIn, DropInVisitorCount
from .sites import Site
from .students import (
    Consent,
    ConsentPurpose,
    EnrollmentReason,
    Guardian,
    Household,
    HouseholdContact,
    Student,
    StudentReason,
    StudentStatus,
)
from .tutoring import Subject, TutoringRecord, Understanding

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "ClassDay",
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
