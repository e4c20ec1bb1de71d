"""Benchmark of the open-data feeds (issue « open data ») with 20,000 sites on PostgreSQL.

Targets: ``/donnees/lieux.csv`` answers in at most 2 s cold (cache emptied) and from the
cache, or 304, afterwards; an embedded map page (``/integrer/lieux/``) weighs at most
1.2 MB with its scripts, styles and data, and answers in at most 300 ms warm.

Measured side by side, in one process, on a throwaway PostgreSQL server:
  * baseline — PostgreSQL's own ``COPY (SELECT …) TO STDOUT`` of the sites' table as CSV:
    the floor of any CSV export of those rows;
  * each feed cold (cache emptied before each request), warm (asked again at once), and
    the harvester's second visit with the ETag (304);
  * the sites of one département, for the ten most furnished;
  * the embedded map and list of the most furnished communes: the page, its map data, the
    scripts and styles it loads (their weight), cold and warm.

    .venv/bin/python bench/donnees.py [--lieux 20000] [--repetitions 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import Resultats, imprimer, sur_postgres_jetable  # noqa: E402
from bench.recherches import communes_ponderees, generer_csv  # noqa: E402

OBJECTIF_FROID_MS = 2000


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--lieux", type=int, default=20000)
    parametres.add_argument("--repetitions", type=int, default=5)
    sur_postgres_jetable(executer, parametres.parse_args())


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat


def lignes_csv(reponse) -> int:
    assert reponse.status_code == 200, (reponse.status_code, reponse.content[:300])
    return sum(1 for _ in csv.reader(io.StringIO(reponse.content.decode()))) - 1


def lignes_json(reponse) -> int:
    assert reponse.status_code == 200, (reponse.status_code, reponse.content[:300])
    return len(json.loads(reponse.content))


def executer(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from structures.models import Lieu
    from structures.normes import importer_lieux
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    communes, poids = communes_ponderees()
    fichier = Path(tempfile.mkdtemp(prefix="bench-donnees-")) / "lieux.csv"
    generer_csv(fichier, args.lieux, communes, poids)
    importer_lieux(chemin=fichier)
    n = Lieu.objects.tous().count()
    assert n == args.lieux, n
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")

    table = Lieu._meta.db_table

    def base() -> int:
        connection.ensure_connection()
        sortie = io.BytesIO()
        with connection.connection.cursor() as curseur:
            requete = (
                f"COPY (SELECT * FROM {table} ORDER BY source, identifiant, id) "
                "TO STDOUT WITH (FORMAT csv, HEADER true)"
            )
            with curseur.copy(requete) as copie:
                for morceau in copie:
                    sortie.write(morceau)
        return sortie.getbuffer().nbytes

    client = Client()
    assert client.get("/donnees/").status_code == 200  # templates and resolvers warmed up
    series = []
    tailles = {}
    for nom, url, compter in (
        ("/donnees/lieux.csv", "/donnees/lieux.csv", lignes_csv),
        ("/donnees/lieux.json", "/donnees/lieux.json", lignes_json),
    ):
        serie = Resultats(nom, OBJECTIF_FROID_MS, seuil="max")
        conditionnelle = Resultats(f"  {nom} avec l'ETag (304)")
        for i in range(args.repetitions):
            t_base, _ = _chrono(base)
            cache.clear()
            froid, reponse = _chrono(lambda url=url: client.get(url))
            lignes = compter(reponse)
            tailles[nom] = len(reponse.content)
            chaud, reponse = _chrono(lambda url=url: client.get(url))
            assert compter(reponse) == lignes
            serie.ajouter(f"{url}#{i}", froid, chaud, lignes, t_base)
            etag = reponse["ETag"]
            t_304, deja = _chrono(
                lambda url=url, etag=etag: client.get(url, HTTP_IF_NONE_MATCH=etag)
            )
            assert deja.status_code == 304, deja.status_code
            conditionnelle.ajouter(f"{url}#{i}", t_304, None, lignes, t_base)
        series += [serie, conditionnelle]

    plus_fournis = (
        Lieu.objects.tous()
        .values("commune__departement")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    departements = Resultats("/donnees/lieux.csv?departement=…", OBJECTIF_FROID_MS, seuil="max")
    for ligne in plus_fournis:
        code = ligne["commune__departement"]
        url = f"/donnees/lieux.csv?departement={code}"
        cache.clear()
        froid, reponse = _chrono(lambda url=url: client.get(url))
        lignes = lignes_csv(reponse)
        assert lignes == ligne["n"], (code, lignes, ligne["n"])
        chaud, _ = _chrono(lambda url=url: client.get(url))
        departements.ajouter(url, froid, chaud, lignes)
    series.append(departements)

    # -- the embedded map and list of the most furnished communes ---------------------------
    from django.contrib.staticfiles import finders

    from bench.lieux import _statiques_de_la_carte

    communes = Lieu.objects.tous().values("commune").annotate(n=Count("pk")).order_by("-n")[:10]
    integre = Resultats("/integrer/lieux/ + données carte", 300, seuil="p50")
    poids_max = 0
    for ligne in communes:
        url = f"/integrer/lieux/?commune={ligne['commune']}"

        def servir(url=url) -> tuple[int, int]:
            page = client.get(url)
            assert page.status_code == 200, (url, page.status_code)
            donnees = client.get(url.replace("/integrer/lieux/", "/integrer/lieux/carte/"))
            return page, len(page.content) + len(donnees.content), len(donnees.json()["lieux"])

        cache.clear()
        froid, (page, octets, marqueurs) = _chrono(servir)
        chaud, _ = _chrono(servir)
        poids_max = max(poids_max, octets + _statiques_de_la_carte(page, finders))
        integre.ajouter(url, froid, chaud, marqueurs)
    series.append(integre)

    print(f"lieux : {n} sur PostgreSQL")
    print(
        "Froid : cache vidé avant la requête ; chaud : la même aussitôt après ; 304 : la "
        "visite suivante d'un moissonneur qui renvoie l'ETag. Base : COPY … TO STDOUT des "
        "mêmes lieux par PostgreSQL."
    )
    for nom, taille in tailles.items():
        print(f"{nom} : {taille / 1e6:.1f} Mo")
    imprimer(series)
    print(
        f"carte intégrée : poids maximal (page, données, scripts et styles) "
        f"{poids_max / 1e6:.2f} Mo ; objectif ≤ 1,2 Mo ; "
        f"à chaud p50 {integre.valeur(integre.chaud) * 1000:.0f} ms ; objectif ≤ 300 ms"
    )
    atteints = [s.atteint() for s in series if s.objectif_ms and s is not integre]
    atteints += [poids_max <= 1.2e6, integre.valeur(integre.chaud) <= 0.3 and not integre.vides]
    print(f"objectifs atteints : {sum(atteints)}/{len(atteints)}")


if __name__ == "__main__":
    main()
