"""Delete the error reports received before the retention period."""

from commun.commandes import CommandeDePurge
from structures.purge import purger_signalements


class Command(CommandeDePurge):
    help = (
        "Supprime les signalements d'erreur reçus depuis plus que la durée de conservation "
        "(SIGNALEMENTS_CONSERVATION_MOIS), avec l'adresse laissée et la réponse envoyée."
    )
    a_compter = "les signalements"
    purger = staticmethod(purger_signalements)
