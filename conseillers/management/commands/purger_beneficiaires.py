"""Delete the followed beneficiaries inactive for longer than the retention period."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from conseillers.beneficiaires import purger_beneficiaires_inactifs


class Command(BaseCommand):
    help = (
        "Supprime les bénéficiaires suivis sans activité depuis plus que la durée de "
        "conservation (BENEFICIAIRES_CONSERVATION_MOIS) ; les activités restent, anonymes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="compter les fiches à supprimer sans rien supprimer",
        )
        parser.add_argument(
            "--mois",
            type=int,
            default=None,
            help="durée de conservation en mois (par défaut\u00a0: le réglage du portail)",
        )

    def handle(self, *args, dry_run=False, mois=None, **options):
        try:
            resultat = purger_beneficiaires_inactifs(mois=mois, simulation=dry_run)
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        self.stdout.write(resultat.resume())
