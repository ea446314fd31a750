from django.urls import path

from activities.views import activities, helpers, partners

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/calendar/", activities.activity_calendar, name="activity_calendar"),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/duplicate/", activities.activity_duplicate, name="activity_duplicate"),
    path("activities/<int:pk>/status/", activities.activity_status, name="activity_status"),
    path("activities/<int:pk>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/helpers/add/", helpers.helper_add, name="helper_add"),
    path("activities/<int:pk>/helpers/<int:helper_pk>/confirm/", helpers.helper_confirm, name="helper_confirm"),
    path("activities/<int:pk>/helpers/<int:helper_pk>/remove/", helpers.helper_remove, name="helper_remove"),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("volunteer/activities/", helpers.my_activities, name="my_activities"),
    path("volunteer/activities/offer/", helpers.activity_offer_help, name="activity_offer_help"),
    path("volunteer/activities/<int:pk>/offer/", helpers.help_offer, name="help_offer"),
    path("volunteer/activities/<int:pk>/withdraw/", helpers.help_withdraw, name="help_withdraw"),
]
