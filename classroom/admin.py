"""The Django admin, for superusers only (see config.admin.SuperuserAdminSite)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

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


class YorisoiUserAdmin(UserAdmin):
    """Django's user admin, but deactivating an account ends every session it has, at once."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            from classroom.services.sessions import sessions_end

            sessions_end(user=obj)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), YorisoiUserAdmin)
