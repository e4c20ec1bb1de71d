from django.apps import AppConfig


class CouvertureConfig(AppConfig):
    """The coverage analysis as its own app, for its templates and static files."""

    name = "indicateurs.couverture"
    label = "indicateurs_couverture"
    verbose_name = "analyse de couverture"
