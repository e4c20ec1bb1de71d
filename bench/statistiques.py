"""Benchmark of the monthly statistics (issue 7) on a throwaway PostgreSQL server.

Targets: with 2,000,000 reports over 24 months from 4,000 advisors, one month's snapshots
for every territory in at most 15 s; within 3× of one hand-written SQL GROUP BY over the same
month; at least 20× faster than a per-row Python loop; the officials' dashboard at most
300 ms warm with 2 years × 50 advisors.

Measured side by side, in one process, on the same month (the busiest one):
  * baseline — one hand-written SQL ``GROUP BY`` (advisor × commune of the activity ×
    district, the same aggregates as the snapshots) whose rows are fetched;
  * ``calculer_mois(mois)``: the same GROUP BY through the ORM, the roll-up to the five
    axes, the distinct followed beneficiaries, and the rows written (what the Celery task
    runs);
  * a per-row Python loop: the month's reports read with ``values_list(...).iterator()``
    and their figures added up in dictionaries for the five axes (then the links to
    followed beneficiaries, in sets);
  * the API ``/api/v1/statistiques/mensuelles/`` over 24 months and the dashboard
    ``/tableau-de-bord/`` over 12 months, for a coordinator of Le Mans Métropole (50
    advisors with two years of reports), warm, through ``django.test.Client``.

The reports are generated with a seeded NumPy generator and written with ``COPY``: ten
départements, advisors of unequal activity, weekdays and seasons (August and Christmas dips,
September peak), every type, channel and theme, workshops of 3 to 20 participants, age and
status counts on a third of the reports, districts in the large communes, some followed
beneficiaries and a few deleted reports.

    .venv/bin/python bench/statistiques.py [--activites 2000000] [--conseillers 4000]
    .venv/bin/python bench/statistiques.py --reduit     # 100,000 reports, 400 advisors
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.commun import chronometrer, p95, sur_postgres_jetable

DEPARTEMENTS = ["72", "49", "53", "61", "28", "37", "41", "44", "35", "14"]
METROPOLE = "247200132"  # CU Le Mans Métropole: the dashboard's territory
CONSEILLERS_METROPOLE = 50
MOIS = 24
SAISONS = [0.95, 1.0, 1.05, 0.95, 0.9, 0.95, 0.7, 0.35, 1.25, 1.15, 1.1, 0.85]  # Jan…Dec
LOT = 200_000


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--activites", type=int, default=2_000_000)
    parametres.add_argument("--conseillers", type=int, default=4_000)
    parametres.add_argument("--repetitions", type=int, default=20)
    parametres.add_argument("--profil", action="store_true", help="profil de calculer_mois")
    parametres.add_argument(
        "--profil-tableau", action="store_true", help="profil d'un affichage du tableau de bord"
    )
    parametres.add_argument(
        "--reduit", action="store_true", help="100 000 activités, 400 conseillers (essai rapide)"
    )
    args = parametres.parse_args()
    if args.reduit:
        args.activites, args.conseillers, args.repetitions = 100_000, 400, 5
    sur_postgres_jetable(executer, args)


def preparer(args, rng):
    """Communes of ten départements (Le Mans Métropole's first), districts in the largest,
    structures with one to three sites (some itinerant), advisors attached to a structure
    and its commune (50 in Le Mans Métropole), followed beneficiaries for half of them."""
    from conseillers.models import Beneficiaire, Conseiller
    from structures.enums import Itinerance, Service
    from structures.models import Lieu, Structure
    from territoires.models import Commune, Zone

    metropole = list(
        Commune.objects.filter(epci_id=METROPOLE)
        .order_by("-population")
        .values_list("code_insee", flat=True)
    )
    autres = list(
        Commune.objects.filter(departement__in=DEPARTEMENTS)
        .exclude(epci_id=METROPOLE)
        .order_by("-population")
        .values_list("code_insee", flat=True)[:1000]
    )
    communes = metropole + autres
    zones = Zone.objects.bulk_create(
        Zone(
            commune_id=code,
            type="quartier",
            nom=f"Quartier {i} {code}",
            nom_recherche=f"quartier {i} {code}",
        )
        for code in [*metropole[:5], *autres[:150]]
        for i in range(4 if code in metropole[:5] or code in autres[:20] else 2)
    )
    zones_par_commune: dict[str, list[int]] = defaultdict(list)
    for zone in zones:
        zones_par_commune[zone.commune_id].append(zone.pk)

    n_structures = max(10, args.conseillers // 10)
    communes_structures = [metropole[i % len(metropole)] for i in range(5)] + [
        autres[int(i) % len(autres)]
        for i in rng.zipf(1.3, n_structures - 5).clip(1, len(autres)) - 1
    ]
    structures = Structure.objects.bulk_create(
        Structure(pivot="", nom=f"Structure {i}", commune_id=code)
        for i, code in enumerate(communes_structures)
    )
    lieux = Lieu.objects.bulk_create(
        Lieu(
            structure=structure,
            source="banc",
            identifiant=f"lieu-{s}-{k}",
            nom=f"Espace numérique {s}-{k}",
            adresse="1 place de la Mairie",
            code_postal="72000",
            commune_id=structure.commune_id
            if k == 0
            else communes[int(rng.integers(len(communes)))],
            services=[Service.DEMARCHES],
            itinerance=[Itinerance.ITINERANT if (s + k) % 25 == 0 else Itinerance.FIXE],
        )
        for s, structure in enumerate(structures)
        for k in range(1 + s % 3)
    )
    lieux_par_structure: dict[int, list[Lieu]] = defaultdict(list)
    for lieu in lieux:
        lieux_par_structure[lieu.structure_id].append(lieu)
    conseillers = []
    for i in range(args.conseillers):
        if i < CONSEILLERS_METROPOLE:  # the dashboard's territory: its 5 structures
            structure = structures[i % 5]
            commune = metropole[i % len(metropole)]
        else:
            structure = structures[5 + int(rng.integers(len(structures) - 5))]
            commune = structure.commune_id
        conseillers.append(
            Conseiller(
                email=f"conseiller{i}@banc.test",
                prenom="Camille",
                nom=f"Banc {i}",
                commune_id=commune,
                structure=structure,
            )
        )
    conseillers = Conseiller.objects.bulk_create(conseillers)
    Beneficiaire.objects.bulk_create(
        Beneficiaire(
            conseiller=c,
            prenom=f"B{i}",
            annee_naissance=1950 + i * 7,
            consentement_le=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
        for c in conseillers[::2]
        for i in range(4)
    )
    return communes, zones_par_commune, lieux_par_structure, conseillers


def jours_ouvres(debut: dt.date, fin: dt.date):
    """Every day of the period and its weight: weekdays, few Saturdays, no Sunday; the
    season of the month; the holidays between Christmas and New Year."""
    import numpy as np

    jours, poids = [], []
    jour = debut
    while jour < fin:
        facteur = (1.0, 1.0, 1.0, 1.0, 1.0, 0.15, 0.0)[jour.weekday()] * SAISONS[jour.month - 1]
        if (jour.month, jour.day) >= (12, 24) or (jour.month, jour.day) <= (1, 1):
            facteur *= 0.2
        jours.append(jour)
        poids.append(facteur)
        jour += dt.timedelta(days=1)
    poids = np.array(poids)
    return jours, poids / poids.sum()


def generer(connexion, args, rng, debut: dt.date, fin: dt.date, preparation) -> float:
    """``args.activites`` reports written with ``COPY``, by batches; returns the seconds."""
    import numpy as np

    from conseillers.enums import (
        CHAMPS_AGE,
        CHAMPS_STATUT,
        THEMATIQUES_ADMINISTRATIVES,
        THEMATIQUES_PRINCIPALES,
        NiveauAtelier,
        Orientation,
    )
    from conseillers.models import Activite

    communes, zones_par_commune, lieux_par_structure, conseillers = preparation
    depart = time.perf_counter()
    jours, poids_jours = jours_ouvres(debut, fin)
    jours_texte = [f"{j:%Y-%m-%d}" for j in jours]
    alea = random.Random(2026)  # per-row draws
    itinerants = [lieu for liste in lieux_par_structure.values() for lieu in liste]
    itinerants = [lieu for lieu in itinerants if lieu.est_itinerant]
    # advisors of unequal activity (lognormal), the metropole's at least average
    activite = rng.lognormal(0, 0.5, len(conseillers))
    activite[:CONSEILLERS_METROPOLE] = np.maximum(activite[:CONSEILLERS_METROPOLE], 1.0)
    activite /= activite.sum()
    principales = [t.value for t in THEMATIQUES_PRINCIPALES if t != "demarches_administratives"]
    administratives = sorted(t.value for t in THEMATIQUES_ADMINISTRATIVES)
    champs_ages, champs_statuts = list(CHAMPS_AGE), list(CHAMPS_STATUT)
    orientations = ["", *Orientation.values]
    niveaux = NiveauAtelier.values
    colonnes = [
        "conseiller_id",
        "date",
        "duree_minutes",
        "type",
        "canal",
        "lieu_id",
        "commune_id",
        "zone_id",
        "nb_participants",
        "nb_participants_recurrents",
        *champs_ages,
        *champs_statuts,
        "thematiques",
        "materiel",
        "autonomie",
        "a_poursuivre",
        "orientation",
        "oriente_par_travailleur_social",
        "titre_atelier",
        "niveau_atelier",
        "notes",
        "source",
        "cree_le",
        "modifie_le",
        "supprime_le",
    ]
    table = Activite._meta.db_table
    maintenant = dt.datetime.now(dt.UTC).isoformat()
    reste = args.activites
    while reste:
        n = min(LOT, reste)
        reste -= n
        qui = rng.choice(len(conseillers), size=n, p=activite)
        quand = rng.choice(len(jours), size=n, p=poids_jours)
        type_ = rng.choice(["individuel", "ponctuel", "collectif"], size=n, p=[0.55, 0.3, 0.15])
        collectif = type_ == "collectif"
        participants = np.where(collectif, np.clip(3 + rng.poisson(5, n), 3, 20), 1)
        recurrents = np.where(
            collectif,
            rng.binomial(participants, 0.35),
            (rng.random(n) < np.where(type_ == "individuel", 0.4, 0.1)).astype(int),
        )
        canal = np.where(
            collectif,
            rng.choice(
                ["lieu_activite", "autre_lieu", "distance", "itinerant"],
                size=n,
                p=[0.8, 0.15, 0.02, 0.03],
            ),
            rng.choice(
                ["lieu_activite", "autre_lieu", "domicile", "distance", "itinerant"],
                size=n,
                p=[0.6, 0.12, 0.06, 0.14, 0.08],
            ),
        )
        duree = np.where(
            collectif,
            rng.choice([60, 90, 120, 150], size=n),
            np.where(
                type_ == "ponctuel",
                rng.choice([10, 15, 20, 30], size=n),
                rng.choice([30, 45, 60, 90, 120], size=n, p=[0.2, 0.3, 0.3, 0.15, 0.05]),
            ),
        )
        avec_ages = rng.random(n) < 1 / 3
        age_a, age_b = rng.integers(len(champs_ages), size=(2, n))
        statut_a, statut_b = rng.integers(len(champs_statuts), size=(2, n))
        nb_themes = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1])
        administratif = rng.random(n) < 0.3
        hasard = rng.random((6, n)).tolist()
        qui, quand, type_, canal = qui.tolist(), quand.tolist(), type_.tolist(), canal.tolist()
        participants, recurrents, duree = participants.tolist(), recurrents.tolist(), duree.tolist()
        avec_ages, nb_themes, administratif = (
            avec_ages.tolist(),
            nb_themes.tolist(),
            administratif.tolist(),
        )
        age_a, age_b, statut_a, statut_b = (
            age_a.tolist(),
            age_b.tolist(),
            statut_a.tolist(),
            statut_b.tolist(),
        )
        lignes = io.StringIO()
        for j in range(n):
            conseiller = conseillers[qui[j]]
            c = canal[j]
            lieu_id = zone_id = r"\N"
            if c == "lieu_activite":
                lieux = lieux_par_structure[conseiller.structure_id]
                lieu = lieux[int(hasard[0][j] * len(lieux))]
                lieu_id, commune = str(lieu.pk), lieu.commune_id
            elif c == "itinerant":
                lieu = itinerants[int(hasard[0][j] * len(itinerants))]
                lieu_id, commune = str(lieu.pk), lieu.commune_id
            elif c == "distance":
                commune = None
            elif hasard[1][j] < 0.8:
                commune = conseiller.commune_id
            else:
                commune = communes[int(hasard[2][j] * len(communes))]
            if commune and (zones := zones_par_commune.get(commune)) and hasard[3][j] < 0.7:
                zone_id = str(zones[int(hasard[4][j] * len(zones))])
            p = int(participants[j])
            ages = [0] * len(champs_ages)
            statuts = [0] * len(champs_statuts)
            if avec_ages[j]:
                ages[age_a[j]] += p // 2
                ages[age_b[j]] += p - p // 2
                statuts[statut_a[j]] += p - p // 3
                statuts[statut_b[j]] += p // 3
            themes = alea.sample(principales, nb_themes[j])
            if administratif[j]:
                themes += ["demarches_administratives", administratives[qui[j] % 11]]
            atelier = type_[j] == "collectif"
            orientation = orientations[int(hasard[5][j] * 40)] if hasard[5][j] < 0.2 else ""
            lignes.write(
                "\t".join(
                    [
                        str(conseiller.pk),
                        jours_texte[quand[j]],
                        str(duree[j]),
                        type_[j],
                        c,
                        lieu_id,
                        commune or r"\N",
                        zone_id,
                        str(p),
                        str(recurrents[j]),
                        *map(str, ages),
                        *map(str, statuts),
                        "|" + "|".join(themes) + "|",
                        "",
                        "",
                        "t" if hasard[1][j] < 0.3 else "f",
                        orientation,
                        "t" if hasard[2][j] < 0.08 else "f",
                        f"Atelier {themes[0]}" if atelier else "",
                        niveaux[qui[j] % len(niveaux)] if atelier else "",
                        "",
                        "import",
                        maintenant,
                        maintenant,
                        maintenant if hasard[4][j] < 0.005 else r"\N",  # a few deleted
                    ]
                )
                + "\n"
            )
        with (
            connexion.cursor() as curseur,
            curseur.copy(f"COPY {table} ({', '.join(colonnes)}) FROM STDIN") as copie,
        ):
            copie.write(lignes.getvalue())
    with connexion.cursor() as curseur:
        # a followed beneficiary on one individual report in four of the advisors who have some
        curseur.execute(
            f"""INSERT INTO {table}_beneficiaires (activite_id, beneficiaire_id)
            SELECT a.id, b.id FROM {table} a
            JOIN conseillers_beneficiaire b ON b.conseiller_id = a.conseiller_id
                AND b.annee_naissance = 1950 + 7 * (a.id % 4)
            WHERE a.type = 'individuel' AND a.id % 4 = 0"""
        )
        curseur.execute(f"VACUUM ANALYZE {table}")
        curseur.execute(f"ANALYZE {table}_beneficiaires")
    return time.perf_counter() - depart


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
    """The per-row way: the month's reports read with ``values_list(...).iterator()``, their
    figures added up in dictionaries for the five axes; then the links to followed
    beneficiaries, in one set per group (they do not add up)."""
    from conseillers.enums import CHAMPS_AGE, CHAMPS_STATUT
    from conseillers.models import TRANCHES_DUREE, Activite

    ages_statuts = [*CHAMPS_AGE, *CHAMPS_STATUT]
    tranches = [(code, minimum, maximum or 10**6) for code, _l, minimum, maximum in TRANCHES_DUREE]
    activites = Activite.objects.tous().visibles().filter(date__gte=debut, date__lt=fin)
    champs = [
        "conseiller_id",
        "conseiller__commune_id",
        "conseiller__structure_id",
        "commune_id",
        "zone_id",
        "type",
        "nb_participants",
        "nb_participants_recurrents",
        "duree_minutes",
        "canal",
        "orientation",
        "oriente_par_travailleur_social",
        "thematiques",
        *ages_statuts,
    ]
    groupes: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))

    def cles(conseiller, territoire, structure, commune, zone):
        return (
            ("territoire", territoire),
            ("structure", territoire, structure),
            ("conseiller", territoire, conseiller),
            ("commune", territoire, commune),
            ("zone", territoire, zone),
        )

    for ligne in activites.values_list(*champs).iterator(chunk_size=5000):
        (
            conseiller,
            territoire,
            structure,
            commune,
            zone,
            type_,
            participants,
            recurrents,
            duree,
            canal,
            orientation,
            ots,
            thematiques,
        ) = ligne[:13]
        tranche = next(code for code, mini, maxi in tranches if mini <= duree < maxi)
        for cle in cles(conseiller, territoire, structure, commune, zone):
            g = groupes[cle]
            g["activites"] += 1
            g["accompagnements"] += participants
            g["accompagnements_recurrents"] += recurrents
            g[f"type_{type_}"] += 1
            if type_ == "collectif":
                g["participants_ateliers"] += participants
            g["duree_minutes"] += duree
            g[f"canal_{canal}"] += 1
            g[f"duree_{tranche}"] += 1
            if orientation:
                g[f"orientation_{orientation}"] += 1
            g["orientes_par_travailleur_social"] += ots
            for code in thematiques:
                g[f"thematique_{code}"] += 1
                g[f"participants_{code}"] += participants
            for champ, valeur in zip(ages_statuts, ligne[13:], strict=True):
                g[champ] += valeur
    suivis: dict[tuple, set] = defaultdict(set)
    liens = Activite.beneficiaires.through.objects.filter(activite__in=activites.values("pk"))
    for *cle, beneficiaire in liens.values_list(
        "activite__conseiller_id",
        "activite__conseiller__commune_id",
        "activite__conseiller__structure_id",
        "activite__commune_id",
        "activite__zone_id",
        "beneficiaire_id",
    ).iterator(chunk_size=5000):
        for groupe in cles(*cle):
            suivis[groupe].add(beneficiaire)
    for cle, beneficiaires in suivis.items():
        groupes[cle]["beneficiaires_suivis"] = len(beneficiaires)
    return len(groupes)


def executer(args) -> None:
    import django

    django.setup()
    import numpy as np
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from comptes.enums import Role
    from comptes.services import creer_compte
    from conseillers.models import Activite
    from indicateurs.statistiques.calcul import (
        calculer_mois,
        dernier_mois_clos,
        liste_mois,
        mois_precedent,
        mois_suivant,
    )
    from indicateurs.statistiques.models import StatistiqueMensuelle
    from territoires.models import Epci
    from territoires.services import importer_territoires

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    importer_territoires()
    rng = np.random.default_rng(2026)  # the same data at every run
    dernier = dernier_mois_clos()
    debut = dernier
    for _ in range(MOIS - 1):
        debut = mois_precedent(debut)
    preparation = preparer(args, rng)
    communes, zones_par_commune, _lieux, conseillers = preparation
    connection.ensure_connection()
    t_generation = generer(
        connection.connection, args, rng, debut, mois_suivant(dernier), preparation
    )
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
    depart = time.perf_counter()
    groupes_python = boucle_python(mois, fin)
    t_boucle = time.perf_counter() - depart

    # the other months, for the reading measures
    depart = time.perf_counter()
    for un_mois in liste_mois(debut, dernier):
        if un_mois != mois:
            calculer_mois(un_mois)
    t_tous = time.perf_counter() - depart

    user = creer_compte(
        email="coordination@banc.test",
        mot_de_passe=None,
        role=Role.COORDINATEUR,
        prenom="Claire",
        nom="Banc",
        epcis=[Epci.objects.get(siren=METROPOLE)],
    )
    client = Client()
    client.force_login(user)
    api = f"/api/v1/statistiques/mensuelles/?du={debut:%Y-%m}&au={dernier:%Y-%m}"
    assert client.get(api).status_code == 200
    mesures_api = chronometrer(lambda: client.get(api), args.repetitions)
    douze = dernier
    for _ in range(11):
        douze = mois_precedent(douze)
    try:
        tableau = reverse("indicateurs:tableau_de_bord") + f"?du={douze:%Y-%m}&au={dernier:%Y-%m}"
    except NoReverseMatch:
        tableau = None
    mesures_tableau = None
    if tableau:
        reponse = client.get(tableau)
        assert reponse.status_code == 200, reponse.status_code
        mesures_tableau = chronometrer(lambda: client.get(tableau), args.repetitions)
        if args.profil_tableau:
            import cProfile
            import pstats

            from django.test.utils import CaptureQueriesContext

            profil = cProfile.Profile()
            profil.runcall(client.get, tableau)
            pstats.Stats(profil).sort_stats("cumulative").print_stats(40)
            with CaptureQueriesContext(connection) as requetes:
                client.get(tableau)
            for requete in sorted(requetes, key=lambda r: -float(r["time"]))[:8]:
                print(f"{float(requete['time']) * 1000:7.1f} ms  {requete['sql'][:300]}")

    med_sql = statistics.median(mesures_sql)
    med_calcul = statistics.median(mesures_calcul)
    print(
        f"table : {total} activités sur {MOIS} mois ({debut:%m/%Y} à {dernier:%m/%Y}, "
        f"générées et copiées en {t_generation:.0f} s), {len(conseillers)} conseillers, "
        f"{len(communes)} communes, {sum(map(len, zones_par_commune.values()))} quartiers"
    )
    print(
        f"mois mesuré : {mois:%m/%Y}, {du_mois} activités ; {groupes_sql} groupes au grain "
        f"le plus fin ; {lignes} lignes d'instantanés ; {groupes_python} groupes en Python"
    )
    print(f"les {MOIS - 1} autres mois calculés en {t_tous:.0f} s")
    print()
    ligne = "{:<44}{:>12}{:>13}{:>20}"
    print(ligne.format("mesure", "valeur", "× baseline", "objectif"))
    print(ligne.format("GROUP BY SQL à la main, médiane (baseline)", f"{med_sql:.2f} s", "1.0", ""))
    print(
        ligne.format(
            "calculer_mois (tous territoires), médiane",
            f"{med_calcul:.2f} s",
            f"{med_calcul / med_sql:.1f}",
            "≤ 15 s et ≤ 3×",
        )
    )
    print(ligne.format("calculer_mois, p95", f"{p95(mesures_calcul):.2f} s", "", ""))
    print(
        ligne.format(
            "boucle Python ligne à ligne",
            f"{t_boucle:.2f} s",
            f"{t_boucle / med_sql:.1f}",
            f"calcul ≥ 20× : {t_boucle / med_calcul:.1f}×",
        )
    )
    print(
        ligne.format(
            "API 24 mois : médiane",
            f"{statistics.median(mesures_api) * 1000:.0f} ms",
            "",
            f"p95 {p95(mesures_api) * 1000:.0f} ms",
        )
    )
    if mesures_tableau:
        print(
            ligne.format(
                "tableau de bord 12 mois : médiane",
                f"{statistics.median(mesures_tableau) * 1000:.0f} ms",
                "",
                f"p95 {p95(mesures_tableau) * 1000:.0f} ms",
            )
        )
    else:
        print(
            "tableau de bord : NON MESURÉ, l'adresse indicateurs:tableau_de_bord n'existe pas "
            "dans cette version"
        )
    atteints = [
        ("calculer_mois ≤ 15 s", med_calcul <= 15),
        ("calculer_mois ≤ 3× la baseline", med_calcul <= 3 * med_sql),
        ("boucle Python ≥ 20× plus lente", t_boucle >= 20 * med_calcul),
    ]
    if mesures_tableau:
        atteints.append(("tableau de bord p95 ≤ 300 ms", p95(mesures_tableau) <= 0.3))
    print(
        f"objectifs atteints : {sum(ok for _n, ok in atteints)}/{len(atteints)}"
        + "".join(f" ; manqué : {nom}" for nom, ok in atteints if not ok)
    )
    if args.activites < 2_000_000:
        print("(volumes réduits : les objectifs portent sur 2 000 000 activités)")


if __name__ == "__main__":
    main()
