from django.contrib import admin

from activities.models import Activity, ActivityPhoto, Helper, Participant, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_person", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "contact_person"]


class HelperInline(admin.TabularInline):
    model = Helper
    extra = 0
    raw_id_fields = ["volunteer", "staff"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "partner", "status", "capacity"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    date_hierarchy = "date"
    raw_id_fields = ["partner", "lead", "site"]
    inlines = [HelperInline]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["activity", "role", "answer"]
    list_filter = ["answer", "role"]
    raw_id_fields = ["activity", "student", "guardian", "household"]


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    list_display = ["activity", "caption", "uploaded_at"]
    raw_id_fields = ["activity", "uploaded_by"]
    # Photos come in through the report page, which reads them by content and removes their metadata.
    readonly_fields = ["image", "thumbnail"]

    def has_add_permission(self, request):
        return False
