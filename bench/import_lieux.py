"""Benchmark of ``import_lieux`` on real and generated files (issue 21), on PostgreSQL.

Targets: the France Services list (2,683 rows) imports in at most 10 s; the 20,000-row
generated national CSV (the one of ``bench/lieux.py``) in at most 15 s. Each is printed
against the raw ``COPY`` of the same file into a bare table (the floor), in one process on a
throwaway PostgreSQL server; the import runs into an empty database, then again (nothing
changes), and ``--partiel`` as the France Services list needs it.

    .venv/bin/python bench/import_lieux.py [--france-services FICHIER] [--lieux 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import sur_postgres_jetable  # noqa: E402
from bench.lieux import generer_csv  # noqa: E402

FRANCE_SERVICES = RACINE.parent / "shared/data/realdata/france-services-liste-20221201.csv"


def copy_baseline(connexion, chemin: Path) -> float:
    """``COPY`` of the file, every column text, into a bare table: the floor."""
    import csv

    debut = time.perf_counter()
    with connexion.cursor() as curseur, chemin.open(encoding="utf-8") as fichier:
        entete = next(csv.reader(fichier))
        curseur.execute("DROP TABLE IF EXISTS bench_copie")
        colonnes = ", ".join(f'"c{i}" text' for i in range(len(entete)))
        curseur.execute(f"CREATE TABLE bench_copie ({colonnes})")
        fichier.seek(0)
        with curseur.copy("COPY bench_copie FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
            cp.write(fichier.read())
    return time.perf_counter() - debut


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--lieux", type=int, default=20000)
    parametres.add_argument("--france-services", type=Path, default=FRANCE_SERVICES)
    sur_postgres_jetable(executer, parametres.parse_args())


def executer(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from structures.models import Lieu, Structure
    from structures.normes import importer_lieux
    from territoires.models import Commune
    from territoires.services import importer_territoires

    call_command("migrate", verbosity=0)
    importer_territoires()
    communes = list(
        Commune.objects.filter(latitude__isnull=False).values_list(
            "code_insee", "nom", "codes_postaux", "latitude", "longitude"
        )
    )
    genere = Path(tempfile.mkdtemp(prefix="bench-import-")) / "lieux.csv"
    generer_csv(genere, args.lieux, communes)
    connection.ensure_connection()

    ligne = "{:<44}{:>10}{:>12}{:>12}"
    print(ligne.format("mesure", "durée", "× COPY", "objectif"))
    for nom, fichier, objectif, partiel in (
        ("France Services (liste 2022)", args.france_services, 10, True),
        (f"fichier généré ({args.lieux} lieux)", genere, 15, False),
    ):
        Lieu.objects.tous().delete()
        Structure.objects.tous().delete()
        t_copy = copy_baseline(connection.connection, fichier)
        debut = time.perf_counter()
        rapport = importer_lieux(chemin=fichier, partiel=partiel)
        t_import = time.perf_counter() - debut
        debut = time.perf_counter()
        second = importer_lieux(chemin=fichier, partiel=partiel)
        t_reimport = time.perf_counter() - debut
        assert second.crees == second.modifies == 0, second.resume()
        print(ligne.format(f"{nom} : COPY", f"{t_copy:.2f} s", "1", ""))
        print(
            ligne.format(
                f"{nom} : import",
                f"{t_import:.2f} s",
                f"{t_import / t_copy:.0f}",
                f"≤ {objectif} s",
            )
        )
        print(ligne.format(f"{nom} : à nouveau", f"{t_reimport:.2f} s", "", ""))
        print(f"    {rapport.resume()}")


if __name__ == "__main__":
    main()
