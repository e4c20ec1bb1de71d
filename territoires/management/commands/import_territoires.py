from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territoires.services import DOSSIER_PAR_DEFAUT, DonneesInvalides, importer_territoires


class Command(BaseCommand):
    help = (
        "Importe les régions, départements, EPCI et communes (fichiers CSV du Code officiel "
        "géographique). Tout ou rien ; relancer l'import ne modifie que ce qui a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossier",
            type=Path,
            default=DOSSIER_PAR_DEFAUT,
            help="dossier contenant regions.csv, departements.csv, epci.csv et communes.csv",
        )

    def handle(self, *args, dossier, **options):
        try:
            bilan = importer_territoires(dossier=dossier)
        except DonneesInvalides as exc:
            for erreur in exc.erreurs[:200]:
                self.stderr.write(str(erreur))
            if len(exc.erreurs) > 200:
                self.stderr.write(f"… et {len(exc.erreurs) - 200} autre(s) erreur(s).")
            raise CommandError(
                f"Import refusé\u00a0: {len(exc.erreurs)} erreur(s), aucune donnée n'a été écrite."
            ) from exc
        self.stdout.write(bilan.resume())
