from django.db import models


class Role(models.TextChoices):
    COORDINATEUR = "coordinateur", "coordinateur ou coordinatrice"
    CONSEILLER = "conseiller", "conseiller ou conseillère numérique"
    REFERENT = "referent", "référent ou référente de structure"
    ELU = "elu", "élu ou financeur"


class EtatCompte(models.TextChoices):
    INVITE = "invite", "invité"
    ACTIF = "actif", "actif"
    DESACTIVE = "desactive", "désactivé"
