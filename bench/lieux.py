"""Benchmark of the sites (issue « lieux ») with 20,000 sites on PostgreSQL.

Targets: the public map page and its data weigh at most 2 MB and are served in at most
300 ms warm (median); a list or API search with three filters answers in at most 100 ms at
the 95th percentile; importing the 20,000-row national CSV takes at most 60 s.

Measured side by side, in one process, on a throwaway PostgreSQL server:
  * baseline (map) — the naive way: a folium map with one marker per site, built and
    rendered for each request (what a first version of such a page usually does);
  * the portal's map page: its HTML, the JavaScript and CSS it loads, and its data;
  * baseline (import) — psycopg ``COPY`` of the same CSV into a bare table (the floor);
  * ``import_lieux`` on the same file, then again (idempotent: nothing written).

    .venv/bin/python bench/lieux.py [--lieux 20000]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import chronometrer, p95, sur_postgres_jetable  # noqa: E402

SERVICES_STANDARD = [
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
]
HORAIRES = [
    "Mo-Fr 09:00-12:00,14:00-17:30",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 09:00-12:00",
    "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off",
    "",
]


def _siret(rng: random.Random) -> str:
    base = f"{rng.randrange(10**12, 10**13):013d}"
    for cle in range(10):
        candidat = base + str(cle)
        total = 0
        for rang, c in enumerate(reversed(candidat)):
            d = int(c) * (2 if rang % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidat
    raise AssertionError


def generer_csv(chemin: Path, n: int, communes) -> None:
    """``n`` valid rows of the national standard, spread over the communes given."""
    from structures.normes import COLONNES

    rng = random.Random(2026)
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.DictWriter(fichier, fieldnames=COLONNES)
        ecrivain.writeheader()
        for i in range(n):
            code, nom, codes_postaux, lat, lon = communes[rng.randrange(len(communes))]
            ligne = dict.fromkeys(COLONNES, "")
            ligne.update(
                id=f"bench-{i}",
                pivot=_siret(rng),
                nom=f"Espace numérique {i} de {nom}",
                commune=nom,
                code_postal=codes_postaux.split("|")[0],
                code_insee=code,
                adresse=f"{rng.randrange(1, 200)} rue de la République",
                latitude=f"{lat + rng.uniform(-0.01, 0.01):.5f}",
                longitude=f"{lon + rng.uniform(-0.01, 0.01):.5f}",
                typologie=rng.choice(["MUNI", "BIB", "CCAS", "ASSO", "RFS|MUNI"]),
                horaires=rng.choice(HORAIRES),
                source="Banc d'essai",
                date_maj="2026-10-01",
                services="|".join(rng.sample(SERVICES_STANDARD, rng.randrange(1, 4))),
                frais_a_charge=rng.choice(["Gratuit", "Gratuit|Payant", "Payant"]),
                itinerance=rng.choice(["Fixe"] * 9 + ["Itinérant"]),
            )
            ecrivain.writerow(ligne)


def copy_baseline(connexion, chemin: Path) -> float:
    debut = time.perf_counter()
    with connexion.cursor() as curseur:
        curseur.execute("DROP TABLE IF EXISTS bench_copie")
        with chemin.open(encoding="utf-8") as fichier:
            entete = fichier.readline().strip().split(",")
            colonnes = ", ".join(f'"{c}" text' for c in entete)
            curseur.execute(f"CREATE TABLE bench_copie ({colonnes})")
            fichier.seek(0)
            with curseur.copy("COPY bench_copie FROM STDIN WITH (FORMAT csv, HEADER true)") as cp:
                cp.write(fichier.read())
    return time.perf_counter() - debut


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--lieux", type=int, default=20000)
    parametres.add_argument("--repetitions", type=int, default=30)
    args = parametres.parse_args()

    sur_postgres_jetable(executer, args)


def executer(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from structures.models import Lieu
    from structures.normes import importer_lieux
    from territoires.models import Commune
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    communes = list(
        Commune.objects.filter(latitude__isnull=False).values_list(
            "code_insee", "nom", "codes_postaux", "latitude", "longitude"
        )
    )
    dossier = Path(tempfile.mkdtemp(prefix="bench-lieux-"))
    fichier = dossier / "lieux.csv"
    generer_csv(fichier, args.lieux, communes)
    taille_csv = fichier.stat().st_size

    # -- import ----------------------------------------------------------------------
    connection.ensure_connection()
    t_copy = copy_baseline(connection.connection, fichier)
    debut = time.perf_counter()
    rapport = importer_lieux(chemin=fichier)
    t_import = time.perf_counter() - debut
    debut = time.perf_counter()
    second = importer_lieux(chemin=fichier)
    t_reimport = time.perf_counter() - debut
    n = Lieu.objects.tous().count()
    assert n == args.lieux, (n, rapport)
    assert second.modifies == 0 and second.crees == 0, second
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")

    # -- naive folium map (baseline) -------------------------------------------------
    import folium

    def carte_naive() -> bytes:
        carte = folium.Map(location=[46.6, 2.4], zoom_start=6)
        for nom, lat, lon in Lieu.objects.tous().values_list("nom", "latitude", "longitude"):
            folium.Marker([lat, lon], popup=nom).add_to(carte)
        return carte.get_root().render().encode()

    debut = time.perf_counter()
    html_naif = carte_naive()
    t_naif = time.perf_counter() - debut
    mesures_naif = [t_naif] + [_duree(carte_naive) for _ in range(2)]

    # -- the portal's map page ---------------------------------------------------------
    client = Client()
    page = client.get("/lieux/")
    assert page.status_code == 200, page.status_code
    urls_donnees = _urls_de_donnees(page)
    statiques = _statiques_de_la_carte(page, finders)

    def servir_carte() -> int:
        total = len(client.get("/lieux/").content)
        for url_donnees in urls_donnees:
            reponse = client.get(url_donnees)
            assert reponse.status_code == 200, (url_donnees, reponse.status_code)
            total += len(b"".join(reponse) if reponse.streaming else reponse.content)
        return total

    octets_carte = servir_carte() + statiques
    mesures_carte = chronometrer(servir_carte, args.repetitions)
    from django.core.cache import cache

    def servir_carte_sans_cache() -> int:  # the markers recomputed at every request
        cache.clear()
        return servir_carte()

    mesures_froides = chronometrer(servir_carte_sans_cache, args.repetitions)

    # -- searches with three filters -----------------------------------------------------
    filtres = "services=demarches&gratuit=1&commune=Lyon"
    liste = f"/lieux/?{filtres}"
    api = f"/api/v1/lieux/?{filtres}"
    for url in (liste, api):
        assert client.get(url).status_code == 200, url
    mesures_liste = chronometrer(lambda: client.get(liste), args.repetitions * 2)
    mesures_api = chronometrer(lambda: client.get(api), args.repetitions * 2)

    med_naif = statistics.median(mesures_naif)
    med_carte = statistics.median(mesures_carte)
    print(f"lieux : {n} sur PostgreSQL ; fichier CSV {taille_csv / 1e6:.1f} Mo")
    print()
    print(f"{'mesure':<38}{'valeur':>12}{'× baseline':>13}{'objectif':>14}")
    ligne = "{:<38}{:>12}{:>13}{:>14}"
    print(ligne.format("import : COPY (baseline)", f"{t_copy:.2f} s", "1.0", ""))
    print(ligne.format("import_lieux", f"{t_import:.2f} s", f"{t_import / t_copy:.1f}", "≤ 60 s"))
    print(
        ligne.format(
            "import_lieux à nouveau (inchangé)",
            f"{t_reimport:.2f} s",
            f"{t_reimport / t_copy:.1f}",
            "",
        )
    )
    print(ligne.format("carte folium naïve : poids", f"{len(html_naif) / 1e6:.2f} Mo", "1.00", ""))
    print(
        ligne.format(
            "carte du portail : poids (page+JS+données)",
            f"{octets_carte / 1e6:.2f} Mo",
            f"{octets_carte / len(html_naif):.2f}",
            "≤ 2 Mo",
        )
    )
    print(ligne.format("carte folium naïve : médiane", f"{med_naif * 1000:.0f} ms", "1.00", ""))
    print(
        ligne.format(
            "carte du portail : médiane à chaud",
            f"{med_carte * 1000:.0f} ms",
            f"{med_carte / med_naif:.3f}",
            "≤ 300 ms",
        )
    )
    med_froide = statistics.median(mesures_froides)
    print(
        ligne.format(
            "carte du portail : médiane sans cache",
            f"{med_froide * 1000:.0f} ms",
            f"{med_froide / med_naif:.3f}",
            "",
        )
    )
    print(
        ligne.format(
            "liste, 3 filtres : p95", f"{p95(mesures_liste) * 1000:.0f} ms", "", "≤ 100 ms"
        )
    )
    print(ligne.format("API, 3 filtres : p95", f"{p95(mesures_api) * 1000:.0f} ms", "", "≤ 100 ms"))
    atteints = [
        t_import <= 60,
        octets_carte <= 2e6,
        med_carte <= 0.3,
        p95(mesures_liste) <= 0.1,
        p95(mesures_api) <= 0.1,
    ]
    print(f"objectifs atteints : {sum(atteints)}/{len(atteints)}")


def _duree(fonction) -> float:
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def _urls_de_donnees(page) -> list[str]:
    """The data URLs the map script fetches, read from the page's ``data-*`` attributes."""
    import re

    html = page.content.decode()
    return sorted(set(re.findall(r'data-(?:url|source|donnees)[\w-]*="([^"]+)"', html)))


def _statiques_de_la_carte(page, finders) -> int:
    """Size of the JS and CSS files the page loads (Bootstrap included)."""
    import re

    total = 0
    html = page.content.decode()
    for chemin in re.findall(r'(?:src|href)="/static/([^"]+\.(?:js|css))"', html):
        trouve = finders.find(chemin.split("?")[0])
        if trouve:
            total += Path(trouve).stat().st_size
    return total


if __name__ == "__main__":
    main()
