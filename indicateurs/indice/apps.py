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

        # the commune outlines, for the check of a site's point (territoires.contours)
        from territoires.contours import enregistrer_lecteur as enregistrer_contours

        from .contours import codes_des_contours_de_communes, contours_de_communes

        enregistrer_contours(contours_de_communes, codes_des_contours_de_communes)
