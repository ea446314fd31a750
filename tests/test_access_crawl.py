"""Every page within a query budget, and what each role's work needs each page to show.

Who reaches which URL (every URL name and API operation x every role, objects of the site and of
another site, the POSTs refused roles try, case-work strings in what non-staff roles may open) is the
access table's: tests/access_table.py, proved by tests/test_access_table.py. This file keeps what the
table does not check: the content each role must find on the pages it opens (MUST_OPEN) and a query
ceiling per page.
"""

import pytest

from tests.access_world import SENSITIVE, side, text_of, url_for, url_patterns


@pytest.fixture
def world(site, staff, volunteer):
    """The site's objects (tests/access_world.py); the volunteer persona is paired with its child."""
    return side(site, staff, volunteer)


QUERY_BUDGET = 20
# Pages allowed more, each with why: the student page also shows who changed the child and the household
# last (one query each, from the change history).
QUERY_BUDGETS = {"classroom:student_detail": QUERY_BUDGET + 2}


@pytest.mark.parametrize("persona", ["staff", "coordinator"])
def test_every_page_stays_within_a_query_budget(client, request, world, count_queries, persona):
    """A ceiling for every page; each list also has its own test that 5 and 50 rows cost the same."""
    client.force_login(request.getfixturevalue(persona))
    over = []
    for name, pattern, _route in url_patterns():
        url = url_for(name, pattern, world)
        client.get(url)  # the first request of a session also saves the session
        with count_queries() as queries:
            client.get(url)
        if queries.count > QUERY_BUDGETS.get(name, QUERY_BUDGET):
            over.append((url, queries.count))
    assert not over, over


# --- What each role MUST be able to open ---------------------------------------------------------
# role -> URL name -> what the page must show (a function of the world). A role's work needs each of
# these: a rule that denies too much fails here, as one that allows too much fails above.
def _child(w):
    return [w["student"].family_name]


def _nickname(w):
    return [w["student"].nickname]


def _volunteer_name(w):
    return [w["volunteer"].user.last_name]


def _activity(w):
    return ["野菜の収穫体験"]


def _site_name(w):
    return [w["class_day"].site.name]


MUST_OPEN = {
    "staff": {
        "classroom:home_staff": lambda w: [],
        "classroom:student_list": _child, "classroom:student_timeline": _child, "classroom:student_edit": _child,
        "classroom:student_detail": lambda w: [*_child(w), SENSITIVE["health note"], SENSITIVE["household address"],
                                     SENSITIVE["guardian phone"], SENSITIVE["consent partners"],
                                     SENSITIVE["outcome note"], SENSITIVE["outcome reason (ja)"], "県立秘密高校"],
        "classroom:outcome_todo": lambda w: [], "classroom:outcome_create": _child,
        "classroom:outcome_edit": lambda w: [*_child(w), SENSITIVE["outcome note"], "県立秘密高校"],
        "classroom:outcome_delete": lambda w: [*_child(w), "県立秘密高校"],
        "classroom:student_create": lambda w: [], "classroom:consent_add": _child,
        "classroom:student_statement": _child,
        "classroom:class_day_list": lambda w: [], "classroom:class_day_calendar": lambda w: [], "classroom:class_day_detail": lambda w: [],
        "classroom:class_day_create": lambda w: [], "classroom:roster": _child, "classroom:roster_close": lambda w: [],
        "classroom:tutoring_record_edit": lambda w: [*_child(w), "分数の復習から"],
        "classroom:dropin_board": _child,
        "casework:visit_list": _child, "casework:visit_detail": lambda w: ["秘密の訪問メモ"], "casework:visit_edit": lambda w: ["秘密の訪問メモ"],
        "casework:visit_create": _child,
        "casework:followup_list": lambda w: ["秘密の対応"],
        "casework:contact_list": _child, "casework:contact_detail": lambda w: ["秘密の電話メモ"], "casework:contact_create": _child,
        "casework:share_list": lambda w: ["秘密の共有"], "casework:share_detail": lambda w: ["秘密の共有", SENSITIVE["caseworker"]],
        "casework:share_create": _child,
        "casework:warning_list": lambda w: [], "casework:warning_settings": lambda w: [],
        "volunteers:volunteer_list": _volunteer_name, "volunteers:volunteer_detail": _volunteer_name, "volunteers:volunteer_edit": _volunteer_name,
        "volunteers:volunteer_hours": lambda w: [], "volunteers:volunteer_attendance": _volunteer_name,
        "activities:activity_list": _activity, "activities:activity_detail": _activity,
        "activities:activity_participants": lambda w: [*_child(w), SENSITIVE["health note"]],
        "activities:activity_day_of": _child, "activities:activity_report": _activity, "activities:activity_print_participants": _child,
        "activities:partner_list": lambda w: ["秘密の農園"], "activities:partner_detail": lambda w: ["秘密の農園"],
        "reporting:report_year": _site_name, "reporting:report_month": _site_name,
        "classroom:profile": lambda w: ["市の台帳", w["api_token"].prefix], "classroom:token_revoke": lambda w: ["市の台帳"],
        "api:tutoring_record": lambda w: ["分数の復習から"], "api:student_outcomes": lambda w: ["県立秘密高校", SENSITIVE["outcome note"]],
        "dataio:import_list": lambda w: ["名簿.csv"], "dataio:import_new": lambda w: [],
        "dataio:import_detail": lambda w: ["秘密山 はな", "存在しない日付"],
        "dataio:import_columns": lambda w: ["保護者氏名"],
    },
    "coordinator": {
        "classroom:profile": lambda w: [w["class_day"].site.name],
        "api:tutoring_record": lambda w: ["分数の復習から"], "api:student_outcomes": lambda w: ["県立秘密高校"],
        "classroom:home_coordinator": lambda w: [],
        "classroom:student_list": _child, "classroom:student_detail": lambda w: [*_child(w), "県立秘密高校", "中途退学"],
        "classroom:outcome_todo": lambda w: [],
        "classroom:class_day_list": lambda w: [], "classroom:class_day_calendar": lambda w: [], "classroom:class_day_detail": lambda w: [],
        "classroom:roster": _child, "classroom:tutoring_record_edit": lambda w: [*_child(w), "分数の復習から"],
        "volunteers:volunteer_list": _volunteer_name, "volunteers:volunteer_detail": _volunteer_name, "volunteers:volunteer_hours": lambda w: [],
        "volunteers:pairing_plan_index": lambda w: [],
        "activities:activity_list": _activity, "activities:activity_detail": _activity, "activities:activity_participants": _child,
        "activities:partner_list": lambda w: ["秘密の農園"],
        "reporting:report_year": _site_name, "reporting:report_month": _site_name,
    },
    "volunteer": {
        "volunteers:home_volunteer": _nickname, "volunteers:my_tutoring_record": _nickname,
        "volunteers:my_calendar": lambda w: [], "volunteers:my_hours": lambda w: [], "activities:my_activities": lambda w: [],
        "activities:activity_offer_help": lambda w: [], "volunteers:calendar_feed": lambda w: ["BEGIN:VCALENDAR", *_nickname(w)],
        "password_change": lambda w: [], "classroom:profile": lambda w: [],
    },
    "staff_admin": {"dataio:data_home": lambda w: ["データの取込・書出し"], "classroom:student_detail": _child,
                    "oversight:home": lambda w: [], "oversight:user_list": lambda w: [w["staff"].username],
                    "oversight:user_create": lambda w: [w["class_day"].site.name],
                    "oversight:user_detail": lambda w: [w["staff"].username],
                    "oversight:user_active": lambda w: [w["staff"].last_name],
                    "oversight:user_two_factor_reset": lambda w: [w["staff"].last_name],
                    "oversight:access_log": _child,
                    "oversight:history": _child, "oversight:history_record": _child},
    "outsider": {"classroom:home": lambda w: [], "password_change": lambda w: [], "classroom:profile": lambda w: []},
    "anonymous": {"login": lambda w: [], "healthz": lambda w: []},
}


@pytest.mark.parametrize("persona", list(MUST_OPEN))
def test_each_role_opens_what_its_work_needs(client, request, world, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    patterns = {name: pattern for name, pattern, _route in url_patterns()}
    assert set(MUST_OPEN[persona]) <= set(patterns), "a URL name in MUST_OPEN no longer exists"
    failures = []
    for name, shows in MUST_OPEN[persona].items():
        url = url_for(name, patterns[name], world)
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        content = text_of(response).replace("\r\n ", "")  # an iCal feed folds its long lines
        missing = [text for text in shows(world) if text not in content]
        if missing:
            failures.append((url, missing))
    assert not failures, f"{persona} could not open: {failures}"
