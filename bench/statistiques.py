"""Benchmark of the monthly statistics (issue 7) on a throwaway PostgreSQL server.

Targets: with 2,000,000 reports over 24 months from 4,000 advisors, one month's snapshots
for every territory in at most 15 s; within 3× of one hand-written SQL GROUP BY over the same
month; at least 20× faster than a per-row Python loop; the officials' dashboard at most
300 ms warm with 2 years × 50 advisors.

Measured side by side, in one process, on the same month (the busiest one):
  * baseline — one hand-written SQL ``GROUP BY`` (advisor × commune of the activity ×
    district, the same aggregates as the snapshots) whose rows are fetched;
  * ``calculer_mois(mois)``: the same GROUP BY through the ORM, the roll-up to the five
    axes, the distinct beneficiaries, and the rows written (what the Celery task runs);
  * a per-row Python loop: every report of the month loaded as a model instance (advisor
    joined, beneficiaries prefetched) and its figures added up in dictionaries for the five
    axes;
  * the API ``/api/v1/statistiques/mensuelles/`` over 24 months and the dashboard
    ``/tableau-de-bord/`` over 12 months, for a coordinator of a territory of 50 advisors,
    warm, through ``django.test.Client``.

The reports are generated in PostgreSQL (``INSERT … SELECT generate_series``), with every
type, channel and theme, age and status counts on a third of them, and some followed
beneficiaries.

    .venv/bin/python bench/statistiques.py [--activites 2000000] [--conseillers 4000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.commun import chronometrer, p95, sur_postgres_jetable

DEPARTEMENTS = ["72", "49", "53", "61", "28", "37", "41", "44", "35", "14"]
MOIS = 24


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--activites", type=int, default=2_000_000)
    parametres.add_argument("--conseillers", type=int, default=4_000)
    parametres.add_argument("--repetitions", type=int, default=20)
    parametres.add_argument("--profil", action="store_true", help="profil de calculer_mois")
    parametres.add_argument(
        "--reduit", action="store_true", help="200 000 activités, 400 conseillers (essai rapide)"
    )
    args = parametres.parse_args()
    if args.reduit:
        args.activites, args.conseillers = 200_000, 400
    sur_postgres_jetable(executer, args)


def preparer(args, debut: dt.date):
    """Structures and advisors over the communes of ten départements; 50 advisors in Le Mans
    Métropole for the dashboard's territory."""
    from conseillers.models import Beneficiaire, Conseiller
    from structures.models import Structure
    from territoires.models import Commune, Zone

    communes = list(
        Commune.objects.filter(departement__in=DEPARTEMENTS)
        .order_by("-population")
        .values_list("code_insee", flat=True)[:1000]
    )
    metropole = list(
        Commune.objects.filter(epci_id="247200132").values_list("code_insee", flat=True)
    )
    zones = Zone.objects.bulk_create(
        Zone(
            commune_id=code,
            type="quartier",
            nom=f"Quartier {i} {code}",
            nom_recherche=f"quartier {i} {code}",
        )
        for code in communes[:100]
        for i in range(4)
    )
    structures = Structure.objects.bulk_create(
        Structure(pivot="", nom=f"Structure {i}", commune_id=communes[i % len(communes)])
        for i in range(max(10, args.conseillers // 10))
    )
    conseillers = Conseiller.objects.bulk_create(
        Conseiller(
            email=f"conseiller{i}@banc.test",
            prenom="Camille",
            nom=f"Banc {i}",
            commune_id=metropole[i % len(metropole)] if i < 50 else communes[i % len(communes)],
            structure=structures[i % len(structures)],
        )
        for i in range(args.conseillers)
    )
    Beneficiaire.objects.bulk_create(
        Beneficiaire(
            conseiller=c,
            prenom=f"B{i}",
            annee_naissance=1950,
            consentement_le=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        for c in conseillers[: args.conseillers // 2]
        for i in range(3)
    )
    return communes, zones, conseillers


def generer(connexion, args, debut: dt.date, conseillers, zones) -> None:
    """``args.activites`` reports over 24 months, written by PostgreSQL itself."""
    from conseillers.enums import Canal, Thematique, TypeActivite
    from conseillers.models import Activite

    table = Activite._meta.db_table
    ids = "ARRAY[" + ",".join(str(c.pk) for c in conseillers) + "]"
    zones_ids = "ARRAY[" + ",".join(str(z.pk) for z in zones) + "]"
    themes = "ARRAY[" + ",".join(f"'|{t}|'" for t in Thematique.values) + "]"
    n = len(conseillers)
    sql = f"""
    INSERT INTO {table} (
        conseiller_id, date, duree_minutes, type, canal, commune_id, zone_id,
        nb_participants, nb_participants_recurrents,
        age_moins_12, age_12_17, age_18_24, age_25_39, age_40_59, age_60_69, age_70_plus,
        statut_scolarise, statut_sans_emploi, statut_en_emploi, statut_retraite,
        statut_non_communique, thematiques, materiel, autonomie, a_poursuivre, orientation,
        oriente_par_travailleur_social, titre_atelier, niveau_atelier, notes, source,
        cree_le, modifie_le)
    SELECT c, d, duree, t, canal,
        CASE WHEN canal <> 'distance' THEN cc.commune_id END, zone, p, LEAST(r, p),
        0, 0, 0, CASE WHEN g % 3 = 0 THEN p ELSE 0 END, 0, 0, 0,
        0, 0, 0, CASE WHEN g % 3 = 0 THEN p ELSE 0 END, 0,
        th, '', '', false, CASE WHEN g % 9 = 0 THEN 'france_services' ELSE '' END,
        g % 10 = 0, '', '', '', 'import', now(), now()
    FROM (
        SELECT g,
            ({ids})[1 + floor(random() * {n})::int] AS c,
            DATE '{debut:%Y-%m-%d}' + floor(random() * {MOIS * 30})::int AS d,
            (ARRAY[10, 20, 30, 45, 60, 90, 120, 150])[1 + g % 8] AS duree,
            CASE WHEN g % 100 < 55 THEN '{TypeActivite.INDIVIDUEL}'
                 WHEN g % 100 < 85 THEN '{TypeActivite.PONCTUEL}'
                 ELSE '{TypeActivite.COLLECTIF}' END AS t,
            CASE WHEN g % 4 = 0 THEN '{Canal.DISTANCE}' WHEN g % 4 = 1 THEN '{Canal.DOMICILE}'
                 ELSE '{Canal.AUTRE_LIEU}' END AS canal,
            CASE WHEN g % 5 = 0 THEN ({zones_ids})[1 + g % {len(zones)}] END AS zone,
            CASE WHEN g % 100 >= 85 THEN 3 + g % 10 ELSE 1 END AS p,
            CASE WHEN g % 3 = 0 THEN 1 ELSE 0 END AS r,
            ({themes})[1 + g % {len(Thematique.values)}]
              || CASE WHEN g % 2 = 0 THEN 'email|' ELSE '' END AS th
        FROM generate_series(1::bigint, {args.activites}) AS g
    ) AS s JOIN conseillers_conseiller cc ON cc.id = s.c
    """
    with connexion.cursor() as curseur:
        curseur.execute("SELECT setseed(0.72)")  # the same data at every run
        curseur.execute(sql)
        # a followed beneficiary on one report in twenty of the first half of the advisors
        curseur.execute(
            f"""INSERT INTO {table}_beneficiaires (activite_id, beneficiaire_id)
            SELECT a.id, (SELECT b.id FROM conseillers_beneficiaire b
                          WHERE b.conseiller_id = a.conseiller_id ORDER BY b.id
                          OFFSET a.id % 3 LIMIT 1)
            FROM {table} a WHERE a.id % 20 = 0 AND a.type = 'individuel'
            AND EXISTS (SELECT 1 FROM conseillers_beneficiaire b
                        WHERE b.conseiller_id = a.conseiller_id)"""
        )
        curseur.execute(f"VACUUM ANALYZE {table}")
        curseur.execute(f"ANALYZE {table}_beneficiaires")


def sql_a_la_main(debut: dt.date, fin: dt.date) -> tuple[str, list]:
    """The baseline: one GROUP BY written by hand, the same aggregates at the same grain."""
    from conseillers.enums import CHAMPS_AGE, CHAMPS_STATUT, Canal, Orientation, Thematique
    from conseillers.models import TRANCHES_DUREE

    mesures = [
        "COUNT(*)",
        "SUM(a.nb_participants)",
        "SUM(a.nb_participants_recurrents)",
        "COUNT(*) FILTER (WHERE a.type = 'collectif')",
        "SUM(a.nb_participants) FILTER (WHERE a.type = 'collectif')",
        "COUNT(*) FILTER (WHERE a.type = 'individuel')",
        "COUNT(*) FILTER (WHERE a.type = 'ponctuel')",
        "SUM(a.duree_minutes)",
    ]
    mesures += [f"SUM(a.{champ})" for champ in (*CHAMPS_AGE, *CHAMPS_STATUT)]
    for code in Thematique.values:
        mesures.append(f"COUNT(*) FILTER (WHERE a.thematiques LIKE '%%|{code}|%%')")
        mesures.append(f"SUM(a.nb_participants) FILTER (WHERE a.thematiques LIKE '%%|{code}|%%')")
    mesures += [f"COUNT(*) FILTER (WHERE a.canal = '{c}')" for c in Canal.values]
    for _code, _libelle, minimum, maximum in TRANCHES_DUREE:
        borne = f" AND a.duree_minutes < {maximum}" if maximum else ""
        mesures.append(f"COUNT(*) FILTER (WHERE a.duree_minutes >= {minimum}{borne})")
    mesures += [f"COUNT(*) FILTER (WHERE a.orientation = '{o}')" for o in Orientation.values]
    mesures.append("COUNT(*) FILTER (WHERE a.oriente_par_travailleur_social)")
    sql = (
        "SELECT a.conseiller_id, c.commune_id, c.structure_id, a.commune_id, a.zone_id, "
        + ", ".join(mesures)
        + " FROM conseillers_activite a JOIN conseillers_conseiller c ON c.id = a.conseiller_id"
        " WHERE a.date >= %s AND a.date < %s AND a.supprime_le IS NULL"
        " GROUP BY 1, 2, 3, 4, 5"
    )
    return sql, [debut, fin]


def boucle_python(debut: dt.date, fin: dt.date) -> int:
    """The per-row way: every report of the month loaded as a model instance (with its
    advisor and its followed beneficiaries, prefetched) and its figures added up in Python
    for the five axes, distinct beneficiaries included."""
    from conseillers.enums import CHAMPS_AGE, CHAMPS_STATUT
    from conseillers.models import Activite

    ages_statuts = [*CHAMPS_AGE, *CHAMPS_STATUT]
    groupes: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    suivis: dict[tuple, set] = defaultdict(set)
    activites = (
        Activite.objects.tous()
        .visibles()
        .filter(date__gte=debut, date__lt=fin)
        .select_related("conseiller")
        .prefetch_related("beneficiaires")
    )
    for activite in activites.iterator(chunk_size=2000):
        conseiller = activite.conseiller
        territoire = conseiller.commune_id
        beneficiaires = [b.pk for b in activite.beneficiaires.all()]
        participants = activite.nb_participants
        for cle in (
            ("territoire", territoire),
            ("structure", territoire, conseiller.structure_id),
            ("conseiller", territoire, conseiller.pk),
            ("commune", territoire, activite.commune_id),
            ("zone", territoire, activite.zone_id),
        ):
            g = groupes[cle]
            g["activites"] += 1
            g["accompagnements"] += participants
            g["accompagnements_recurrents"] += activite.nb_participants_recurrents
            g[f"type_{activite.type}"] += 1
            if activite.type == "collectif":
                g["participants_ateliers"] += participants
            g["duree_minutes"] += activite.duree_minutes
            g[f"canal_{activite.canal}"] += 1
            g[f"duree_{min(activite.duree_minutes // 30, 4)}"] += 1
            if activite.orientation:
                g[f"orientation_{activite.orientation}"] += 1
            g["orientes_par_travailleur_social"] += activite.oriente_par_travailleur_social
            for code in activite.thematiques:
                g[f"thematique_{code}"] += 1
                g[f"participants_{code}"] += participants
            for champ in ages_statuts:
                g[champ] += getattr(activite, champ)
            suivis[cle].update(beneficiaires)
    return len(groupes)


def executer(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from comptes.enums import Role
    from comptes.services import creer_compte
    from conseillers.models import Activite
    from indicateurs.models import StatistiqueMensuelle
    from indicateurs.statistiques import calculer_mois, mois_suivant
    from territoires.models import Epci
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    debut = dt.date(2024, 11, 1)
    communes, zones, conseillers = preparer(args, debut)
    connection.ensure_connection()
    t0 = time.perf_counter()
    generer(connection, args, debut, conseillers, zones)
    t_generation = time.perf_counter() - t0
    total = Activite.objects.tous().count()

    # the busiest month
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT date_trunc('month', date)::date AS m, count(*) FROM conseillers_activite "
            "GROUP BY m ORDER BY count(*) DESC LIMIT 1"
        )
        mois, du_mois = curseur.fetchone()
    fin = mois_suivant(mois)

    sql, params = sql_a_la_main(mois, fin)

    def baseline():
        with connection.cursor() as curseur:
            curseur.execute(sql, params)
            return len(curseur.fetchall())

    groupes_sql = baseline()
    mesures_sql = chronometrer(baseline, 5)
    mesures_calcul = chronometrer(lambda: calculer_mois(mois), 5)
    lignes = StatistiqueMensuelle.objects.tous().filter(mois=mois).count()
    if args.profil:
        import cProfile
        import pstats

        profil = cProfile.Profile()
        profil.runcall(calculer_mois, mois)
        pstats.Stats(profil).sort_stats("cumulative").print_stats(30)
    debut_boucle = time.perf_counter()
    groupes_python = boucle_python(mois, fin)
    t_boucle = time.perf_counter() - debut_boucle

    # the other months, for the reading measures
    t0 = time.perf_counter()
    m = debut
    while m < dt.date(2026, 11, 1):
        if m != mois:
            calculer_mois(m)
        m = mois_suivant(m)
    t_tous = time.perf_counter() - t0

    user = creer_compte(
        email="coordination@banc.test",
        mot_de_passe=None,
        role=Role.COORDINATEUR,
        prenom="Claire",
        nom="Banc",
        epcis=[Epci.objects.get(siren="247200132")],
    )
    client = Client()
    client.force_login(user)
    api = "/api/v1/statistiques/mensuelles/?du=2024-11&au=2026-10"
    assert client.get(api).status_code == 200
    mesures_api = chronometrer(lambda: client.get(api), args.repetitions)
    try:
        tableau = reverse("indicateurs:tableau_de_bord") + "?du=2025-11&au=2026-10"
    except NoReverseMatch:
        tableau = None
    mesures_tableau = None
    if tableau:
        assert client.get(tableau).status_code == 200
        mesures_tableau = chronometrer(lambda: client.get(tableau), args.repetitions)

    med_sql = statistics.median(mesures_sql)
    med_calcul = statistics.median(mesures_calcul)
    print(
        f"table : {total} activités sur {MOIS} mois (générées en {t_generation:.0f} s), "
        f"{len(conseillers)} conseillers, {len(communes)} communes, {len(zones)} quartiers"
    )
    print(
        f"mois mesuré : {mois:%m/%Y}, {du_mois} activités ; {groupes_sql} groupes au grain "
        f"le plus fin ; {lignes} lignes d'instantanés ; {groupes_python} groupes en Python"
    )
    print(f"les {MOIS - 1} autres mois calculés en {t_tous:.0f} s")
    print()
    ligne = "{:<46}{:>12}{:>13}{:>14}"
    print(ligne.format("mesure", "valeur", "× baseline", "objectif"))
    print(ligne.format("GROUP BY SQL à la main, médiane (baseline)", f"{med_sql:.2f} s", "1.0", ""))
    print(
        ligne.format(
            "calculer_mois (tous territoires), médiane",
            f"{med_calcul:.2f} s",
            f"{med_calcul / med_sql:.1f}",
            "≤ 15 s, ≤ 3×",
        )
    )
    print(ligne.format("calculer_mois, p95", f"{p95(mesures_calcul):.2f} s", "", ""))
    print(
        ligne.format(
            "boucle Python ligne à ligne",
            f"{t_boucle:.2f} s",
            f"{t_boucle / med_sql:.1f}",
            f"{t_boucle / med_calcul:.1f}× calcul",
        )
    )
    print(
        ligne.format(
            "API 24 mois (Client), médiane / p95",
            f"{statistics.median(mesures_api) * 1000:.0f} ms",
            "",
            f"p95 {p95(mesures_api) * 1000:.0f} ms",
        )
    )
    if mesures_tableau:
        print(
            ligne.format(
                "tableau de bord 12 mois, médiane / p95",
                f"{statistics.median(mesures_tableau) * 1000:.0f} ms",
                "",
                f"p95 {p95(mesures_tableau) * 1000:.0f} ms",
            )
        )
        print("  (objectif : ≤ 300 ms, territoire de 50 conseillers sur 2 ans)")
    else:
        print("tableau de bord : page absente de cette version, non mesurée")
    print(f"objectif boucle Python : ≥ 20× le calcul ; mesuré {t_boucle / med_calcul:.1f}×")
    if args.activites < 2_000_000:
        print("(volumes réduits : les objectifs portent sur 2 000 000 activités)")


if __name__ == "__main__":
    main()
