from django.apps import AppConfig


class StatistiquesConfig(AppConfig):
    """The monthly statistics as their own app, for their templates, template tags, command
    and tasks; their models stay in the ``indicateurs`` app (``app_label``)."""

    name = "indicateurs.statistiques"
    label = "indicateurs_statistiques"
    verbose_name = "statistiques mensuelles et tableau de bord"
