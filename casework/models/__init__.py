from .facts import CaseFacts
from .visits import (
    EXCEPTION_BASES,
    ConcernLevel,
    Contact,
    ContactKind,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    RecordStatus,
    ShareBasis,
    StaffOnlyQuerySet,
    VisitPurpose,
    WarningNotice,
    WarningSettings,
)

__all__ = [
    "CaseFacts",
    "EXCEPTION_BASES",
    "ConcernLevel",
    "Contact",
    "ContactKind",
    "FollowUpAction",
    "HomeVisit",
    "InformationShare",
    "RecordStatus",
    "ShareBasis",
    "StaffOnlyQuerySet",
    "VisitPurpose",
    "WarningNotice",
    "WarningSettings",
]
