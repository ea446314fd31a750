"""Participants of an activity, printables, day-of attendance and the report (full paths)."""

from django.urls import path

from activities.views import participants, printables, report

urlpatterns = [
    path("activities/<int:pk>/participants/", participants.participants, name="activity_participants"),
    path("activities/<int:pk>/participants/invite/", participants.invite, name="activity_invite"),
    path("activities/<int:pk>/participants/invite/named/", participants.invite_named, name="activity_invite_named"),
    path("activities/<int:pk>/participants/invite/guardians/", participants.invite_guardians,
         name="activity_invite_guardians"),
    path("activities/<int:pk>/participants/<int:participant_pk>/answer/", participants.answer,
         name="activity_participant_answer"),
    path("activities/<int:pk>/participants/<int:participant_pk>/consent/", participants.consent,
         name="activity_participant_consent"),
    path("activities/<int:pk>/participants/<int:participant_pk>/edit/", participants.edit,
         name="activity_participant_edit"),
    path("activities/<int:pk>/participants/<int:participant_pk>/remove/", participants.remove,
         name="activity_participant_remove"),
    path("activities/<int:pk>/day-of/", participants.day_of, name="activity_day_of"),
    path("activities/<int:pk>/day-of/<int:participant_pk>/", participants.attendance_set_view,
         name="activity_attendance_set"),
    path("activities/<int:pk>/print/participants/", printables.print_participants,
         name="activity_print_participants"),
    path("activities/<int:pk>/print/invitation/", printables.print_invitation, name="activity_print_invitation"),
    path("activities/<int:pk>/report/", report.report, name="activity_report"),
    path("activities/<int:pk>/report/photos/", report.photo_upload, name="activity_photo_upload"),
    path("activities/photos/<int:pk>/", report.photo, name="activity_photo"),
    path("activities/photos/<int:pk>/thumbnail/", report.photo_thumbnail, name="activity_photo_thumbnail"),
    path("activities/photos/<int:pk>/delete/", report.photo_delete, name="activity_photo_delete"),
]
