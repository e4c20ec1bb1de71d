from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicateurs.enums import Niveau
from indicateurs.indice.contours import (
    GeoJSONInvalide,
    charger_contours_communes,
    enregistrer_contours,
    lire_geojson,
)


class Command(BaseCommand):
    help = (
        "Importe des contours (GeoJSON WGS84) de communes, d'IRIS ou de quartiers, avec leur "
        "population, pour la carte de l'indice et l'analyse de couverture ; ou, avec "
        "--departement, les contours des communes fournis dans fixtures/geo/. Tout ou rien ; "
        "un contour déjà présent est remplacé."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, nargs="?", help="fichier GeoJSON")
        parser.add_argument("--niveau", choices=Niveau.values, help="unités décrites")
        parser.add_argument("--source", default="", help="source des contours")
        parser.add_argument(
            "--departement",
            action="append",
            default=[],
            help="code d'un département dont fixtures/geo/ a les communes (répétable)",
        )

    def handle(self, *args, fichier, niveau, source, departement, **options):
        if bool(fichier) == bool(departement):
            raise CommandError("Donnez soit un fichier GeoJSON, soit --departement CODE.")
        try:
            if departement:
                nombre = charger_contours_communes(departement)
            else:
                if not niveau:
                    raise CommandError("Précisez --niveau commune, iris ou quartier.")
                if not fichier.is_file():
                    raise CommandError(f"Fichier introuvable\u00a0: {fichier}")
                nombre = enregistrer_contours(
                    lire_geojson(fichier.read_bytes(), niveau=niveau),
                    niveau=niveau,
                    source=source or fichier.name,
                )
        except GeoJSONInvalide as exc:
            for erreur in exc.erreurs:
                self.stderr.write(erreur)
            raise CommandError(
                f"Import refusé\u00a0: {len(exc.erreurs)} erreur(s), aucun contour n'a été écrit."
            ) from exc
        self.stdout.write(f"{nombre} contour(s) enregistré(s).")
