"""Delete the error reports received before the retention period."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from structures.purge import purger_signalements


class Command(BaseCommand):
    help = (
        "Supprime les signalements d'erreur reçus depuis plus que la durée de conservation "
        "(SIGNALEMENTS_CONSERVATION_MOIS), avec l'adresse laissée et la réponse envoyée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="compter les signalements sans rien supprimer"
        )
        parser.add_argument(
            "--mois",
            type=int,
            default=None,
            help="durée de conservation en mois (par défaut : le réglage du portail)",
        )

    def handle(self, *args, dry_run=False, mois=None, **options):
        try:
            resultat = purger_signalements(mois=mois, simulation=dry_run)
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        self.stdout.write(resultat.resume())
