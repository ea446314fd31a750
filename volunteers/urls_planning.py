from django.urls import path

from volunteers.views import planning

urlpatterns = [
    path("volunteers/plan/", planning.pairing_plan_index, name="pairing_plan_index"),
    path("volunteers/plan/<int:pk>/", planning.pairing_plan_view, name="pairing_plan"),
    path("volunteers/plan/<int:pk>/row/<int:student_pk>/", planning.pairing_plan_row, name="pairing_plan_row"),
    path("volunteers/plan/<int:pk>/sign-ups/<int:sign_up_pk>/confirm/", planning.pairing_sign_up_confirm,
         name="pairing_sign_up_confirm"),
    path("volunteers/plan/<int:pk>/sign-ups/<int:sign_up_pk>/unconfirm/", planning.pairing_sign_up_unconfirm,
         name="pairing_sign_up_unconfirm"),
]
