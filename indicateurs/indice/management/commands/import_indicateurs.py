from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable\u00a0: {fichier}")
        try:
            rapport = importer_indicateurs(chemin=fichier, dry_run=dry_run)
        except IndicateursInvalides as exc:
            for erreur in exc.erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(
                f"Import refusé\u00a0: {len(exc.erreurs)} erreur(s), aucune donnée n'a été écrite."
            ) from exc
        self.stdout.write(rapport.resume())
