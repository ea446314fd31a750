"""The activities' demo data, built on what the classroom and volunteers demos made.

Three partners (an old Japanese sweets shop, a farm, a company); past activities with their
participants, attendance and reflections (the farm's harvest: 21 students and guardians plus a
young person looking for work and that person's guardian, 23 in all); upcoming ones open for
sign-up with participants and helpers; one cancelled. Random choices go through
``factory.random.randgen`` only, so the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.random import randgen

from activities.factories import ActivityFactory, PartnerFactory
from activities.models import (
    ActivityKind,
    ActivityStatus,
    Answer,
    Helper,
    HelperStatus,
    Participant,
    ParticipantRole,
    PartnerKind,
    PhotoPolicy,
)
from activities.services.participants import activity_photos_add
from classroom.grades import Grade
from classroom.models import AttendanceStatus, StudentStatus
from volunteers.models import Volunteer

ALLERGIES = ["卵", "小麦", "そば", "乳", "えび・かに", "落花生"]


def demo_picture(scene: str, n: int) -> bytes:
    """A 1200x800 JPEG drawn with Pillow: a field under the sky, or sweets on a plate."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (190, 220, 240) if scene == "field" else (245, 238, 225))
    draw = ImageDraw.Draw(image)
    if scene == "field":
        draw.ellipse((980 - 60 * n, 60, 1100 - 60 * n, 180), fill=(250, 210, 90))
        draw.rectangle((0, 380, 1200, 800), fill=(120, 85, 55))
        for row in range(6):
            y = 420 + row * 65
            for x in range(40 + (row % 2) * 30, 1200, 60):
                draw.line((x, y, x + 8, y - 70 - 10 * n), fill=(70, 150, 70), width=6)
        if n == 1:
            for i in range(7):
                x = 200 + i * 120
                draw.ellipse((x, 600, x + 110, 660), fill=(170, 60, 110))
    else:
        draw.ellipse((200, 150, 1000, 750), fill=(255, 255, 255), outline=(200, 190, 175), width=8)
        colours = [(240, 160, 190), (170, 210, 140), (250, 220, 120), (200, 170, 230)]
        for i in range(2 + n):
            x = 330 + i * (420 // (1 + n))
            draw.ellipse((x, 330, x + 220, 550), fill=colours[(i + n) % 4], outline=(150, 120, 110), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class ActivitiesDemo:
    def __init__(self, classroom, volunteers=None):
        self.classroom = classroom
        self.volunteers_demo = volunteers

    def seed(self) -> dict[str, int]:
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.main = self.classroom.sites[0]
        users = self.classroom.users
        self.staff, self.coordinator = users["staff"], users["coordinator"]
        self.students = sorted(
            (s for s in self.classroom.students if s.status == StudentStatus.ACTIVE and s.site_id == self.main.pk),
            key=lambda s: s.pk)
        self.volunteers = list(Volunteer.objects.filter(is_active=True, sites=self.main).select_related("user")
                               .order_by("pk"))
        self.demo_volunteer = Volunteer.objects.filter(user=users.get("volunteer")).first()
        self.participants = 0
        self.helpers = 0
        partners = self.seed_partners()
        activities = self.seed_history(partners) + self.seed_past(partners) + self.seed_upcoming(partners)
        return {"partners": len(partners), "activities": len(activities), "activity participants": self.participants,
                "activity helpers": self.helpers}

    # --- Partners --------------------------------------------------------------------------------
    def seed_partners(self) -> dict[str, object]:
        return {
            "sweets": PartnerFactory(
                name="老舗和菓子店 菓匠あかね", kind=PartnerKind.SHOP, contact_person="茜 正和",
                phone="048-571-2345", email="info@kasho-akane.example.jp", address="埼玉県深谷市仲町3-8",
                notes="創業明治二十年。上生菓子づくりを毎年受け入れてくださっている。作業場は10名まで。"),
            "farm": PartnerFactory(
                name="深谷ねぎ農園 大塚ファーム", kind=PartnerKind.FARM, contact_person="大塚 健",
                phone="048-584-1122", phone2="090-1234-5678", email="otsuka-farm@example.jp",
                address="埼玉県深谷市上敷免1023",
                notes="ねぎ・さつまいも・ブロッコリー。雨天時は作業小屋で袋詰め体験に切り替え。駐車場あり（マイクロバス可）。"),
            "company": PartnerFactory(
                name="株式会社ふかや精工", kind=PartnerKind.COMPANY, contact_person="総務部 岡田 真理",
                phone="048-572-8800", email="soumu@fukaya-seiko.example.jp", address="埼玉県深谷市幡羅町1-12-3",
                notes="職場見学と社員との座談会。高校生世代の就労体験も相談可。"),
        }

    # --- People ----------------------------------------------------------------------------------
    def _add(self, activity, *, students: int, guardians: int, answer=Answer.GOING, attended: bool = False,
             offset: int = 0, allergies: bool = False) -> list[Participant]:
        """``students`` students of the main site (from ``offset`` on) and ``guardians`` of their guardians."""
        chosen = self.students[offset:offset + students]
        rows = []
        answered = self.now - dt.timedelta(days=max((self.today - activity.date).days, 0) + 14)
        for n, student in enumerate(chosen):
            rows.append(Participant(
                activity=activity, role=ParticipantRole.STUDENT, student=student, household=student.household,
                answer=answer, answered_at=answered + dt.timedelta(minutes=n * 37),
                consent_received_on=(activity.date - dt.timedelta(days=10)) if activity.consent_required else None,
                allergy_notes=randgen.choice(ALLERGIES) if allergies and randgen.random() < 0.2 else "",
                attendance=(AttendanceStatus.PRESENT if randgen.random() < 0.92 else AttendanceStatus.LATE)
                if attended else "",
                attendance_recorded_at=self.now if attended else None,
            ))
        seen: set[int] = set()
        for n, student in enumerate(chosen):
            if len(seen) >= guardians:
                break
            guardian = student.household.guardians.order_by("pk").first()
            if guardian is None or guardian.pk in seen:  # siblings share a guardian
                continue
            seen.add(guardian.pk)
            rows.append(Participant(
                activity=activity, role=ParticipantRole.GUARDIAN, guardian=guardian, household=student.household,
                answer=answer, answered_at=answered + dt.timedelta(minutes=n * 37 + 5),
                attendance=AttendanceStatus.PRESENT if attended else "",
                attendance_recorded_at=self.now if attended else None,
            ))
        Participant.objects.bulk_create(rows)
        self.participants += len(rows)
        return rows

    def _helper(self, activity, *, volunteer=None, staff=None, role="", status=HelperStatus.CONFIRMED) -> None:
        if volunteer is None and staff is None:
            return
        Helper.objects.create(activity=activity, volunteer=volunteer, staff=staff, role=role, status=status)
        self.helpers += 1

    def _volunteer(self, n: int):
        others = [v for v in self.volunteers if v != self.demo_volunteer]
        return others[n % len(others)] if others else None

    # --- Activities ------------------------------------------------------------------------------
    def seed_past(self, partners) -> list:
        today = self.today
        sweets = ActivityFactory(
            title="和菓子づくり体験（練り切り）", kind=ActivityKind.FOOD, partner=partners["sweets"], site=self.main,
            date=today - dt.timedelta(days=150), start_time=dt.time(13, 30), end_time=dt.time(15, 30),
            place="菓匠あかね 作業場（深谷市仲町3-8）", meeting_point="ぱるスタ 13:00 集合（徒歩で移動）", capacity=10,
            fee=300, what_to_bring="エプロン、三角巾、手拭きタオル", food_involved=True,
            description="職人さんに教わりながら、季節の練り切りを2つ作ります。作ったお菓子はお持ち帰りできます。",
            target_grades=",".join([Grade.J1, Grade.J2, Grade.J3]), status=ActivityStatus.DONE, lead=self.staff,
            reflection="全員が2個ずつ完成。職人さんの「失敗しても大丈夫」という声かけで、普段話さない生徒も質問していた。"
                       "来年も同じ時期にお願いしたいと先方から申し出あり。",
        )
        self._add(sweets, students=9, guardians=0, attended=True, allergies=True)
        self._photos(sweets, "sweets", ["完成した練り切り（季節の花）", "職人さんのお手本"])
        self._helper(sweets, staff=self.staff, role="引率・アレルギー確認")
        self._helper(sweets, volunteer=self.demo_volunteer, role="受付")

        harvest = ActivityFactory(
            title="野菜の収穫体験（ねぎ・さつまいも）", kind=ActivityKind.FARMING, partner=partners["farm"], site=self.main,
            date=today - dt.timedelta(days=60), start_time=dt.time(9, 30), end_time=dt.time(12, 0),
            place="大塚ファーム（深谷市上敷免1023）", meeting_point="ぱるスタ 9:00 集合（マイクロバス）", capacity=25,
            what_to_bring="軍手、長靴、タオル、飲み物、着替え", status=ActivityStatus.DONE, lead=self.coordinator,
            description="親子で畑に入り、ねぎとさつまいもを収穫します。収穫した野菜はお持ち帰りできます。",
            reflection="生徒・保護者21名に加え、就労を目指す高校生世代の方とその保護者の計23名が参加。"
                       "普段は家から出にくい生徒も保護者と一緒に参加できた。農家さんから仕事の話を聞く時間が好評。",
        )
        self._add(harvest, students=13, guardians=8, attended=True, offset=9)
        Participant.objects.bulk_create([
            Participant(activity=harvest, role=ParticipantRole.OTHER_YOUTH, name="森 翔太", name_kana="もり しょうた",
                        phone="090-0000-1111", answer=Answer.GOING, consent_received_on=harvest.date - dt.timedelta(days=7),
                        attendance=AttendanceStatus.PRESENT, attendance_recorded_at=self.now,
                        note="就労準備支援事業からの紹介"),
            Participant(activity=harvest, role=ParticipantRole.OTHER, name="森 由紀", name_kana="もり ゆき",
                        phone="090-0000-1111", answer=Answer.GOING, attendance=AttendanceStatus.PRESENT,
                        attendance_recorded_at=self.now, note="森 翔太さんの保護者"),
        ])
        self.participants += 2
        self._helper(harvest, staff=self.coordinator, role="全体統括")
        self._helper(harvest, staff=self.staff, role="引率")
        self._helper(harvest, volunteer=self.demo_volunteer, role="写真・記録")
        self._helper(harvest, volunteer=self._volunteer(0), role="バス添乗")
        self._photos(harvest, "field", ["収穫前のねぎ畑", "掘り出したさつまいも", "畑の全景"])

        visit = ActivityFactory(
            title="ものづくり企業の職場見学", kind=ActivityKind.WORK, partner=partners["company"], site=self.main,
            date=today - dt.timedelta(days=25), start_time=dt.time(14, 0), end_time=dt.time(16, 0),
            place="株式会社ふかや精工 本社工場", meeting_point="深谷駅 南口 13:40", capacity=8,
            what_to_bring="筆記用具、上履き", photo_policy=PhotoPolicy.NONE, status=ActivityStatus.DONE,
            lead=self.staff, target_grades=",".join([Grade.J3, Grade.H1, Grade.H2, Grade.H3, Grade.HS_AGE]),
            description="工場の見学と、若手社員との座談会。進路や働くことについて気軽に質問できます。",
            reflection="工場内は撮影禁止。若手社員との座談会で、高校を中退した社員の話に真剣に聞き入っていた。",
        )
        self._add(visit, students=6, guardians=0, attended=True, offset=22)
        self._helper(visit, staff=self.staff, role="引率")
        return [sweets, harvest, visit]

    # Earlier activities, without photos: two fiscal years for the report to the city.
    HISTORY = [
        # days after April 1 of the previous fiscal year, title, kind, partner, students, guardians
        (48, "田植え体験", ActivityKind.FARMING, "farm", 10, 6),
        (118, "夏休み 和菓子づくり体験（水ようかん）", ActivityKind.FOOD, "sweets", 8, 0),
        (200, "ものづくり企業の職場見学", ActivityKind.WORK, "company", 5, 0),
        (262, "深谷ねぎの収穫と袋詰め", ActivityKind.FARMING, "farm", 12, 7),
        (330, "和菓子づくり体験（うぐいす餅）", ActivityKind.FOOD, "sweets", 9, 0),
        (440, "田植え体験", ActivityKind.FARMING, "farm", 11, 5),
    ]

    def seed_history(self, partners) -> list:
        """Activities done before the recent ones, each with the children registered then (and some of their
        guardians) marked as attending."""
        made = []
        start = self.classroom.history_start
        for days, title, kind, partner, n_students, n_guardians in self.HISTORY:
            date = start + dt.timedelta(days=days)
            if date >= self.today - dt.timedelta(days=170):
                continue  # the recent past belongs to seed_past's stories
            activity = ActivityFactory(
                title=title, kind=kind, partner=partners[partner], site=self.main, date=date,
                start_time=dt.time(10, 0), end_time=dt.time(12, 0), place=partners[partner].address or "深谷市",
                capacity=max(n_students + n_guardians, 1), status=ActivityStatus.DONE, lead=self.staff,
                food_involved=kind == ActivityKind.FOOD, photo_policy=PhotoPolicy.INTERNAL)
            pool = [s for s in self.classroom.students if s.site_id == self.main.pk and s.enrolled_on <= date
                    and (s.left_on is None or date <= s.left_on)]
            chosen = randgen.sample(pool, k=min(n_students, len(pool)))
            rows = [Participant(activity=activity, role=ParticipantRole.STUDENT, student=s, household=s.household,
                                answer=Answer.GOING, consent_received_on=date - dt.timedelta(days=10),
                                attendance=AttendanceStatus.PRESENT) for s in chosen]
            guardians = {}
            for s in chosen:
                guardian = s.household.guardians.order_by("pk").first() if len(guardians) < n_guardians else None
                if guardian is not None:
                    guardians.setdefault(guardian.pk, (guardian, s.household))
            rows += [Participant(activity=activity, role=ParticipantRole.GUARDIAN, guardian=g, household=h,
                                 answer=Answer.GOING, attendance=AttendanceStatus.PRESENT)
                     for g, h in guardians.values()]
            Participant.objects.bulk_create(rows)
            self.participants += len(rows)
            self._helper(activity, staff=self.staff, role="引率")
            made.append(activity)
        return made

    def _photos(self, activity, scene: str, captions: list[str]) -> None:
        """Drawn pictures (no one in them) for the report, stored and thumbnailed like an upload."""
        for n, caption in enumerate(captions):
            upload = SimpleUploadedFile(f"{scene}-{n + 1}.jpg", demo_picture(scene, n), content_type="image/jpeg")
            activity_photos_add(activity=activity, images=[upload], caption=caption, by=activity.lead)

    def seed_upcoming(self, partners) -> list:
        today = self.today
        harvest = ActivityFactory(
            title="冬の深谷ねぎ収穫体験", kind=ActivityKind.FARMING, partner=partners["farm"], site=self.main,
            date=today + dt.timedelta(days=10), start_time=dt.time(9, 30), end_time=dt.time(12, 0),
            place="大塚ファーム（深谷市上敷免1023）", meeting_point="ぱるスタ 9:00 集合（マイクロバス）", capacity=20,
            what_to_bring="軍手、長靴、防寒着、タオル、飲み物", status=ActivityStatus.OPEN, lead=self.coordinator,
            description="深谷ねぎの収穫と皮むき、袋詰めを体験します。保護者・きょうだいの参加も歓迎です。",
        )
        self._add(harvest, students=8, guardians=4, offset=0)
        self._add(harvest, students=3, guardians=0, answer=Answer.INVITED, offset=8)
        self._add(harvest, students=1, guardians=0, answer=Answer.DECLINED, offset=11)
        self._helper(harvest, staff=self.coordinator, role="全体統括")
        self._helper(harvest, volunteer=self.demo_volunteer, role="受付・見守り")
        self._helper(harvest, volunteer=self._volunteer(1), status=HelperStatus.OFFERED)

        sweets = ActivityFactory(
            title="和菓子づくり体験（桜餅）", kind=ActivityKind.FOOD, partner=partners["sweets"], site=self.main,
            date=today + dt.timedelta(days=24), start_time=dt.time(13, 30), end_time=dt.time(15, 30),
            place="菓匠あかね 作業場（深谷市仲町3-8）", meeting_point="ぱるスタ 13:00 集合（徒歩で移動）", capacity=10,
            fee=300, what_to_bring="エプロン、三角巾、手拭きタオル", food_involved=True, status=ActivityStatus.OPEN,
            lead=self.staff, description="職人さんと一緒に桜餅（道明寺）を作ります。",
            target_grades=",".join([Grade.J1, Grade.J2, Grade.J3]),
        )
        self._add(sweets, students=10, guardians=0, offset=12, allergies=True)
        self._add(sweets, students=2, guardians=0, answer=Answer.WAITLISTED, offset=22)
        self._helper(sweets, staff=self.staff, role="引率・アレルギー確認")

        seminar = ActivityFactory(
            title="しごと体験（製造ライン）", kind=ActivityKind.WORK, partner=partners["company"], site=self.main,
            date=today + dt.timedelta(days=45), start_time=dt.time(10, 0), end_time=dt.time(15, 0),
            place="株式会社ふかや精工 本社工場", meeting_point="深谷駅 南口 9:40", capacity=4,
            what_to_bring="筆記用具、上履き、昼食", photo_policy=PhotoPolicy.NONE, status=ActivityStatus.PLANNING,
            lead=self.staff, target_grades=",".join([Grade.H1, Grade.H2, Grade.H3, Grade.HS_AGE]),
            description="高校生世代向けの1日しごと体験。先方と日程調整中。",
        )
        strawberries = ActivityFactory(
            title="いちご狩り", kind=ActivityKind.OUTING, partner=partners["farm"], site=self.main,
            date=today + dt.timedelta(days=17), start_time=dt.time(10, 0), end_time=dt.time(12, 0),
            place="花園いちご園", meeting_point="ぱるスタ 9:30 集合", capacity=12, fee=500, food_involved=True,
            status=ActivityStatus.CANCELLED, cancel_reason="ハウスの設備点検が入ったため（春に延期予定）",
            lead=self.coordinator, description="いちご狩りと、農園の方のお話。",
        )
        self._helper(strawberries, volunteer=self.demo_volunteer, role="見守り")
        return [harvest, sweets, seminar, strawberries]
