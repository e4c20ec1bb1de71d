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
import contextlib
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import Resultats, chronometrer, imprimer, sur_postgres_jetable  # noqa: E402
from bench.recherches import communes_ponderees, generer_csv  # noqa: E402


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
    parametres.add_argument(
        "--recherches", type=int, default=1000, help="recherches distinctes tirées"
    )
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
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    communes, poids = communes_ponderees()
    dossier = Path(tempfile.mkdtemp(prefix="bench-lieux-"))
    fichier = dossier / "lieux.csv"
    generer_csv(fichier, args.lieux, communes, poids)
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

    # -- searches drawn as the public makes them, cold then warm --------------------------
    from bench import recherches as tirages

    tirage = tirages.lire(communes, poids)
    recherches = tirages.tirer(tirage, args.recherches)
    series = mesurer_recherches(client, recherches, tirage, args)

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
    print()
    print(
        f"{len(recherches)} recherches distinctes tirées ({_genres(recherches)}) ; "
        f"{sum(r.proches for r in recherches)} dans une commune sans lieu (la liste répond par "
        "les plus proches). Froid : cache vidé avant chaque requête ; chaud : la même requête "
        "aussitôt après. Base : la requête SQL des mêmes filtres (nombre et première page)."
    )
    imprimer(series)
    atteints = [
        t_import <= 60,
        octets_carte <= 2e6,
        med_carte <= 0.3,
        *(s.atteint() for s in series if s.objectif_ms),
    ]
    print(f"objectifs atteints : {sum(atteints)}/{len(atteints)}")


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat


NOMBRE = re.compile(r"(\d+) lieux? correspond")


def lignes_de_la_liste(reponse) -> int:
    """The results the list says it found; for the nearest sites, those it shows."""
    assert reponse.status_code == 200, reponse.status_code
    html = reponse.content.decode()
    if trouve := NOMBRE.search(html):
        return int(trouve[1])
    return html.count('class="lieu-resume')


def lignes_de_l_api(reponse) -> int:
    assert reponse.status_code == 200, (reponse.status_code, reponse.content[:300])
    return reponse.json()["count"]


def lignes_de_la_carte(reponse) -> int:
    assert reponse.status_code == 200, reponse.status_code
    return len(json.loads(reponse.content)["lieux"])


def mesurer_recherches(client, recherches, tirage, args) -> list[Resultats]:
    """Each search cold (the cache emptied just before) and warm (asked again at once):
    the list, the API and the map's data; then sites' pages. Each request at the moment
    its search is made (« open now » at several hours of the week)."""
    from unittest import mock

    from django.core.cache import cache
    from django.http import QueryDict
    from django.utils.html import escape

    from structures.forms.public import RechercheLieuxForm
    from structures.models import Lieu

    liste = Resultats("liste /lieux/ (recherche)", 100)
    api = Resultats("API /api/v1/lieux/", 100)
    api_sans = Resultats("  dont API sans commune", 100)
    donnees = Resultats("données de la carte (recherche)")
    incoherences: list[str] = []
    # the process warmed up first (templates compiled, URL resolvers filled), with a search
    # that is not measured
    for url in ("/lieux/?q=echauffement", "/api/v1/lieux/?q=echauffement"):
        assert client.get(url).status_code == 200, url
    for recherche in recherches:
        horloge = (
            mock.patch("django.utils.timezone.now", return_value=recherche.moment)
            if recherche.moment
            else contextlib.nullcontext()
        )
        with horloge:
            chaine_api = recherche.chaine("api")

            def base(chaine=chaine_api):
                formulaire = RechercheLieuxForm(QueryDict(chaine))
                formulaire.is_valid()
                lieux = formulaire.filtrer(Lieu.objects.publics())
                return lieux.count(), list(lieux.values_list("pk", flat=True)[:20])

            t_base, (n_base, _) = _chrono(base)
            for serie, url, compter in (
                (liste, f"/lieux/?{recherche.chaine()}", lignes_de_la_liste),
                (api, f"/api/v1/lieux/?{chaine_api}", lignes_de_l_api),
                (donnees, f"/lieux/carte/?{recherche.chaine()}", lignes_de_la_carte),
            ):
                cache.clear()
                froid, reponse = _chrono(lambda url=url: client.get(url))
                lignes = compter(reponse)
                chaud, reponse = _chrono(lambda url=url: client.get(url))
                if compter(reponse) != lignes:
                    incoherences.append(
                        f"{url} : {lignes} lignes à froid, {compter(reponse)} à chaud"
                    )
                cle = f"{url} à {recherche.moment:%a %H:%M}" if recherche.moment else url
                serie.ajouter(cle, froid, chaud, lignes, t_base)
                if serie is api:
                    if lignes != n_base:
                        incoherences.append(f"{url} : {lignes} lignes, la base en compte {n_base}")
                    if "commune" not in recherche.api:
                        api_sans.ajouter(cle, froid, chaud, lignes, t_base)

    # a site's page: sites drawn as the searches' (where people live)
    import random

    rng = random.Random(50)
    identifiants = rng.sample(sorted(tirage.lieux), min(args.recherches, len(tirage.lieux)))
    fiche = Resultats("fiche d'un lieu /lieux/<id>/", 50)
    for pk in identifiants:

        def base(pk=pk):
            lieu = Lieu.objects.publics().select_related("structure", "commune").get(pk=pk)
            return list(lieu.arrets.all())

        t_base, _ = _chrono(base)
        url = f"/lieux/{pk}/"
        cache.clear()
        froid, reponse = _chrono(lambda url=url: client.get(url))
        assert reponse.status_code == 200, (url, reponse.status_code)
        lignes = int(escape(tirage.lieux[pk]["nom"]) in reponse.content.decode())
        chaud, reponse = _chrono(lambda url=url: client.get(url))
        fiche.ajouter(url, froid, chaud, lignes, t_base)

    # the map's data of a whole département: the public map has no département filter, so
    # its upper bound, the map of every site of the country, is measured
    pays = Resultats("données de la carte, tout le pays", 200)
    for _ in range(args.repetitions):
        cache.clear()
        froid, reponse = _chrono(lambda: client.get("/lieux/carte/"))
        lignes = lignes_de_la_carte(reponse)
        chaud, reponse = _chrono(lambda: client.get("/lieux/carte/"))
        t_base, _ = _chrono(
            lambda: list(
                Lieu.objects.publics()
                .filter(latitude__isnull=False)
                .order_by()
                .values_list("pk", "latitude", "longitude")
            )
        )
        pays.ajouter("/lieux/carte/", froid, chaud, lignes, t_base)
    for incoherence in incoherences:
        print(f"INCOHÉRENCE : {incoherence}")
    if incoherences:
        for serie in (liste, api, api_sans, donnees):
            serie.lignes.append(0)  # the bench fails: what it counted is not what it served
    return [liste, api, api_sans, donnees, fiche, pays]


def _genres(recherches) -> str:
    from collections import Counter

    genres = Counter(r.genre for r in recherches)
    return ", ".join(f"{genre} {n}" for genre, n in genres.most_common())


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
