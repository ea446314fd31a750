"""The Django admin, for superusers only (see config.admin.SuperuserAdminSite)."""

from django.contrib import admin

from classroom import models


@admin.register(models.Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "phone"]
    filter_horizontal = ["members"]


class GuardianInline(admin.TabularInline):
    model = models.Guardian
    extra = 0


class HouseholdContactInline(admin.TabularInline):
    model = models.HouseholdContact
    extra = 0


@admin.register(models.Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["address", "postal_code"]
    inlines = [GuardianInline, HouseholdContactInline]
    search_fields = ["address", "guardians__family_name", "guardians__family_name_kana"]


class StudentReasonInline(admin.TabularInline):
    model = models.StudentReason
    extra = 0


@admin.register(models.Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "full_name_kana", "site", "status", "school"]
    list_filter = ["site", "status"]
    search_fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "nickname"]
    raw_id_fields = ["household", "staff_in_charge"]
    inlines = [StudentReasonInline]


@admin.register(models.ClassDay)
class ClassDayAdmin(admin.ModelAdmin):
    list_display = ["date", "start_time", "end_time", "site", "status"]
    list_filter = ["site", "status"]
    date_hierarchy = "date"


@admin.register(models.Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["class_day", "student", "status", "recorded_by", "recorded_at"]
    list_filter = ["status", "class_day__site"]
    raw_id_fields = ["class_day", "student", "recorded_by"]
