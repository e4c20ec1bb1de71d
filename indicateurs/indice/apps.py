from django.apps import AppConfig


class IndiceConfig(AppConfig):
    """The fragility index as its own app, for its templates, static files, commands and
    tasks; its models stay in the ``indicateurs`` app (``app_label``)."""

    name = "indicateurs.indice"
    label = "indicateurs_indice"
    verbose_name = "indice de fragilité numérique"

    def ready(self):
        # the workshop requests are ordered by the fragility of their site's area
        from ateliers.priorites import enregistrer_lecteur

        from .lecture import indices_des_lieux

        enregistrer_lecteur(indices_des_lieux)
