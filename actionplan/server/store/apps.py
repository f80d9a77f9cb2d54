from django.apps import AppConfig


class StoreConfig(AppConfig):
    """Immutable plan versions with an element and reference index for search."""

    name = "actionplan.server.store"
    label = "store"
    verbose_name = "Action plan store"
    default_auto_field = "django.db.models.BigAutoField"
