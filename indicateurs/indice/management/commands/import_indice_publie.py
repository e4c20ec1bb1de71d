from pathlib import Path

from django.core.management.base import BaseCommand

from commun.rejets import (
    importer_en_commande,
    signaler_les_lignes_refusees,
    verifier_les_options,
)
from indicateurs.indice.publication import (
    REFERENCES,
    IndicePublieInvalide,
    importer_indice_publie,
)


class Command(BaseCommand):
    help = (
        "Importe l'indice de fragilité numérique publié par La Mednum (fichier par IRIS, "
        "séparé par des points-virgules\u00a0: scores en base 100 par rapport au département, à "
        "l'EPCI ou à la région). Crée une version publiée au niveau des IRIS et une au niveau "
        "des communes non découpées en IRIS. Tout ou rien, sauf avec --partiel."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, help="fichier CSV de La Mednum")
        parser.add_argument("--millesime", type=int, required=True, help="année de l'indice (AAAA)")
        parser.add_argument(
            "--reference",
            required=True,
            choices=list(REFERENCES),
            help="territoire de référence des scores (base 100)\u00a0: departement, epci ou region",
        )
        parser.add_argument("--source", default="", help="source affichée avec la version")
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier et compter sans rien écrire"
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

    def handle(self, *args, fichier, millesime, reference, source, dry_run, partiel, rejets, **o):
        verifier_les_options(fichier, partiel=partiel, rejets=rejets)
        rapport = importer_en_commande(
            self,
            lambda: importer_indice_publie(
                chemin=fichier,
                millesime=millesime,
                reference=reference,
                source=source,
                dry_run=dry_run,
                partiel=partiel,
            ),
            invalide=IndicePublieInvalide,
        )
        signaler_les_lignes_refusees(self, rapport.refusees, entete=rapport.entete, rejets=rejets)
        for avertissement in rapport.avertissements:
            self.stdout.write(avertissement)
        self.stdout.write(rapport.resume())
