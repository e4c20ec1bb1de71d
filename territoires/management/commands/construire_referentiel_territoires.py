from pathlib import Path

from django.core.management.base import BaseCommand

from territoires.referentiel import (
    CODES_POSTAUX,
    DECOUPAGE,
    VERSION_CODES_POSTAUX,
    VERSION_DECOUPAGE,
    construire,
)
from territoires.services import DOSSIER_PAR_DEFAUT


class Command(BaseCommand):
    help = (
        "Reconstruit les fichiers de référence de fixtures/territoires (arrondissements "
        "municipaux, communes déléguées, associées et anciennes, collectivités d'outre-mer, "
        "localités postales) à partir des paquets npm @etalab/decoupage-administratif et "
        "codes-postaux. Demande npm et un accès au registre ; le portail ne s'en sert jamais "
        "en fonctionnement."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=Path, default=DOSSIER_PAR_DEFAUT)
        parser.add_argument(
            "--paquets",
            type=Path,
            default=None,
            help="dossier où garder les paquets téléchargés (un dossier temporaire sinon)",
        )

    def handle(self, *args, dossier, paquets, **options):
        lignes = construire(dossier, paquets)
        for fichier, nombre in lignes.items():
            self.stdout.write(f"{fichier}\u00a0: {nombre} ligne(s)")
        self.stdout.write(
            f"Référentiel reconstruit depuis {DECOUPAGE} {VERSION_DECOUPAGE} et "
            f"{CODES_POSTAUX} {VERSION_CODES_POSTAUX}."
        )
