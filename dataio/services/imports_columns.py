"""The columns an import understands, per kind: the headings a city's spreadsheet may give them
(the first is the template's), the form field each fills, and the template's example rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from dataio.models import ImportKind
from dataio.services.imports_read import normalise_heading


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    headings: tuple[str, ...]
    help: Any = ""

    @property
    def heading(self) -> str:
        return self.headings[0]


IGNORED = "ignore"

STUDENT_COLUMNS = [
    Column("external_id", _("External id"), ("生徒ID", "児童ID", "ID", "管理番号", "外部ID", "児童番号", "生徒番号"),
           _("The child's number in the city's ledger. Rows are matched on it first.")),
    Column("name", _("Name (family and given)"), ("氏名", "児童氏名", "名前", "生徒氏名"),
           _("Family and given name separated by a space.")),
    Column("name_kana", _("Reading (kana)"), ("ふりがな", "フリガナ", "よみがな", "氏名(ふりがな)", "氏名かな", "かな"),
           _("Hiragana or katakana, a space between family and given name; stored as full-width katakana.")),
    Column("family_name", _("Family name"), ("姓", "氏")),
    Column("given_name", _("Given name"), ("名",)),
    Column("family_name_kana", _("Family name (kana)"), ("姓(ふりがな)", "せい", "セイ", "姓かな", "姓フリガナ")),
    Column("given_name_kana", _("Given name (kana)"), ("名(ふりがな)", "めい", "メイ", "名かな", "名フリガナ")),
    Column("birth_date", _("Date of birth"), ("生年月日", "誕生日"),
           _("2025/4/1, 2025-04-01, 令和7年4月1日 or an Excel date. The grade is worked out from it.")),
    Column("grade", _("Grade (not read)"), ("学年",),
           _("Not read: the grade is worked out from the date of birth.")),
    Column("school", _("School"), ("学校", "学校名", "在籍校")),
    Column("enrolled_on", _("Enrolled on"), ("登録日", "利用開始日", "入室日")),
    Column("nickname", _("Nickname"), ("呼び名", "ニックネーム")),
    Column("reasons", _("Enrollment reasons"), ("利用理由", "世帯区分", "対象区分"),
           _("Separated by 、 or commas, as on the student form (e.g. 生活保護、ひとり親世帯).")),
    Column("weekdays", _("Usual weekdays"), ("来室曜日", "曜日", "利用曜日"), _("For example 月水 or 月、水.")),
    Column("household_key", _("Household key"), ("世帯番号", "世帯ID", "世帯キー"),
           _("Siblings: the same household key on each child's row. Without it, children with the same guardian "
             "(name and reading) and address share a household.")),
    Column("postal_code", _("Postal code"), ("郵便番号", "〒")),
    Column("address", _("Address"), ("住所",)),
    Column("guardian_name", _("Guardian's name"), ("保護者氏名", "保護者名", "保護者")),
    Column("guardian_kana", _("Guardian's reading (kana)"), ("保護者ふりがな", "保護者フリガナ", "保護者よみがな")),
    Column("guardian_relationship", _("Relationship"), ("続柄", "保護者続柄"),
           _("For example 母, 父, 祖母. Left empty for a new guardian: 保護者.")),
    Column("guardian_phone", _("Guardian's phone"), ("保護者電話番号", "電話番号", "電話", "連絡先", "保護者電話"),
           _("Kept as written, with its leading zero.")),
    Column("guardian_email", _("Guardian's email"), ("保護者メール", "メールアドレス", "メール")),
    Column("site", _("Site"), ("教室", "拠点"), _("When given, it must be the site chosen for the import.")),
]

VOLUNTEER_COLUMNS = [
    Column("external_id", _("External id"), ("ボランティアID", "ID", "管理番号", "外部ID"),
           _("Rows are matched on it first, then on the email address, then on name and phone.")),
    Column("name", _("Name (family and given)"), ("氏名", "名前"), _("Family and given name separated by a space.")),
    Column("family_name", _("Family name"), ("姓",)),
    Column("given_name", _("Given name"), ("名",)),
    Column("name_kana", _("Reading (kana)"), ("ふりがな", "フリガナ", "よみがな", "氏名(ふりがな)", "氏名かな", "かな"),
           _("Hiragana or katakana, a space between family and given name; stored as full-width katakana.")),
    Column("family_name_kana", _("Family name (kana)"), ("姓(ふりがな)", "せい", "セイ", "姓かな", "姓フリガナ")),
    Column("given_name_kana", _("Given name (kana)"), ("名(ふりがな)", "めい", "メイ", "名かな", "名フリガナ")),
    Column("username", _("Username"), ("ユーザー名", "ログイン名"),
           _("Optional: made from the email address or the external id when empty. The account gets no password: "
             "an administrator sets one.")),
    Column("email", _("Email"), ("メールアドレス", "メール")),
    Column("phone", _("Phone"), ("電話番号", "電話", "携帯電話")),
    Column("kind", _("Kind"), ("区分", "種別"), _("元教員, 大学生, 社会人 or その他 (as on the volunteer form).")),
    Column("weekdays", _("Usual weekdays"), ("活動曜日", "曜日"), _("For example 月水 or 月、水.")),
    Column("max_children", _("Most children in one class day"), ("担当人数", "最大担当人数")),
    Column("joined_on", _("Joined on"), ("登録日", "活動開始日")),
    Column("pledge_signed_on", _("Confidentiality pledge signed on"), ("誓約書提出日", "誓約書")),
    Column("insurance_expires_on", _("Volunteer insurance expires on"), ("保険期限", "ボランティア保険期限")),
    Column("training_completed_on", _("Training completed on"), ("研修修了日", "研修日")),
    Column("emergency_contact_name", _("Emergency contact"), ("緊急連絡先氏名", "緊急連絡先")),
    Column("emergency_contact_phone", _("Emergency contact phone"), ("緊急連絡先電話番号", "緊急連絡先電話")),
    Column("note", _("Note"), ("備考", "メモ")),
]

PARTNER_COLUMNS = [
    Column("external_id", _("External id"), ("協力先ID", "連携先ID", "ID", "管理番号", "外部ID"),
           _("Rows are matched on it first, then on the name.")),
    Column("name", _("Name"), ("名称", "協力先名", "連携先名", "団体名", "事業所名")),
    Column("kind", _("Kind"), ("種別", "区分"), _("農家, 商店, 企業, NPO, 公的機関 or その他.")),
    Column("contact_person", _("Contact person"), ("担当者", "担当者名")),
    Column("phone", _("Phone"), ("電話番号", "電話")),
    Column("phone2", _("Second phone"), ("電話番号2", "携帯電話")),
    Column("email", _("Email"), ("メールアドレス", "メール")),
    Column("address", _("Address"), ("住所", "所在地")),
    Column("notes", _("Notes"), ("備考", "メモ")),
]

COLUMNS: dict[str, list[Column]] = {
    ImportKind.STUDENTS: STUDENT_COLUMNS, ImportKind.VOLUNTEERS: VOLUNTEER_COLUMNS, ImportKind.PARTNERS: PARTNER_COLUMNS,
}

# Which columns a file must have (any one of each group).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    ImportKind.STUDENTS: [("name", "family_name"), ("name_kana", "family_name_kana"), ("birth_date",)],
    ImportKind.VOLUNTEERS: [("name", "family_name")],
    ImportKind.PARTNERS: [("name",)],
}

EXAMPLES: dict[str, list[dict[str, str]]] = {
    ImportKind.STUDENTS: [
        {"external_id": "A-0001", "name": "深谷 はると", "name_kana": "ふかや はると", "birth_date": "2012/5/14",
         "grade": "中2", "school": "深谷市立南中学校", "reasons": "生活保護、ひとり親世帯", "weekdays": "月水",
         "household_key": "H-01", "postal_code": "366-0001", "address": "埼玉県深谷市上野台1-2-3",
         "guardian_name": "深谷 さくら", "guardian_kana": "ふかや さくら", "guardian_relationship": "母",
         "guardian_phone": "090-1234-5678", "guardian_email": "", "enrolled_on": "令和7年4月1日"},
        {"external_id": "A-0002", "name": "深谷 ゆい", "name_kana": "ふかや ゆい", "birth_date": "2014/11/2",
         "grade": "小6", "school": "深谷市立南小学校", "reasons": "生活保護、ひとり親世帯", "weekdays": "水",
         "household_key": "H-01", "guardian_name": "深谷 さくら", "guardian_kana": "ふかや さくら",
         "guardian_relationship": "母", "guardian_phone": "090-1234-5678", "enrolled_on": "令和7年4月1日"},
    ],
    ImportKind.VOLUNTEERS: [
        {"external_id": "V-001", "name": "岡部 誠", "name_kana": "おかべ まこと", "email": "okabe@example.jp", "phone": "080-1111-2222",
         "kind": "元教員", "weekdays": "火木", "max_children": "2", "joined_on": "2025/4/1",
         "pledge_signed_on": "2025/4/1", "insurance_expires_on": "2026/3/31", "training_completed_on": "2025/4/10"},
    ],
    ImportKind.PARTNERS: [
        {"external_id": "P-01", "name": "花園農園", "kind": "農家", "contact_person": "花園 一郎",
         "phone": "048-555-0101", "address": "埼玉県深谷市小前田100", "notes": "収穫体験（秋）"},
    ],
}


def columns(kind: str) -> list[Column]:
    return COLUMNS[kind]


def column(kind: str, key: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.key == key)


def headings_index(kind: str) -> dict[str, str]:
    """Normalised heading -> column key, for every heading of the kind."""
    index: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for heading in col.headings:
            index.setdefault(normalise_heading(heading), col.key)
    return index


def auto_mapping(kind: str, headings: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """Column index (as text) -> column key: the heading remembered for this site, else a known heading.

    A key is given to its first column only; a later column with the same heading is left out."""
    index = headings_index(kind)
    known = {c.key for c in COLUMNS[kind]}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for i, heading in enumerate(headings):
        normal = normalise_heading(heading)
        key = remembered.get(normal, index.get(normal, ""))
        if key not in known or key in used:
            key = ""
        if key:
            used.add(key)
        mapping[str(i)] = key
    return mapping


def missing(kind: str, mapping: dict[str, str]) -> list[str]:
    """The labels of the required columns the mapping lacks."""
    chosen = set(mapping.values())
    return [str(column(kind, group[0]).label) for group in REQUIRED[kind] if not chosen & set(group)]
