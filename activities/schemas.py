import datetime as dt

from ninja import Schema

from lib.schema_types import WallTime, bounded_text


class ActivityOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    partner: str | None
    date: dt.date
    start_time: WallTime
    end_time: WallTime
    place: str
    status: str
    status_label: str
    capacity: int
    going: int
    waitlisted: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_partner(obj) -> str | None:
        return obj.partner.name if obj.partner_id else None

    @staticmethod
    def resolve_going(obj) -> int:
        return obj.going_count

    @staticmethod
    def resolve_waitlisted(obj) -> int:
        return obj.waitlist_count


class ActivityPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ActivityOut]


class CancelIn(Schema):
    reason: bounded_text(200)  # Activity.cancel_reason
