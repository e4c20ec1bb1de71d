from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicateurs.indice.publication import (
    REFERENCES,
    IndicePublieInvalide,
    ecrire_rejets,
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
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable\u00a0: {fichier}")
        if rejets and not partiel:
            raise CommandError("--rejets ne s'emploie qu'avec --partiel.")
        try:
            rapport = importer_indice_publie(
                chemin=fichier,
                millesime=millesime,
                reference=reference,
                source=source,
                dry_run=dry_run,
                partiel=partiel,
            )
        except IndicePublieInvalide as exc:
            for erreur in exc.erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(
                f"Import refusé\u00a0: {len(exc.erreurs)} erreur(s), aucune donnée n'a été écrite."
            ) from exc
        for refusee in rapport.refusees:
            for erreur in refusee.erreurs:
                self.stderr.write(str(erreur))
        for avertissement in rapport.avertissements:
            self.stdout.write(avertissement)
        if rejets:
            ecrire_rejets(rapport, rejets)
            self.stdout.write(f"Lignes refusées et leurs raisons\u00a0: {rejets}")
        self.stdout.write(rapport.resume())
