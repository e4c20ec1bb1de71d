from django.db import models


class BaseLegale(models.TextChoices):
    """Why the portal may keep a contact and write to it (docs/rgpd.md)."""

    MISSION = "mission", "intérêt légitime (mission de service public)"
    CONSENTEMENT = "consentement", "consentement recueilli"


class NatureGroupe(models.TextChoices):
    RESEAU = "reseau", "réseau ou collectif du territoire"
    GROUPE_DE_TRAVAIL = "groupe_de_travail", "groupe de travail"


class Audience(models.TextChoices):
    REFERENTS = "referents", "tous les référents des structures"
    TYPOLOGIE = "typologie", "les structures d'une typologie"
    PROGRAMME = "programme", "les structures d'un dispositif national (France Services…)"
    GROUPE = "groupe", "les membres d'un réseau ou d'un groupe de travail"
