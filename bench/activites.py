"""Benchmark of the advisors' activity reports (issue 4) on a throwaway PostgreSQL server.

Targets: ``import_activites`` imports 1,000,000 rows in at most 300 s; with 2,000,000
reports in the table, an advisor's history page (``conseillers:activites``) answers in at
most 200 ms at the 95th percentile, for the busiest advisor as for the median one.

Measured side by side, in one process:
  * baseline (import) — psycopg ``COPY`` of the same CSV into a bare table of text columns
    (no check, no index: the floor of reading the file into PostgreSQL);
  * ``import_activites`` on that file (several hundred advisors, of whom a hundred are
    unknown and created; several hundred sites, itinerant ones with stops; every type,
    channel and theme; age and status counts on part of the rows);
  * the table topped up to ``--total`` reports (``INSERT … SELECT`` of imported rows given
    to the advisors unequally: the busiest gets about 1 % of them, the median 0.2 %);
  * for the busiest advisor and the median one, each given a login: the history page
    through ``django.test.Client`` (``force_login``) at ``--repetitions`` distinct
    addresses (pages, filters), each cold (first asked) then warm (asked again), with the
    number of reports it says it holds; a page that has disappeared fails the bench;
  * baseline (history) — the bare SQL of the page: ``SELECT … WHERE conseiller_id = %s
    AND supprime_le IS NULL ORDER BY date DESC, cree_le DESC LIMIT 50`` and the count.

    .venv/bin/python bench/activites.py [--lignes 1000000] [--total 2000000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import Resultats, imprimer, sur_postgres_jetable  # noqa: E402

DEPARTEMENTS = ["72", "49", "53", "61", "41", "37", "28"]
DUREES = [15, 30, 30, 45, 60, 60, 90, 120]
TITRES = [
    "Premiers pas sur la tablette",
    "Sécuriser ses comptes, ses mots de passe",
    "Découvrir l'intelligence artificielle",
    "Faire ses démarches en ligne : CAF, impôts",
    "Parents : le numérique et vos enfants",
    "Retoucher ses photos",
]


def generer_csv(chemin: Path, n: int, conseillers, lieux_par_conseiller, itinerants, communes):
    """``n`` valid report rows (the import's format), reproducible."""
    from conseillers.enums import (
        CHAMPS_AGE,
        CHAMPS_STATUT,
        THEMATIQUES_ADMINISTRATIVES,
        THEMATIQUES_PRINCIPALES,
    )
    from conseillers.importation import COLONNES

    rng = random.Random(2026)
    principales = [t.value for t in THEMATIQUES_PRINCIPALES if t != "demarches_administratives"]
    administratives = sorted(t.value for t in THEMATIQUES_ADMINISTRATIVES)
    ages, statuts = list(CHAMPS_AGE), list(CHAMPS_STATUT)
    fin = dt.date.today() - dt.timedelta(days=1)
    jours = [fin - dt.timedelta(days=i) for i in range(730)]
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.writer(fichier)
        ecrivain.writerow(COLONNES)
        for _ in range(n):
            email, commune_conseiller = conseillers[rng.randrange(len(conseillers))]
            type_ = rng.choices(["individuel", "ponctuel", "collectif"], [60, 25, 15])[0]
            canal = rng.choices(
                ["lieu_activite", "autre_lieu", "domicile", "distance", "itinerant"],
                [60, 12, 6, 14, 8] if type_ != "collectif" else [80, 15, 0, 2, 3],
            )[0]
            code_insee = lieu_id = ""
            if canal == "lieu_activite":
                lieu_id = rng.choice(lieux_par_conseiller[email])
            elif canal == "itinerant":
                lieu_id, arrets = itinerants[rng.randrange(len(itinerants))]
                code_insee = rng.choice([*arrets, ""])
            elif canal in ("autre_lieu", "domicile"):
                code_insee = rng.choice([commune_conseiller, *rng.sample(communes, 1)])
            elif rng.random() < 0.5:
                code_insee = commune_conseiller
            participants = rng.randint(2, 15) if type_ == "collectif" else 1
            recurrents = (
                rng.randint(0, participants // 2)
                if type_ == "collectif"
                else (1 if rng.random() < 0.35 else 0)
            )
            thematiques = rng.sample(principales, rng.choice([1, 1, 2, 3]))
            if rng.random() < 0.25:
                thematiques += ["demarches_administratives", rng.choice(administratives)]
            comptes = dict.fromkeys(ages + statuts, "")
            if rng.random() < 0.3:
                for champs in (ages, statuts):
                    for _p in range(participants):
                        champ = rng.choice(champs)
                        comptes[champ] = (comptes[champ] or 0) + 1
            ecrivain.writerow(
                [
                    rng.choice(jours).isoformat(),
                    email,
                    type_,
                    canal,
                    code_insee,
                    lieu_id,
                    rng.choice(DUREES),
                    participants,
                    recurrents,
                    "|".join(thematiques),
                    *(comptes[c] for c in ages + statuts),
                    rng.choice(TITRES) if type_ == "collectif" and rng.random() < 0.7 else "",
                ]
            )


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
                while bloc := fichier.read(1 << 20):
                    cp.write(bloc)
    duree = time.perf_counter() - debut
    with connexion.cursor() as curseur:
        curseur.execute("DROP TABLE bench_copie")
    return duree


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--lignes", type=int, default=1_000_000, help="lignes du CSV")
    parametres.add_argument(
        "--total", type=int, default=2_000_000, help="activités en base pour l'historique"
    )
    parametres.add_argument("--conseillers", type=int, default=400)
    parametres.add_argument("--lieux", type=int, default=600)
    parametres.add_argument("--repetitions", type=int, default=40)
    args = parametres.parse_args()

    sur_postgres_jetable(executer, args)


def preparer(args):
    """Communes of a few départements, structures, sites (5 % itinerant, with stops) and
    advisors: three quarters already known, a quarter only in the file."""
    from conseillers.models import Conseiller
    from structures.enums import Itinerance, Service
    from structures.models import Arret, Lieu, Structure
    from territoires.models import Commune

    rng = random.Random(72)
    communes = list(
        Commune.objects.filter(departement__in=DEPARTEMENTS)
        .order_by("-population")
        .values_list("code_insee", flat=True)[:400]
    )
    structures = Structure.objects.bulk_create(
        Structure(pivot="", nom=f"Structure {i}", commune_id=communes[i % len(communes)])
        for i in range(60)
    )
    lieux = Lieu.objects.bulk_create(
        Lieu(
            structure=structures[i % len(structures)],
            source="banc",
            identifiant=f"lieu-{i}",
            nom=f"Espace numérique {i}",
            adresse="1 place de la Mairie",
            code_postal="72000",
            commune_id=communes[i % len(communes)],
            services=[Service.DEMARCHES],
            itinerance=[Itinerance.ITINERANT if i % 20 == 0 else Itinerance.FIXE],
        )
        for i in range(args.lieux)
    )
    itinerants = []
    for lieu in lieux:
        if lieu.est_itinerant:
            arrets = rng.sample(communes, 4)
            Arret.objects.bulk_create(
                Arret(lieu=lieu, nom=f"Arrêt {code}", commune_id=code) for code in arrets
            )
            itinerants.append((lieu.pk, arrets))
    fixes = [lieu.pk for lieu in lieux if not lieu.est_itinerant]
    conseillers, lieux_par_conseiller = [], {}
    connus = []
    for i in range(args.conseillers):
        email = f"conseiller{i}@banc.test"
        commune = communes[rng.randrange(len(communes))]
        conseillers.append((email, commune))
        lieux_par_conseiller[email] = rng.sample(fixes, rng.randint(1, 3))
        if i % 4:
            connus.append(Conseiller(email=email, commune_id=commune))
    Conseiller.objects.bulk_create(connus)
    return conseillers, lieux_par_conseiller, itinerants, communes, len(connus)


def executer(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from comptes.enums import Role
    from comptes.services import creer_compte
    from conseillers.models import Activite, Conseiller
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    conseillers, lieux_par_conseiller, itinerants, communes, connus = preparer(args)
    dossier = Path(tempfile.mkdtemp(prefix="bench-activites-"))
    fichier = dossier / "activites.csv"
    debut = time.perf_counter()
    generer_csv(fichier, args.lignes, conseillers, lieux_par_conseiller, itinerants, communes)
    t_generation = time.perf_counter() - debut
    taille = fichier.stat().st_size

    # -- import ----------------------------------------------------------------------
    connection.ensure_connection()
    t_copy = copy_baseline(connection.connection, fichier)
    debut = time.perf_counter()
    call_command("import_activites", str(fichier))
    t_import = time.perf_counter() - debut
    importees = Activite.objects.tous().count()
    assert importees == args.lignes, importees
    crees = Conseiller.objects.tous().count() - connus
    fichier.unlink()

    # -- the table topped up, and one advisor with a login ---------------------------------
    table = Activite._meta.db_table
    colonnes = [f.column for f in Activite._meta.concrete_fields if not f.primary_key]
    liste = ", ".join(colonnes)
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT min(id), max(id) FROM {table}")
        premier, dernier = curseur.fetchone()
        curseur.execute("SELECT array_agg(id ORDER BY id) FROM conseillers_conseiller")
        (identifiants,) = curseur.fetchone()

    def copier(n: int, conseiller_sql: str) -> None:
        """``n`` more rows copied from the imported ones, given to other advisors."""
        reste = n
        while reste > 0:
            lot = min(reste, dernier - premier + 1)
            selection = ", ".join(conseiller_sql if c == "conseiller_id" else c for c in colonnes)
            with connection.cursor() as curseur:
                curseur.execute(
                    f"INSERT INTO {table} ({liste}) SELECT {selection} FROM {table} "
                    f"WHERE id BETWEEN %s AND %s",
                    [premier, premier + lot - 1],
                )
            reste -= lot

    debut = time.perf_counter()
    ids_sql = "ARRAY[" + ",".join(map(str, identifiants)) + "]"
    # advisors of unequal activity: the k-th busiest gets a share of the copies in
    # proportion to k^(1/1.3) - (k-1)^(1/1.3), the busiest about 1 %, the median 0.2 %
    n_ids = len(identifiants)
    copier(
        max(0, args.total - importees),
        f"({ids_sql})[1 + least({n_ids - 1}, floor({n_ids} * "
        f"power(mod(id * 7919, 100003) / 100003.0, 1.3))::int)]",
    )
    with connection.cursor() as curseur:
        curseur.execute(f"VACUUM ANALYZE {table}")
    t_complement = time.perf_counter() - debut
    total = Activite.objects.tous().count()

    # -- the busiest advisor and the median one, each with a login ------------------------
    par_conseiller = list(
        Activite.objects.tous()
        .filter(supprime_le__isnull=True)
        .values("conseiller_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "conseiller_id")
        .values_list("conseiller_id", "n")
    )
    mesures = {}
    for rang, (libelle, (conseiller_id, nombre)) in enumerate(
        [
            ("conseiller le plus actif", par_conseiller[0]),
            ("conseiller médian", par_conseiller[len(par_conseiller) // 2]),
        ]
    ):
        conseiller = Conseiller.objects.tous().select_related("commune").get(pk=conseiller_id)
        user = creer_compte(
            email=f"mesure{rang}@banc.test",
            mot_de_passe=None,
            role=Role.CONSEILLER,
            prenom="Banc",
            nom=str(rang),
            communes=[conseiller.commune],
        )
        Conseiller.objects.tous().filter(pk=conseiller_id).update(user=user)
        mesures[libelle] = mesurer_historique(user, conseiller_id, nombre, args, table)

    print(
        f"fichier : {args.lignes} lignes, {taille / 1e6:.0f} Mo, généré en {t_generation:.0f} s ; "
        f"{len(conseillers)} conseillers dont {crees} créés par l'import, {args.lieux} lieux, "
        f"{len(communes)} communes"
    )
    print(
        f"table : {total} activités (complément en {t_complement:.0f} s) ; par conseiller : "
        f"{par_conseiller[0][1]} au plus, {par_conseiller[len(par_conseiller) // 2][1]} en "
        f"médiane, {par_conseiller[-1][1]} au moins"
    )
    print()
    ligne = "{:<42}{:>12}{:>13}{:>12}"
    print(ligne.format("mesure", "valeur", "× baseline", "objectif"))
    print(ligne.format("import : COPY du CSV (baseline)", f"{t_copy:.1f} s", "1.0", ""))
    print(
        ligne.format("import_activites", f"{t_import:.1f} s", f"{t_import / t_copy:.1f}", "≤ 300 s")
    )
    print()
    print(
        "Historique (page « Mes activités ») : chaque page distincte (numéros de page, "
        "filtres de type, de canal, de thématique et de dates) demandée une fois à froid, "
        "puis aussitôt à chaud ; la page n'a pas de cache applicatif (froid : première "
        "demande de cette adresse). Base : le SQL nu de la liste (50 lignes) et de son "
        "décompte, pour les mêmes activités."
    )
    series = [serie for paire in mesures.values() for serie in paire]
    imprimer(series)
    if args.lignes < 1_000_000 or args.total < 2_000_000:
        print(
            "(volumes réduits : les objectifs portent sur 1 000 000 lignes et 2 000 000 activités)"
        )
    print(
        f"import de {args.lignes} lignes : objectif "
        f"{'atteint' if t_import <= 300 else 'manqué'} ({t_import:.0f} s ≤ 300 s)"
    )
    atteints = [t_import <= 300, *(serie.atteint() for serie in series if serie.objectif_ms)]
    print(f"objectifs atteints : {sum(atteints)}/{len(atteints)}")


NOMBRE = re.compile(r'id="nombre-activites" role="status">([\d\s\u202f\u00a0]+) activit')


def lignes_de_l_historique(reponse) -> int:
    """The reports the page says the advisor's selection holds."""
    assert reponse.status_code == 200, reponse.status_code
    trouve = NOMBRE.search(reponse.content.decode())
    assert trouve, "le nombre d'activités n'est plus sur la page"
    return int(re.sub(r"\D", "", trouve[1]))


def pages_distinctes(nombre: int, repetitions: int, graine: int) -> list[str]:
    """Addresses of the history an advisor asks: its pages, and its filters (type, channel,
    theme, a month), drawn without repetition."""
    from conseillers.enums import Canal, Thematique, TypeActivite

    rng = random.Random(graine)
    fin = dt.date.today()
    adresses: set[str] = {""}
    pages = max(1, nombre // 50)
    while len(adresses) < repetitions:
        parametres = {}
        tirage = rng.random()
        if tirage < 0.4:
            parametres["page"] = rng.randint(1, min(pages, 40))
        elif tirage < 0.55:
            parametres["type"] = rng.choice(TypeActivite.values)
        elif tirage < 0.7:
            parametres["canal"] = rng.choice(Canal.values)
        elif tirage < 0.85:
            parametres["thematique"] = rng.choice(Thematique.values)
        else:
            debut = fin - dt.timedelta(days=rng.randint(30, 700))
            parametres["du"] = debut.isoformat()
            parametres["au"] = (debut + dt.timedelta(days=30)).isoformat()
        if rng.random() < 0.2 and "page" not in parametres:
            parametres["page"] = 2
        adresses.add(urlencode(parametres))
    return sorted(adresses)


def mesurer_historique(user, conseiller_id: int, nombre: int, args, table: str):
    """The history page of one advisor, each distinct address cold then warm; the baseline
    is its bare SQL (50 rows and the count)."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user)
    url = reverse("conseillers:activites")  # the page itself, or the bench fails
    assert client.get(url).status_code == 200  # the process warmed up

    def sql_nu():
        with connection.cursor() as curseur:
            curseur.execute(
                f"SELECT * FROM {table} WHERE conseiller_id = %s AND supprime_le IS NULL "
                "ORDER BY date DESC, cree_le DESC LIMIT 50",
                [conseiller_id],
            )
            lignes = curseur.fetchall()
            curseur.execute(
                f"SELECT count(*), sum(duree_minutes) FROM {table} "
                "WHERE conseiller_id = %s AND supprime_le IS NULL",
                [conseiller_id],
            )
            return lignes, curseur.fetchone()

    libelle = f"{nombre} activités"
    page_serie = Resultats(f"historique, {libelle}", 200)
    for parametres in pages_distinctes(nombre, args.repetitions, conseiller_id):
        adresse = f"{url}?{parametres}" if parametres else url
        debut = time.perf_counter()
        reponse = client.get(adresse)
        froid = time.perf_counter() - debut
        lignes = lignes_de_l_historique(reponse)
        debut = time.perf_counter()
        reponse = client.get(adresse)
        chaud = time.perf_counter() - debut
        assert lignes_de_l_historique(reponse) == lignes, adresse
        debut = time.perf_counter()
        sql_nu()
        page_serie.ajouter(adresse, froid, chaud, lignes, time.perf_counter() - debut)
    base = Resultats(f"  SQL nu (baseline), {libelle}")
    for _ in range(args.repetitions):
        debut = time.perf_counter()
        rangs, (compte, _) = sql_nu()
        froid = time.perf_counter() - debut
        base.ajouter("sql", froid, None, compte)
    assert len(rangs) == 50, len(rangs)
    return page_serie, base


if __name__ == "__main__":
    main()
