from pathlib import Path

from django.core.management.base import BaseCommand

from commun.rejets import (
    importer_en_commande,
    signaler_les_lignes_refusees,
    verifier_les_options,
)
from structures.normes import DonneesInvalides, importer_lieux


class Command(BaseCommand):
    help = (
        "Importe un fichier de lieux de médiation numérique (CSV ou JSON)\u00a0: standard national "
        "v1.0.2, son ancienne version v0 ou la liste des France Services. Tout ou rien, sauf "
        "avec --partiel ; relancer l'import ne modifie que ce qui a changé."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, help="fichier CSV ou JSON")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tout vérifier et compter sans rien écrire",
        )
        parser.add_argument(
            "--source",
            default="",
            help="source des lignes qui n'en indiquent pas (colonne « source » du standard)",
        )
        parser.add_argument(
            "--partiel",
            action="store_true",
            help="importer les lignes valides et lister les lignes refusées avec leur motif",
        )
        parser.add_argument(
            "--rejets",
            type=Path,
            help="avec --partiel\u00a0: fichier CSV où écrire les lignes refusées et leurs motifs, "
            "à corriger puis réimporter",
        )

    def handle(self, *args, fichier, dry_run, source, partiel, rejets, **options):
        verifier_les_options(fichier, partiel=partiel, rejets=rejets)
        rapport = importer_en_commande(
            self,
            lambda: importer_lieux(
                chemin=fichier, dry_run=dry_run, source_par_defaut=source, partiel=partiel
            ),
            invalide=DonneesInvalides,
        )
        signaler_les_lignes_refusees(self, rapport.refusees, entete=rapport.entetes, rejets=rejets)
        for ligne in rapport.details():
            self.stdout.write(ligne)
        for avertissement in rapport.avertissements:
            self.stdout.write(avertissement)
        self.stdout.write(rapport.resume())
