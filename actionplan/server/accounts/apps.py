from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles, organisation memberships and API tokens."""

    name = "actionplan.server.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"
