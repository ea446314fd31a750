from django.contrib.admin.apps import AdminConfig


class YorisoiAdminConfig(AdminConfig):
    default_site = "config.admin.SuperuserAdminSite"
