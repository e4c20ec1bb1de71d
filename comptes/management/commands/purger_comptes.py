"""Delete the accounts unused for longer than the retention period."""

from commun.commandes import CommandeDePurge
from comptes.purge import purger_comptes_inactifs


class Command(CommandeDePurge):
    help = (
        "Supprime les comptes sans connexion depuis plus que la durée de conservation "
        "(COMPTES_CONSERVATION_MOIS), hors équipe technique ; ce qu'ils ont saisi reste, sans "
        "auteur."
    )
    a_compter = "les comptes"
    purger = staticmethod(purger_comptes_inactifs)
