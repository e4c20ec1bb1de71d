"""The columns of the portal's activity-report file, read by the import and written by the
conversion of other tools' exports (La Coop): one list, so that both agree."""

from .enums import CHAMPS_AGE, CHAMPS_STATUT

OBLIGATOIRES = [
    "date",
    "conseiller_email",
    "type",
    "canal",
    "code_insee",
    "lieu_id",
    "duree_minutes",
    "nb_participants",
    "nb_participants_recurrents",
    "thematiques",
]
FACULTATIVES = [*CHAMPS_AGE, *CHAMPS_STATUT, "titre_atelier"]
COLONNES = OBLIGATOIRES + FACULTATIVES
