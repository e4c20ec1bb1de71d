from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicateurs"
    verbose_name = "indicateurs et indice de fragilité numérique"

    def ready(self):
        # the workshop requests are ordered by the fragility of their site's area
        from ateliers.priorites import enregistrer_lecteur

        from .lecture import indices_des_lieux

        enregistrer_lecteur(indices_des_lieux)
