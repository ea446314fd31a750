from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is for superusers only: staff flags alone do not open it."""

    site_header = _("Yorisoi administration")
    site_title = _("Yorisoi administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
