from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lib.plausible import PlausibleDatesMixin


def _plausible(form_class):
    """The admin's form with the plausible range on every date field, as on every other form."""
    if issubclass(form_class, PlausibleDatesMixin):
        return form_class
    return type(form_class.__name__, (PlausibleDatesMixin, form_class), {"__module__": form_class.__module__})


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is for superusers only: staff flags alone do not open it."""

    site_header = _("Yorisoi administration")
    site_title = _("Yorisoi administration")

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin and inline gets plausible dates (lib.plausible), without each
        admin.py having to remember it."""
        admin_class = admin_class or admin.ModelAdmin
        inlines = [type(inline.__name__, (inline,), {"form": _plausible(inline.form), "__module__": inline.__module__})
                   for inline in admin_class.inlines]
        admin_class = type(admin_class.__name__, (admin_class,), {
            "form": _plausible(admin_class.form), "inlines": inlines, "__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)
