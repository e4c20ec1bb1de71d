"""Delete the followed beneficiaries inactive for longer than the retention period."""

from commun.commandes import CommandeDePurge
from conseillers.beneficiaires import purger_beneficiaires_inactifs


class Command(CommandeDePurge):
    help = (
        "Supprime les bénéficiaires suivis sans activité depuis plus que la durée de "
        "conservation (BENEFICIAIRES_CONSERVATION_MOIS) ; les activités restent, anonymes."
    )
    a_compter = "les fiches à supprimer"
    purger = staticmethod(purger_beneficiaires_inactifs)
