import datetime as dt

from ninja import Schema

from lib.names import person_name


class VolunteerSiteOut(Schema):
    id: int
    name: str


class TeachingOut(Schema):
    subject: str
    level: str


class VolunteerOut(Schema):
    id: int
    username: str
    name: str
    name_kana: str  # the reading of the name, in katakana ("" when not recorded)
    kind: str
    kind_label: str
    teaching: list[TeachingOut]
    sites: list[VolunteerSiteOut]
    usual_weekdays: list[int]
    max_children: int
    pledge_signed_on: dt.date | None
    insurance_expires_on: dt.date | None
    training_completed_on: dt.date | None
    joined_on: dt.date
    is_active: bool

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj) -> str:
        return person_name(obj.user)

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_teaching(obj) -> list[dict]:
        return [{"subject": t.subject, "level": t.level} for t in obj.teaching.all()]

    @staticmethod
    def resolve_sites(obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.sites.all()]

    @staticmethod
    def resolve_usual_weekdays(obj) -> list[int]:
        return obj.weekday_numbers


class VolunteerPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[VolunteerOut]
