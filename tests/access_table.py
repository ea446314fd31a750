"""Who reaches what: one line for every URL name and every API operation, one column per role.

Proof: tests/test_access_table.py (every cell is a request; a URL name or API operation without a
line fails, printing the line to paste once each cell is checked). docs/security.md "Who sees what"
is generated from this table by scripts/access_table.py.

Roles (columns, in this order):
  admin   staff administrator: the staff and staff_admin roles at site A (rules.STAFF_ADMIN)
  staff   learning-support staff of site A
  coord   coordinator of site A
  vol     the volunteer paired with site A's child (confirmed for its coming class day, its tutor)
  vol2    an active volunteer of site A not paired with the child
  far     a user of another site: staff and coordinator of site B, reading site A's objects
  norole  signed in, no role
  anon    not signed in

Each line: the method tried, then one outcome per role:
  GET   a GET of the page with site A's objects in its URL
  POST  the view answers a GET with 405 (it only takes a POST): a POST is tried instead, with no data
        (or, where the form names the object, with site A's: tests/access_world.py FORM_DATA)
  OK     200 (201, 204): the page, the file or the answer
  GO     a redirect to a page other than sign-in (the right home, a form's next step)
  LOGIN  a redirect to the sign-in page (the API: 401)
  404    not found: what exists behind the URL is not told
  405    the method is refused before anyone is asked (a POST-only write tried with a GET)
  400, 403, 422  as they are: a bad request, a refusal, a body the API's validation refused

Where a role's cell is OK or GO and the URL names an object, the same URL with site B's object must
answer 404 for that role, except for the lines in SAME_FOR_ANOTHER_SITE.
API operations use the role's signed-in session (the personal token's user gets the same answers:
tests/test_api_roles.py); a write is tried with a valid body (tests/access_world.py API_BODIES).
"""

ROLES = ("admin", "staff", "coord", "vol", "vol2", "far", "norole", "anon")

#                                                              admin staff coord vol   vol2  far   norole anon
URLS = {
    "healthz":                                            "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "logout":                                             "POST LOGIN LOGIN LOGIN LOGIN LOGIN LOGIN LOGIN LOGIN",
    "login":                                              "GET  GO    GO    GO    GO    GO    GO    GO    OK",
    "password_change":                                    "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "password_change_done":                               "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "password_reset":                                     "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "password_reset_done":                                "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "password_reset_confirm":                             "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "password_reset_complete":                            "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "set_language":                                       "GET  GO    GO    GO    GO    GO    GO    GO    GO",
    "favicon":                                            "GET  GO    GO    GO    GO    GO    GO    GO    GO",
    "api:openapi-json":                                   "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "api:openapi-view":                                   "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "api:api-root":                                       "GET  404   404   404   404   404   404   404   404",
    "classroom:home":                                     "GET  GO    GO    GO    GO    GO    GO    OK    LOGIN",
    "classroom:home_staff":                               "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:home_coordinator":                         "GET  404   404   OK    404   404   OK    404   LOGIN",
    "classroom:profile":                                  "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:token_create":                             "POST OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:token_revoke":                             "GET  404   OK    404   404   404   404   404   LOGIN",
    "classroom:session_end":                              "POST 404   GO    404   404   404   404   404   LOGIN",
    "classroom:sessions_end_others":                      "POST GO    GO    GO    GO    GO    GO    GO    LOGIN",
    "classroom:session_status":                           "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:session_keepalive":                        "POST OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:student_list":                             "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "classroom:student_export":                           "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:student_create":                           "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:student_detail":                           "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "classroom:student_edit":                             "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:student_archive":                          "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:student_delete":                           "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:consent_add":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:consent_withdraw":                         "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:student_statement":                        "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:student_statement_print":                  "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:outcome_todo":                             "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "classroom:outcome_create":                           "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:outcome_edit":                             "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:outcome_delete":                           "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:roster":                                   "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "classroom:attendance_set":                           "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:roster_search":                            "GET  GO    GO    404   404   404   404   404   LOGIN",
    "classroom:roster_add":                               "GET  GO    GO    404   404   404   404   404   LOGIN",
    "classroom:roster_mark_all_present":                  "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:roster_mark_all_undo":                     "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:roster_close":                             "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:tutoring_record_edit":                     "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "classroom:class_day_list":                           "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "classroom:class_day_calendar":                       "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "classroom:class_day_create":                         "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:class_day_series":                         "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:class_day_detail":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "classroom:class_day_edit":                           "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:class_day_cancel":                         "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:class_day_restore":                        "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:dropin_board":                             "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:dropin_check_in":                          "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:dropin_check_out":                         "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:dropin_visitors":                          "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:student_timeline":                         "GET  OK    OK    404   404   404   404   404   LOGIN",
    "classroom:outbox":                                   "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "classroom:outbox_retry":                             "POST GO    GO    404   404   404   404   404   LOGIN",
    "classroom:two_factor":                               "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:two_factor_setup":                         "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "classroom:two_factor_verify":                        "GET  GO    GO    GO    GO    GO    GO    GO    LOGIN",
    "classroom:two_factor_codes":                         "GET  GO    GO    GO    GO    GO    GO    GO    LOGIN",
    "classroom:two_factor_recovery_renew":                "POST GO    GO    GO    GO    GO    GO    GO    LOGIN",
    "classroom:two_factor_turn_off":                      "POST GO    GO    GO    GO    GO    GO    GO    LOGIN",
    "casework:visit_list":                                "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "casework:visit_create":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:visit_autosave_new":                        "POST OK    OK    404   404   404   OK    404   LOGIN",
    "casework:visit_detail":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:visit_edit":                                "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:visit_autosave":                            "POST OK    OK    404   404   404   404   404   LOGIN",
    "casework:followup_list":                             "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "casework:followup_done":                             "POST GO    GO    404   404   404   404   404   LOGIN",
    "casework:followup_reopen":                           "POST GO    GO    404   404   404   404   404   LOGIN",
    "casework:contact_list":                              "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "casework:contact_create":                            "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:contact_detail":                            "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:contact_edit":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:share_create":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:share_detail":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:share_list":                                "GET  OK    OK    404   404   404   404   404   LOGIN",
    "casework:warning_list":                              "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "casework:warning_settings":                          "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "volunteers:home_volunteer":                          "GET  404   404   404   OK    OK    404   404   LOGIN",
    "volunteers:my_sign_up":                              "POST 404   404   404   GO    GO    404   404   LOGIN",
    "volunteers:my_tutoring_record":                      "GET  404   404   404   OK    404   404   404   LOGIN",
    "volunteers:my_calendar":                             "GET  404   404   404   OK    OK    404   404   LOGIN",
    "volunteers:my_calendar_renew":                       "POST 404   404   404   GO    GO    404   404   LOGIN",
    "volunteers:my_calendar_revoke":                      "POST 404   404   404   GO    GO    404   404   LOGIN",
    "volunteers:calendar_feed":                           "GET  OK    OK    OK    OK    OK    OK    OK    OK",
    "volunteers:volunteer_list":                          "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "volunteers:volunteer_create":                        "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "volunteers:volunteer_detail":                        "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:volunteer_edit":                          "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:volunteer_set_active":                    "POST GO    GO    GO    404   404   404   404   LOGIN",
    "volunteers:availability_exception_add":              "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:availability_exception_remove":           "POST GO    GO    GO    404   404   404   404   LOGIN",
    "volunteers:pairing_preference_add":                  "GET  OK    OK    404   404   404   404   404   LOGIN",
    "volunteers:pairing_preference_remove":               "POST GO    GO    404   404   404   404   404   LOGIN",
    "volunteers:volunteer_attendance":                    "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:volunteer_attendance_add":                "POST OK    OK    404   404   404   404   404   LOGIN",
    "volunteers:volunteer_attendance_set":                "POST OK    OK    404   404   404   404   404   LOGIN",
    "volunteers:volunteer_hours":                         "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "volunteers:volunteer_hours_export":                  "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "volunteers:my_hours":                                "GET  404   404   404   OK    OK    404   404   LOGIN",
    "volunteers:pairing_plan_index":                      "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "volunteers:pairing_plan":                            "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:pairing_plan_row":                        "GET  GO    GO    GO    404   404   404   404   LOGIN",
    "volunteers:pairing_plan_choose":                     "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "volunteers:pairing_sign_up_confirm":                 "POST GO    GO    GO    404   404   404   404   LOGIN",
    "volunteers:pairing_sign_up_unconfirm":               "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_list":                           "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:activity_calendar":                       "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:activity_create":                         "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:activity_detail":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_edit":                           "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_duplicate":                      "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_status":                         "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_cancel":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:helper_add":                              "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:helper_confirm":                          "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:helper_remove":                           "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:partner_list":                            "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:partner_create":                          "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:partner_detail":                          "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:partner_edit":                            "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "activities:my_activities":                           "GET  404   404   404   OK    OK    404   404   LOGIN",
    "activities:activity_offer_help":                     "GET  404   404   404   OK    OK    404   404   LOGIN",
    "activities:help_offer":                              "POST 404   404   404   GO    GO    404   404   LOGIN",
    "activities:help_withdraw":                           "POST 404   404   404   GO    GO    404   404   LOGIN",
    "activities:activity_participants":                   "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_invite":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_invite_named":                   "POST OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_invite_guardians":               "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_participant_answer":             "POST OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_participant_consent":            "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_participant_edit":               "GET  OK    OK    404   404   404   404   404   LOGIN",
    "activities:activity_participant_remove":             "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_day_of":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_attendance_set":                 "POST GO    GO    GO    404   404   404   404   LOGIN",
    "activities:activity_print_participants":             "GET  OK    OK    404   404   404   404   404   LOGIN",
    "activities:activity_print_invitation":               "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_report":                         "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_photo_upload":                   "POST OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_photo":                          "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_photo_thumbnail":                "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "activities:activity_photo_delete":                   "POST GO    GO    GO    404   404   404   404   LOGIN",
    "reporting:report_index":                             "GET  GO    GO    GO    404   404   GO    404   LOGIN",
    "reporting:report_year":                              "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "reporting:report_year_export":                       "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "reporting:report_month":                             "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "reporting:report_month_export":                      "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "dataio:data_home":                                   "GET  OK    404   404   404   404   404   404   LOGIN",
    "dataio:export_download":                             "POST OK    404   404   404   404   404   404   LOGIN",
    "dataio:subject_access_download":                     "POST OK    404   404   404   404   404   404   LOGIN",
    "dataio:import_list":                                 "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "dataio:import_new":                                  "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "dataio:import_template":                             "GET  OK    OK    404   404   404   OK    404   LOGIN",
    "dataio:import_detail":                               "GET  OK    OK    404   404   404   404   404   LOGIN",
    "dataio:import_columns":                              "GET  OK    OK    404   404   404   404   404   LOGIN",
    "dataio:import_confirm":                              "POST GO    GO    404   404   404   404   404   LOGIN",
    "dataio:import_discard":                              "POST GO    GO    404   404   404   404   404   LOGIN",
    "dataio:import_errors":                               "GET  OK    OK    404   404   404   404   404   LOGIN",
    "dataio:student_legal_hold":                          "POST GO    404   404   404   404   404   404   LOGIN",
    # The staff administrator's screens (oversight): accounts and roles, the access log, the change history.
    "oversight:home":                                     "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:user_list":                                "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:user_create":                              "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:user_detail":                              "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:user_edit":                                "GET  GO    404   404   404   404   404   404   LOGIN",
    "oversight:user_active":                              "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:user_two_factor_reset":                    "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:access_log":                               "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:access_log_moved":                         "GET  GO    404   404   404   404   404   404   LOGIN",
    "oversight:history":                                  "GET  OK    404   404   404   404   404   404   LOGIN",
    "oversight:history_record":                           "GET  OK    404   404   404   404   404   404   LOGIN",
}

#                                                              admin staff coord vol   vol2  far   norole anon
API = {
    "GET /api/classroom/me":                              "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "GET /api/classroom/sites":                           "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "GET /api/classroom/students":                        "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "POST /api/classroom/students":                       "POST OK    OK    404   404   404   422   404   LOGIN",
    "GET /api/classroom/students/{student_id}":           "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "PUT /api/classroom/students/{student_id}":           "PUT  OK    OK    404   404   404   404   404   LOGIN",
    "GET /api/classroom/class-days":                      "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "GET /api/classroom/class-days/{pk}":                 "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "PUT /api/classroom/class-days/{pk}/attendance":      "PUT  OK    OK    404   404   404   404   404   LOGIN",
    "GET /api/classroom/class-days/{pk}/tutoring-records/{student_id}": "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "PUT /api/classroom/class-days/{pk}/tutoring-records/{student_id}": "PUT  OK    OK    404   404   404   404   404   LOGIN",
    "GET /api/classroom/students/{student_id}/outcomes":  "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "POST /api/classroom/students/{student_id}/outcomes": "POST OK    OK    404   404   404   404   404   LOGIN",
    "PUT /api/classroom/outcomes/{pk}":                   "PUT  OK    OK    404   404   404   404   404   LOGIN",
    "GET /api/volunteers/":                               "GET  OK    OK    OK    OK    OK    OK    OK    LOGIN",
    "GET /api/activities/":                               "GET  OK    OK    OK    404   404   OK    404   LOGIN",
    "GET /api/activities/{pk}":                           "GET  OK    OK    OK    404   404   404   404   LOGIN",
    "POST /api/activities/{pk}/cancel":                   "POST OK    OK    OK    404   404   404   404   LOGIN",
    "GET /api/reporting/{fy}":                            "GET  OK    OK    OK    404   404   OK    404   LOGIN",
}

# Lines whose object is not a site's: another site's object answers as site A's does.
SAME_FOR_ANOTHER_SITE = {
    "password_reset_confirm": "a reset link belongs to no site (with a wrong token it says the link does not work)",
    "volunteers:calendar_feed": "the feed's URL is its key: whoever holds it reads that volunteer's own calendar",
    "activities:partner_list": "partners (shops, farms) are shared by the whole program",
    "activities:partner_detail": "partners are shared by the whole program",
    "activities:partner_edit": "partners are shared by the whole program",
    "reporting:report_year": "a period belongs to no site: each user's report counts only their own sites",
    "reporting:report_year_export": "a period belongs to no site",
    "reporting:report_month": "a period belongs to no site",
    "reporting:report_month_export": "a period belongs to no site",
    "dataio:subject_access_download": "a staff administrator exports any child of the program (dataio/views/exports.py)",
    "dataio:import_template": "an empty template with example rows belongs to no site",
    "GET /api/reporting/{fy}": "a period belongs to no site",
}


def parse(line: str) -> tuple[str, dict[str, str]]:
    """``"GET OK 404 ..."`` -> ("GET", {"admin": "OK", "staff": "404", ...})."""
    method, *cells = line.split()
    if len(cells) != len(ROLES):
        raise ValueError(f"{line!r}: {len(cells)} cells for {len(ROLES)} roles ({' '.join(ROLES)})")
    return method, dict(zip(ROLES, cells, strict=True))


def render(key: str, method: str, cells: dict[str, str]) -> str:
    """One line of the table, ready to paste."""
    name = f'"{key}":'
    return f'    {name:53} "{method:4} ' + " ".join(f"{cells[r]:5}" for r in ROLES).rstrip() + '",'
