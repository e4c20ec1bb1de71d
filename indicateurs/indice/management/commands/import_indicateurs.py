from pathlib import Path

from django.core.management.base import BaseCommand

from commun.rejets import importer_en_commande, verifier_les_options
from indicateurs.indice.importation import IndicateursInvalides, importer_indicateurs


class Command(BaseCommand):
    help = (
        "Importe des valeurs d'indicateurs de fragilité numérique (CSV "
        "niveau,code,indicateur,valeur,millesime,source). Tout ou rien ; une valeur déjà "
        "présente (même niveau, code, indicateur et millésime) est remplacée."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, help="fichier CSV")
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier et compter sans rien écrire"
        )

    def handle(self, *args, fichier, dry_run, **options):
        verifier_les_options(fichier)
        rapport = importer_en_commande(
            self,
            lambda: importer_indicateurs(chemin=fichier, dry_run=dry_run),
            invalide=IndicateursInvalides,
        )
        self.stdout.write(rapport.resume())
