from django.urls import path

from casework.views import visits, warnings

app_name = "casework"

urlpatterns = [
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/autosave/", visits.visit_autosave, name="visit_autosave_new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/autosave/", visits.visit_autosave, name="visit_autosave"),
    path("visits/follow-ups/", visits.followup_list, name="followup_list"),
    path("visits/follow-ups/<int:pk>/done/", visits.followup_done, name="followup_done"),
    path("visits/follow-ups/<int:pk>/reopen/", visits.followup_reopen, name="followup_reopen"),
    path("contacts/", visits.contact_list, name="contact_list"),
    path("contacts/new/", visits.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", visits.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", visits.contact_edit, name="contact_edit"),
    path("shares/new/", visits.share_create, name="share_create"),
    path("shares/<int:pk>/", visits.share_detail, name="share_detail"),
    path("students/<int:pk>/shares/", visits.share_list, name="share_list"),
    path("warnings/", warnings.warning_list, name="warning_list"),
    path("warnings/settings/", warnings.warning_settings, name="warning_settings"),
]
