from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commun.rejets import (
    importer_en_commande,
    signaler_les_lignes_refusees,
    verifier_les_options,
)
from conseillers.importation import (
    FORMAT_COOP,
    FORMAT_CSV,
    ActivitesInvalides,
    importer_activites,
)


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV d'activités de conseillers numériques (comptes rendus "
        "d'activité). Colonnes\u00a0: date, conseiller_email, type, canal, code_insee, lieu_id, "
        "duree_minutes, nb_participants, nb_participants_recurrents, thematiques, et en option "
        "age_<tranche>, statut_<statut>, titre_atelier ; codes du portail ou de La Coop de la "
        "médiation numérique. Avec --format coop\u00a0: l'export XLSX des activités d'un "
        "conseiller "
        "dans La Coop (--conseiller). Tout ou rien\u00a0: à la moindre erreur, rien n'est écrit, "
        "sauf avec --partiel."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "fichier", type=Path, help="fichier CSV (virgule ou point-virgule) ou XLSX de La Coop"
        )
        parser.add_argument(
            "--format",
            dest="format_",
            choices=[FORMAT_CSV, FORMAT_COOP],
            default=FORMAT_CSV,
            help="csv (format du portail, par défaut) ou coop (export XLSX de La Coop)",
        )
        parser.add_argument(
            "--conseiller",
            default="",
            help="avec --format coop\u00a0: adresse électronique du conseiller dont c'est l'export",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="tout vérifier et compter sans rien écrire",
        )
        parser.add_argument(
            "--partiel",
            action="store_true",
            help="importer les lignes valides et lister les lignes refusées",
        )
        parser.add_argument(
            "--rejets",
            type=Path,
            help="avec --partiel\u00a0: écrire les lignes refusées et leurs raisons dans ce CSV",
        )

    def handle(self, *args, fichier, format_, conseiller, dry_run, partiel, rejets, **options):
        verifier_les_options(fichier, partiel=partiel, rejets=rejets)
        if conseiller and format_ != FORMAT_COOP:
            raise CommandError("--conseiller ne s'emploie qu'avec --format coop.")
        rapport = importer_en_commande(
            self,
            lambda: importer_activites(
                chemin=fichier,
                dry_run=dry_run,
                partiel=partiel,
                format_=format_,
                conseiller_email=conseiller,
            ),
            invalide=ActivitesInvalides,
        )
        signaler_les_lignes_refusees(self, rapport.refusees, entete=rapport.entete, rejets=rejets)
        self.stdout.write(rapport.resume())
