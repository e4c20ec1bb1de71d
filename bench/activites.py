"""Benchmark of the advisors' activity reports (issue 4) on a throwaway PostgreSQL server.

Targets: ``import_activites`` imports 1,000,000 rows in at most 300 s; with 2,000,000
reports in the table, an advisor's history page (``conseillers:activites``) answers in at
most 200 ms warm.

Measured side by side, in one process:
  * baseline (import) — psycopg ``COPY`` of the same CSV into a bare table of text columns
    (no check, no index: the floor of reading the file into PostgreSQL);
  * ``import_activites`` on that file (several hundred advisors, of whom a hundred are
    unknown and created; several hundred sites, itinerant ones with stops; every type,
    channel and theme; age and status counts on part of the rows);
  * the table topped up to ``--total`` reports (``INSERT … SELECT`` of imported rows given
    to other advisors), then one advisor with a login and a few hundred reports;
  * baseline (history) — the bare SQL of the page's list: ``SELECT … WHERE conseiller_id =
    %s AND supprime_le IS NULL ORDER BY date DESC, cree_le DESC LIMIT 50``;
  * the history page itself through ``django.test.Client`` (``force_login``), warm.

    .venv/bin/python bench/activites.py [--lignes 1000000] [--total 2000000]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import chronometrer, p95, sur_postgres_jetable  # noqa: E402

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
    from django.test import Client
    from django.urls import reverse

    from comptes.enums import Role
    from comptes.services import creer_compte
    from conseillers.models import Activite, Conseiller
    from territoires.models import Epci
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
    copier(
        max(0, args.total - importees - 300),
        f"({ids_sql})[1 + mod(id * 7 + 3, {len(identifiants)})]",
    )
    user = creer_compte(
        email="conseillere@banc.test",
        mot_de_passe=None,
        role=Role.CONSEILLER,
        prenom="Karima",
        nom="Banc",
        epcis=[Epci.objects.get(siren="247200132")],
    )
    total_vise = max(args.total, importees)
    moi = Conseiller.objects.create(user=user, email=user.email, commune_id="72181")
    with connection.cursor() as curseur:
        curseur.execute(
            f"INSERT INTO {table} ({liste}) SELECT "
            + ", ".join(str(moi.pk) if c == "conseiller_id" else c for c in colonnes)
            + f" FROM {table} WHERE mod(id, {max(1, total_vise // 400)}) = 0 ORDER BY id LIMIT 300"
        )
        curseur.execute(f"VACUUM ANALYZE {table}")
    t_complement = time.perf_counter() - debut
    total = Activite.objects.tous().count()
    mes_activites = Activite.objects.tous().filter(conseiller=moi).count()

    # -- the history page ------------------------------------------------------------
    client = Client()
    client.force_login(user)
    try:
        url = reverse("conseillers:activites")
    except Exception:  # the page not in the tree: measure the queryset it uses
        url = None

    if url:
        assert client.get(url).status_code == 200

        def page():
            reponse = client.get(url)
            assert reponse.status_code == 200
            return reponse

        mesure = "page historique (Client)"
    else:

        def page():
            qs = (
                Activite.objects.modifiables_par(user)
                .visibles()
                .select_related("lieu", "commune", "arret")
            )
            return list(qs[:50]), qs.count()

        mesure = "historique : queryset + count"

    def sql_nu():
        with connection.cursor() as curseur:
            curseur.execute(
                f"SELECT * FROM {table} WHERE conseiller_id = %s AND supprime_le IS NULL "
                "ORDER BY date DESC, cree_le DESC LIMIT 50",
                [moi.pk],
            )
            return curseur.fetchall()

    assert len(sql_nu()) == 50
    mesures_sql = chronometrer(sql_nu, args.repetitions)
    mesures_page = chronometrer(page, args.repetitions)

    med_sql, med_page = statistics.median(mesures_sql), statistics.median(mesures_page)
    print(
        f"fichier : {args.lignes} lignes, {taille / 1e6:.0f} Mo, généré en {t_generation:.0f} s ; "
        f"{len(conseillers)} conseillers dont {crees} créés par l'import, {args.lieux} lieux, "
        f"{len(communes)} communes"
    )
    print(
        f"table : {total} activités (complément en {t_complement:.0f} s) ; "
        f"conseillère mesurée : {mes_activites} activités"
    )
    print()
    ligne = "{:<42}{:>12}{:>13}{:>12}"
    print(ligne.format("mesure", "valeur", "× baseline", "objectif"))
    print(ligne.format("import : COPY du CSV (baseline)", f"{t_copy:.1f} s", "1.0", ""))
    print(
        ligne.format("import_activites", f"{t_import:.1f} s", f"{t_import / t_copy:.1f}", "≤ 300 s")
    )
    print(
        ligne.format(
            "historique : SQL nu, médiane (baseline)", f"{med_sql * 1000:.1f} ms", "1.0", ""
        )
    )
    print(ligne.format("historique : SQL nu, p95", f"{p95(mesures_sql) * 1000:.1f} ms", "", ""))
    print(
        ligne.format(
            f"{mesure}, médiane",
            f"{med_page * 1000:.1f} ms",
            f"{med_page / med_sql:.1f}",
            "≤ 200 ms",
        )
    )
    print(
        ligne.format(
            f"{mesure}, p95",
            f"{p95(mesures_page) * 1000:.1f} ms",
            f"{p95(mesures_page) / med_sql:.1f}",
            "",
        )
    )
    if args.lignes < 1_000_000 or args.total < 2_000_000:
        print(
            "(volumes réduits : les objectifs portent sur 1 000 000 lignes et 2 000 000 activités)"
        )
    print(
        f"import de {args.lignes} lignes : target {'met' if t_import <= 300 else 'missed'} "
        f"({t_import:.0f} s ≤ 300 s)"
    )
    print(
        f"historique avec {total} activités : target "
        f"{'met' if med_page <= 0.2 else 'missed'} (médiane {med_page * 1000:.0f} ms ≤ 200 ms, "
        f"{len(mesures_page)} requêtes)"
    )


if __name__ == "__main__":
    main()
