"""The Django admin for the volunteers' records (superusers only, see config.admin)."""

from django.contrib import admin

from volunteers import models


class TeachingSubjectInline(admin.TabularInline):
    model = models.TeachingSubject
    extra = 0


class AvailabilityExceptionInline(admin.TabularInline):
    model = models.AvailabilityException
    extra = 0


@admin.register(models.Volunteer)
class VolunteerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "max_children", "pledge_signed_on", "insurance_expires_on", "is_active"]
    list_filter = ["kind", "is_active", "sites"]
    search_fields = ["user__last_name", "user__first_name", "user__username"]
    filter_horizontal = ["sites"]
    raw_id_fields = ["user"]
    inlines = [TeachingSubjectInline, AvailabilityExceptionInline]
    list_select_related = ["user"]


@admin.register(models.SignUp)
class SignUpAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "class_day", "answer", "confirmed_at"]
    list_filter = ["answer"]
    raw_id_fields = ["volunteer", "class_day", "confirmed_by"]
    list_select_related = ["volunteer__user", "class_day__site"]


@admin.register(models.VolunteerAttendance)
class VolunteerAttendanceAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "class_day", "arrived_at", "left_at"]
    raw_id_fields = ["volunteer", "class_day", "recorded_by"]
    list_select_related = ["volunteer__user", "class_day__site"]


@admin.register(models.PairingPreference)
class PairingPreferenceAdmin(admin.ModelAdmin):
    list_display = ["student", "volunteer", "kind", "note"]
    list_filter = ["kind"]
    raw_id_fields = ["student", "volunteer", "created_by"]
    list_select_related = ["student", "volunteer__user"]
