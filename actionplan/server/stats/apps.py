from django.apps import AppConfig


class StatsConfig(AppConfig):
    """ICT statistics: indicator definitions, observations and their vintages, index frameworks."""

    name = "actionplan.server.stats"
    label = "stats"
    verbose_name = "ICT statistics"
    default_auto_field = "django.db.models.BigAutoField"
