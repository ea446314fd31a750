from ninja import Schema


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]


class SiteOut(Schema):
    id: int
    name: str
