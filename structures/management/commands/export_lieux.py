from pathlib import Path

from django.core.management.base import BaseCommand

from structures.models import Lieu
from structures.normes import exporter_csv, exporter_json


class Command(BaseCommand):
    help = (
        "Exporte les lieux au format du standard national des lieux de médiation numérique "
        "v1.0.2 (CSV ou JSON), sur la sortie standard ou dans un fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument("--sortie", type=Path, help="fichier à écrire (sortie standard sinon)")
        parser.add_argument("--commune", help="code INSEE d'une commune")
        parser.add_argument("--epci", help="SIREN d'un EPCI")

    def handle(self, *args, format, sortie, commune, epci, **options):
        lieux = Lieu.objects.tous().order_by("source", "identifiant")
        if commune:
            lieux = lieux.filter(commune_id=commune)
        if epci:
            lieux = lieux.filter(commune__epci_id=epci)
        exporter = exporter_json if format == "json" else exporter_csv
        if sortie:
            with sortie.open("w", encoding="utf-8", newline="") as flux:
                total = exporter(lieux, flux)
            self.stderr.write(f"{total} lieux exportés dans {sortie}.")
        else:
            # the raw stream: OutputWrapper.write would add a newline after every chunk
            exporter(lieux, self.stdout._out)
