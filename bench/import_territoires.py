"""Benchmark of ``import_territoires`` on SQLite (target: all communes in under 30 s).

Runs, in one process and on the same machine:
  * baseline — the floor: parse communes.csv with the csv module and insert the rows
    with sqlite3 ``executemany`` into a bare table (no validation, no ORM);
  * import   — the real service on an empty, migrated SQLite database;
  * re-import — the same files again (idempotent: compares, writes nothing).
and prints each time and its ratio to the baseline.

    .venv/bin/python bench/import_territoires.py
"""

import csv
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))


def baseline(dossier: Path, chemin_db: Path) -> float:
    debut = time.perf_counter()
    with (dossier / "communes.csv").open(encoding="utf-8", newline="") as fichier:
        lignes = [tuple(ligne.values()) for ligne in csv.DictReader(fichier)]
    connexion = sqlite3.connect(chemin_db)
    connexion.execute(
        "CREATE TABLE communes (code TEXT PRIMARY KEY, nom TEXT, dep TEXT, reg TEXT, epci TEXT,"
        " cp TEXT, pop INTEGER, lat REAL, lon REAL)"
    )
    with connexion:
        connexion.executemany("INSERT INTO communes VALUES (?,?,?,?,?,?,?,?,?)", lignes)
    connexion.close()
    return time.perf_counter() - debut


def main() -> None:
    dossier_tmp = Path(tempfile.mkdtemp(prefix="bench-territoires-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{dossier_tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from territoires.models import Commune
    from territoires.services import DOSSIER_PAR_DEFAUT, importer_territoires

    call_command("migrate", verbosity=0)
    t_base = baseline(DOSSIER_PAR_DEFAUT, dossier_tmp / "baseline.sqlite3")

    debut = time.perf_counter()
    bilan = importer_territoires()
    t_import = time.perf_counter() - debut

    debut = time.perf_counter()
    second = importer_territoires()
    t_reimport = time.perf_counter() - debut

    n = Commune.objects.count()
    assert bilan.communes.crees == n and second.communes.inchanges == n
    print(f"communes : {n}")
    print(f"{'mesure':<12}{'secondes':>10}{'× baseline':>13}")
    print(f"{'baseline':<12}{t_base:>10.2f}{1:>13.1f}")
    print(f"{'import':<12}{t_import:>10.2f}{t_import / t_base:>13.1f}")
    print(f"{'re-import':<12}{t_reimport:>10.2f}{t_reimport / t_base:>13.1f}")
    print(f"objectif : import < 30 s — {'atteint' if t_import < 30 else 'MANQUÉ'}")


if __name__ == "__main__":
    main()
