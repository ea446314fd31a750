"""Readings of names for assistive technology (JIS X 8341-3 / WCAG 3.1.6 and 3.1.2; issue 15): wherever a
child's name is shown, its kana reading is in the page and not hidden from screen readers (no aria-hidden
around it), and on an English page the name sits inside an element with lang="ja", so that a screen
reader reads it in Japanese. The same for volunteers, whose reading is Volunteer.name_kana."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from classroom.models import Attendance, Student
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Texts(HTMLParser):
    """Every text of <main> with whether it is aria-hidden and the nearest lang around it."""

    def __init__(self):
        super().__init__()
        self.stack: list[dict] = []
        self.texts: list[tuple[str, bool, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        parent = self.stack[-1] if self.stack else {"hidden": False, "lang": "", "main": False}
        self.stack.append({"tag": tag, "hidden": parent["hidden"] or attrs.get("aria-hidden") == "true",
                           "lang": attrs.get("lang", parent["lang"]), "main": parent["main"] or tag == "main"})

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        if self.stack and self.stack[-1]["main"] and data.strip():
            self.texts.append((data.strip(), self.stack[-1]["hidden"], self.stack[-1]["lang"]))


def texts(response) -> list[tuple[str, bool, str]]:
    assert response.status_code == 200
    parser = Texts()
    parser.feed(response.content.decode())
    return parser.texts


@pytest.fixture
def demo():
    call_command("seed_demo", students=12, seed=7, verbosity=0)
    user = get_user_model().objects
    day = Attendance.objects.order_by("-class_day__date").values_list("class_day", flat=True).first()
    student = Student.objects.filter(home_visits__isnull=False).order_by("pk").first()
    return {"staff": user.get(username="staff"), "volunteer": user.get(username="volunteer"), "day": day,
            "student": student, "visit": student.home_visits.order_by("pk").first()}


def pages(demo) -> dict[str, tuple[str, str]]:
    """Each page that shows children's names, with the user who reads it."""
    return {
        "roster": ("staff", f"/class-days/{demo['day']}/roster/"),
        "pairing plan": ("staff", f"/volunteers/plan/{demo['day']}/"),
        "warnings": ("staff", "/warnings/"),
        "staff home": ("staff", "/staff/"),
        "student list": ("staff", "/students/"),
        "student page": ("staff", f"/students/{demo['student'].pk}/"),
        "home visits": ("staff", "/visits/"),
        "home visit": ("staff", f"/visits/{demo['visit'].pk}/"),
        "volunteer home": ("volunteer", "/volunteer/"),
    }


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_childs_name_comes_with_its_reading_not_hidden_and_in_japanese(client, demo, language):
    students = list(Student.objects.all())
    names = {s.full_name for s in students} | {s.family_name for s in students} | {s.given_name for s in students}
    nicknames = {s.nickname for s in students if s.nickname}  # what a volunteer is shown; a nickname has no reading
    readings = ({s.full_name_kana for s in students} | {s.family_name_kana for s in students}
                | {s.given_name_kana for s in students})
    problems = []
    for page, (username, path) in pages(demo).items():
        client.force_login(demo[username])
        found = texts(client.get(path, HTTP_ACCEPT_LANGUAGE=language))
        shown = [(text, hidden, lang) for text, hidden, lang in found if any(r in text for r in readings)]
        if not shown and not any(text in nicknames for text, _, _ in found):
            problems.append(f"{page}: no reading of a child's name")
        problems += [f"{page}: reading hidden: {text}" for text, hidden, _ in shown if hidden]
        named = [(text, lang) for text, hidden, lang in found if text in names | nicknames or text in readings]
        if not named:
            problems.append(f"{page}: no child's name")
        problems += [f"{page}: not lang=ja: {text}" for text, lang in named if lang != "ja"]
    assert problems == [], "\n".join(problems)


def volunteer_pages(demo) -> dict[str, str]:
    """The staff's pages that list volunteers by name."""
    return {
        "volunteer list": "/volunteers/",
        "attendance list": f"/volunteers/class-days/{demo['day']}/attendance/",
        "pairing plan": f"/volunteers/plan/{demo['day']}/",
        "hours report": "/volunteers/hours/",
        "student page (tutors)": f"/students/{demo['student'].pk}/",
    }


def volunteer_reading_problems(client, demo, language) -> list[str]:
    volunteers = list(Volunteer.objects.select_related("user"))
    names, readings = {str(v) for v in volunteers}, {v.name_kana for v in volunteers if v.name_kana}
    assert len(readings) > len(volunteers) // 2  # the demo volunteers have their readings
    problems = []
    client.force_login(demo["staff"])
    for page, path in volunteer_pages(demo).items():
        found = texts(client.get(path, HTTP_ACCEPT_LANGUAGE=language))
        shown = [(text, hidden, lang) for text, hidden, lang in found if any(r in text for r in readings)]
        if not shown:
            problems.append(f"{page}: no reading of a volunteer's name")
        problems += [f"{page}: reading hidden: {text}" for text, hidden, _ in shown if hidden]
        problems += [f"{page}: reading not lang=ja: {text}" for text, _, lang in shown if lang != "ja"]
        named = [(text, lang) for text, _, lang in found if text in names]
        if not named:
            problems.append(f"{page}: no volunteer's name")
        problems += [f"{page}: not lang=ja: {text}" for text, lang in named if lang != "ja"]
    return problems


def test_volunteers_names_are_marked_japanese_on_an_english_page(client, demo):
    """The volunteer list, the attendance list, the pairing plan, the hours report and a child's tutoring
    history: each volunteer's name and its reading (Volunteer.name_kana) in lang="ja", the reading not hidden
    from screen readers."""
    problems = volunteer_reading_problems(client, demo, "en")
    assert problems == [], "\n".join(problems)


def test_volunteers_names_come_with_their_reading_on_a_japanese_page(client, demo):
    problems = volunteer_reading_problems(client, demo, "ja")
    assert problems == [], "\n".join(problems)


def test_a_volunteer_without_a_recorded_reading_is_still_named_in_japanese(client, demo):
    """The reading is optional (accounts made before it existed): the name alone, still lang="ja"."""
    Volunteer.objects.update(name_kana="")
    client.force_login(demo["staff"])
    found = texts(client.get("/volunteers/", HTTP_ACCEPT_LANGUAGE="en"))
    names = {str(v) for v in Volunteer.objects.select_related("user")}
    named = [(text, lang) for text, _, lang in found if text in names]
    assert named and all(lang == "ja" for _, lang in named), named
    assert not any(text.startswith("（") for text, _, _ in found)


def test_activity_titles_are_japanese_data_on_an_english_page(client, demo):
    """Other Japanese data: an activity's title is marked lang="ja" in English (the |ja filter)."""
    from activities.models import Activity

    activity = Activity.objects.order_by("pk").first()
    client.force_login(demo["staff"])
    found = texts(client.get(f"/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert (activity.title, False, "ja") in found


@pytest.mark.parametrize(("language", "label"), [("ja", "生徒のページ"), ("en", "Pages of students")])
def test_a_pagination_landmark_is_named_by_what_it_pages(client, demo, settings, language, label):
    """Two lists on one screen no longer give two navigation landmarks both called "Pages"."""
    from django.core.paginator import Paginator
    from django.template import Context, Template
    from django.utils import translation

    page = Paginator(Student.objects.order_by("pk"), 2).page(1)
    with translation.override(language):
        html = Template('{% include "includes/pagination.html" %}').render(Context({"page": page}))
    assert f'aria-label="{label}"' in html


def test_typed_japanese_notes_are_marked_japanese_on_an_english_page(client, demo):
    """What staff type (a home visit's observations, a household's note, a class day's note) is Japanese
    data: on an English page it sits in lang="ja" (WCAG 3.1.2), so a screen reader does not spell it out."""
    from classroom.models import ClassDay

    visit, student = demo["visit"], demo["student"]
    visit.living_environment = "部屋は片付いていた"
    visit.save()
    household = student.household
    household.note = "夕方は祖母が在宅"
    household.save()
    day = ClassDay.objects.get(pk=demo["day"])
    day.note = "雨のため室内で実施"
    day.save()
    client.force_login(demo["staff"])
    for path, text in [(f"/visits/{visit.pk}/", "部屋は片付いていた"), (f"/students/{student.pk}/", "夕方は祖母が在宅"),
                       (f"/class-days/{day.pk}/", "雨のため室内で実施")]:
        found = texts(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
        assert (text, False, "ja") in found, (path, [t for t in found if text in t[0]])
        assert (text, False, "ja") in texts(client.get(path, HTTP_ACCEPT_LANGUAGE="ja")), path  # <html lang="ja">
