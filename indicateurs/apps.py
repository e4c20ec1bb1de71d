from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    """Holds the subjects' models and their migrations; each subject (``indice``,
    ``couverture``, ``statistiques``) is its own app in INSTALLED_APPS."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicateurs"
    verbose_name = "indicateurs et indice de fragilité numérique"
