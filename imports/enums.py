from django.db import models


class TypeImport(models.TextChoices):
    LIEUX = "lieux", "lieux de médiation numérique"
    ACTIVITES = "activites", "comptes rendus d'activité"
    INDICATEURS = "indicateurs", "indicateurs de fragilité numérique"
    INDICE_PUBLIE = "indice_publie", "indice publié par La Mednum"
    CONTOURS = "contours", "contours"


class EtatImport(models.TextChoices):
    ANALYSE = "analyse", "analysé, à confirmer"
    EN_COURS = "en_cours", "import en cours"
    TERMINE = "termine", "terminé"
    ECHEC = "echec", "en échec"
    ABANDONNE = "abandonne", "abandonné"
