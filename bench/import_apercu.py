"""Benchmark of the back-office import's preview (issue 21): the 20,000-row generated
national CSV (the one of ``bench/lieux.py``) uploaded in ``/gestion/imports/``, analysed
without writing (the importer's dry run, partial so every refused row is counted).

Target: the preview of a 20,000-row file appears in at most 20 s. Printed against the raw
``COPY`` of the same file into a bare table (the floor), in one process on a throwaway
PostgreSQL server, for staff (every row within its reach) and for a département's
coordinator (the rows of the other départements refused for the territory), then the
import itself as the Celery task runs it, and the preview of the same file once imported
(every row unchanged).

    .venv/bin/python bench/import_apercu.py [--lieux 20000] [--departement 72]
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
from bench.import_lieux import copy_baseline  # noqa: E402
from bench.lieux import generer_csv  # noqa: E402


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--lieux", type=int, default=20000)
    parametres.add_argument("--departement", default="72")
    sur_postgres_jetable(executer, parametres.parse_args())


def executer(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from comptes.enums import Role
    from comptes.models import TerritoireUtilisateur, User
    from imports import services
    from imports.enums import TypeImport
    from structures.models import Lieu
    from territoires.models import Commune
    from territoires.services import importer_territoires

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    call_command("migrate", verbosity=0)
    importer_territoires()
    communes = list(
        Commune.objects.filter(latitude__isnull=False).values_list(
            "code_insee", "nom", "codes_postaux", "latitude", "longitude"
        )
    )
    genere = Path(tempfile.mkdtemp(prefix="bench-apercu-")) / "lieux.csv"
    generer_csv(genere, args.lieux, communes)
    contenu = genere.read_bytes()
    staff = User.objects.create_user("staff@bench.test", "x", is_staff=True, is_superuser=True)
    coordinateur = User.objects.create_user("coordination@bench.test", "x", role=Role.COORDINATEUR)
    TerritoireUtilisateur.objects.create(user=coordinateur, departement_id=args.departement)
    connection.ensure_connection()

    def deposer(user):
        debut = time.perf_counter()
        import_ = services.deposer(
            par=user,
            type=TypeImport.LIEUX,
            fichier=SimpleUploadedFile("lieux.csv", contenu),
            options={},
        )
        return import_, time.perf_counter() - debut

    t_copy = copy_baseline(connection.connection, genere)
    ligne = "{:<52}{:>10}{:>10}{:>12}"
    print(ligne.format("mesure", "durée", "× COPY", "objectif"))
    print(ligne.format(f"COPY du fichier ({args.lieux} lignes)", f"{t_copy:.2f} s", "1", ""))

    def imprimer(nom, duree, objectif=""):
        print(ligne.format(nom, f"{duree:.2f} s", f"{duree / t_copy:.0f}", objectif))

    import_, duree = deposer(staff)
    assert not Lieu.objects.tous().exists()
    imprimer("aperçu, équipe technique (toute la France)", duree, "≤ 20 s")
    print(f"    {_comptes(import_.apercu)}")
    import_c, duree = deposer(coordinateur)
    imprimer(f"aperçu, coordination du département {args.departement}", duree, "≤ 20 s")
    print(f"    {_comptes(import_c.apercu)}")

    debut = time.perf_counter()
    services.executer(import_=import_)
    imprimer("import confirmé (tâche Celery, dans ce processus)", time.perf_counter() - debut)
    print(f"    créés {import_.crees}, refusés {import_.refusees}, état {import_.etat}")
    assert (import_.crees, import_.refusees) == (
        import_.apercu["crees"],
        import_.apercu["refusees"],
    )
    encore, duree = deposer(staff)
    imprimer("aperçu du même fichier une fois importé", duree, "≤ 20 s")
    print(f"    {_comptes(encore.apercu)}")


def _comptes(apercu: dict) -> str:
    return (
        f"à créer {apercu['crees']}, à modifier {apercu['modifies']}, "
        f"inchangées {apercu['inchanges']}, refusées {apercu['refusees']}"
    )


if __name__ == "__main__":
    main()
