from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from classroom.views.home import healthz
from config.api import api


class FaviconRedirect(RedirectView):
    """The static icon's address is asked per request: the manifest exists only after collectstatic."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("img/icon.svg")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the Django admin's).
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Forgotten passwords: the same answer whether or not the address belongs to an account (and when
    # the mail server fails: Django logs that at ERROR and shows the same page).
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt"), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("classroom.urls")),
    path("", include("casework.urls")),
    path("", include("volunteers.urls")),
    path("", include("activities.urls")),
    path("", include("reporting.urls")),
    path("", include("dataio.urls")),
    path("", include("oversight.urls")),
]

