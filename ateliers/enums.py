"""Vocabularies of the workshops: sheets, conventions, requests and their steps."""

from django.db import models


class FormatAtelier(models.TextChoices):
    UNIQUE = "unique", "atelier unique"
    PARCOURS_COURT = "parcours_court", "parcours court (2 à 5 séances)"
    PARCOURS_LONG = "parcours_long", "parcours long (6 séances ou plus)"


class Moyen(models.TextChoices):
    """What the host structure provides for a workshop."""

    SALLE = "salle", "salle adaptée"
    POSTES = "postes", "ordinateurs pour les participants"
    TABLETTES = "tablettes", "tablettes ou smartphones"
    CONNEXION = "connexion", "connexion internet"
    VIDEOPROJECTEUR = "videoprojecteur", "vidéoprojecteur ou écran"
    IMPRIMANTE = "imprimante", "imprimante"
    ACCESSIBLE = "accessible", "salle accessible en fauteuil roulant"


class StatutFiche(models.TextChoices):
    BROUILLON = "brouillon", "brouillon"
    PUBLIEE = "publiee", "publiée"
    ARCHIVEE = "archivee", "archivée"


class StatutDemande(models.TextChoices):
    SOUMISE = "soumise", "soumise"
    EN_ETUDE = "en_etude", "en étude"
    PLANIFIEE = "planifiee", "planifiée"
    REFUSEE = "refusee", "refusée"
    REALISEE = "realisee", "réalisée"
    ANNULEE = "annulee", "annulée"


# the workflow: from each step, the steps allowed next
TRANSITIONS = {
    StatutDemande.SOUMISE: {StatutDemande.EN_ETUDE, StatutDemande.REFUSEE, StatutDemande.ANNULEE},
    StatutDemande.EN_ETUDE: {
        StatutDemande.PLANIFIEE,
        StatutDemande.REFUSEE,
        StatutDemande.ANNULEE,
    },
    StatutDemande.PLANIFIEE: {StatutDemande.REALISEE, StatutDemande.ANNULEE},
    StatutDemande.REFUSEE: set(),
    StatutDemande.REALISEE: set(),
    StatutDemande.ANNULEE: set(),
}
OUVERTES = (StatutDemande.SOUMISE, StatutDemande.EN_ETUDE)
