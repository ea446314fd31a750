from django.urls import path

from classroom.views import (
    classdays,
    dropins,
    home,
    outbox,
    outcomes,
    profile,
    roster,
    statements,
    students,
    timeline,
    tutoring,
    two_factor,
)

app_name = "classroom"

urlpatterns = [
    path("", home.home, name="home"),
    path("staff/", home.home_staff, name="home_staff"),
    path("coordinator/", home.home_coordinator, name="home_coordinator"),
    # The user's own page and personal API tokens
    path("accounts/profile/", profile.profile, name="profile"),
    path("accounts/profile/tokens/", profile.token_create_view, name="token_create"),
    path("accounts/profile/tokens/<int:pk>/revoke/", profile.token_revoke_view, name="token_revoke"),
    path("accounts/profile/sessions/<int:pk>/end/", profile.session_end_view, name="session_end"),
    path("accounts/profile/sessions/end-others/", profile.sessions_end_others_view, name="sessions_end_others"),
    path("accounts/session/", profile.session_status, name="session_status"),
    path("accounts/session/keep/", profile.session_keepalive, name="session_keepalive"),
    # Students
    path("students/", students.student_list, name="student_list"),
    path("students/export/", students.student_export, name="student_export"),
    path("students/new/", students.student_create, name="student_create"),
    path("students/<int:pk>/", students.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", students.student_edit, name="student_edit"),
    path("students/<int:pk>/archive/", students.student_archive, name="student_archive"),
    path("students/<int:pk>/delete/", students.student_delete, name="student_delete"),
    path("students/<int:pk>/consents/new/", students.consent_add, name="consent_add"),
    path("students/<int:pk>/consents/<int:consent_pk>/withdraw/", students.consent_withdraw, name="consent_withdraw"),
    path("students/<int:pk>/statement/", statements.student_statement, name="student_statement"),
    path("students/<int:pk>/statement/print/", statements.student_statement_print, name="student_statement_print"),
    # Outcomes (進路)
    path("outcomes/", outcomes.outcome_todo, name="outcome_todo"),
    path("students/<int:student_pk>/outcomes/new/", outcomes.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/edit/", outcomes.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", outcomes.outcome_delete, name="outcome_delete"),
    # Roster and tutoring records of a class day
    path("class-days/<int:pk>/roster/", roster.roster, name="roster"),
    path("class-days/<int:pk>/roster/<int:student_pk>/", roster.attendance_set_view, name="attendance_set"),
    path("class-days/<int:pk>/roster/search/", roster.search, name="roster_search"),
    path("class-days/<int:pk>/roster/add/<int:student_pk>/", roster.add, name="roster_add"),
    path("class-days/<int:pk>/roster/mark-all-present/", roster.mark_all_present, name="roster_mark_all_present"),
    path("class-days/<int:pk>/roster/mark-all-present/undo/", roster.mark_all_undo, name="roster_mark_all_undo"),
    path("class-days/<int:pk>/roster/close/", roster.close, name="roster_close"),
    path("class-days/<int:pk>/tutoring/<int:student_pk>/", tutoring.tutoring_record_edit, name="tutoring_record_edit"),
    # Class days
    path("class-days/", classdays.class_day_list, name="class_day_list"),
    path("class-days/calendar/", classdays.class_day_calendar, name="class_day_calendar"),
    path("class-days/new/", classdays.class_day_create, name="class_day_create"),
    path("class-days/series/", classdays.class_day_series, name="class_day_series"),
    path("class-days/<int:pk>/", classdays.class_day_detail, name="class_day_detail"),
    path("class-days/<int:pk>/edit/", classdays.class_day_edit, name="class_day_edit"),
    path("class-days/<int:pk>/cancel/", classdays.class_day_cancel, name="class_day_cancel"),
    path("class-days/<int:pk>/restore/", classdays.class_day_restore, name="class_day_restore"),
    # Drop-in
    path("drop-in/", dropins.dropin_board, name="dropin_board"),
    path("drop-in/check-in/", dropins.dropin_check_in, name="dropin_check_in"),
    path("drop-in/check-out/", dropins.dropin_check_out, name="dropin_check_out"),
    path("drop-in/visitors/", dropins.dropin_visitors, name="dropin_visitors"),
    # The access log of reads (its path kept from when the screen sat among the home visits)
    # A child's timeline, and the outgoing mail
    path("students/<int:pk>/timeline/", timeline.student_timeline, name="student_timeline"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", outbox.outbox_retry, name="outbox_retry"),
    # Two-factor sign-in
    path("accounts/two-factor/", two_factor.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/codes/", two_factor.two_factor_codes, name="two_factor_codes"),
    path("accounts/two-factor/codes/new/", two_factor.two_factor_recovery_renew, name="two_factor_recovery_renew"),
    path("accounts/two-factor/off/", two_factor.two_factor_turn_off, name="two_factor_turn_off"),
]
