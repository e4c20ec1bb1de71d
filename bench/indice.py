"""Benchmark of the fragility index (issue 6): 50,000 units × 11 indicators on PostgreSQL.

Targets: the computation itself (pandas) in at most 2 s; computed and stored (read the
values from the database, compute, write a new result of 50,000 units) in at most 20 s.

Measured side by side, in one process, on a throwaway PostgreSQL server:
  * baseline (maths) — a plain pandas ``groupby("indicateur").mean()`` over the same long
    frame (the floor of any computation that reads every value once);
  * ``calcul.calculer`` with the ``rangs`` method, then ``ratio``;
  * baseline (storage) — psycopg ``COPY`` of 50,000 rows of the same shape (code, name,
    index, four axes, JSON scores) into a bare table;
  * ``services.calculer_indice`` end to end (what ``compute_indice`` and the Celery task run).

    .venv/bin/python bench/indice.py [--unites 50000] [--repetitions 5]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import chronometrer, sur_postgres_jetable  # noqa: E402

PART_MANQUANTE = 0.03  # share of missing values, left out by the methods


def main() -> None:
    parametres = argparse.ArgumentParser()
    parametres.add_argument("--unites", type=int, default=50000)
    parametres.add_argument("--repetitions", type=int, default=5)
    args = parametres.parse_args()

    sur_postgres_jetable(executer, args)


def generer_valeurs(connexion, n: int) -> int:
    """``n`` IRIS × 11 indicators (a few missing) COPYed into the values table."""
    from indicateurs.enums import Indicateur

    rng = random.Random(2026)
    tampon = io.StringIO()
    total = 0
    for i in range(n):
        code = f"{10000 + i // 10:05d}{i % 10000:04d}"
        for indicateur in Indicateur.values:
            if rng.random() < PART_MANQUANTE:
                continue
            valeur = round(rng.lognormvariate(2.5, 0.6), 3)
            tampon.write(f"iris\t{code}\t{indicateur}\t{valeur}\t2022\tbanc d'essai\t2026-01-01\n")
            total += 1
    tampon.seek(0)
    colonnes = "niveau, code, indicateur, valeur, millesime, source, importe_le"
    with connexion.cursor() as curseur:
        with curseur.copy(f"COPY indicateurs_valeurindicateur ({colonnes}) FROM STDIN") as cp:
            cp.write(tampon.read())
        curseur.execute("ANALYZE indicateurs_valeurindicateur")
    return total


def copie_baseline(connexion, resultat) -> float:
    """COPY of rows shaped like the stored units into a bare table."""
    from indicateurs.indice.models import IndiceUnite

    lignes = [
        (u.code, u.nom, u.indice, *u.axes.values(), json.dumps(u.scores))
        for u in IndiceUnite.objects.tous().filter(resultat=resultat)
    ]
    debut = time.perf_counter()
    with connexion.cursor() as curseur:
        curseur.execute("DROP TABLE IF EXISTS bench_unites")
        curseur.execute(
            "CREATE TABLE bench_unites (code text, nom text, indice float8, a1 float8, "
            "a2 float8, a3 float8, a4 float8, scores jsonb)"
        )
        with curseur.copy("COPY bench_unites FROM STDIN") as cp:
            for ligne in lignes:
                cp.write_row(ligne)
    connexion.commit()
    return time.perf_counter() - debut


def executer(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from indicateurs.indice import calcul
    from indicateurs.indice.models import IndiceUnite, ResultatIndice
    from indicateurs.indice.services import calculer_indice, lire_valeurs

    call_command("migrate", verbosity=0)
    connection.ensure_connection()
    valeurs_inserees = generer_valeurs(connection.connection, args.unites)

    # -- the maths -------------------------------------------------------------------
    cadre = lire_valeurs(niveau="iris", millesime=2022)
    assert len(cadre) == valeurs_inserees, (len(cadre), valeurs_inserees)
    m_base = chronometrer(
        lambda: cadre.groupby("indicateur")["valeur"].mean(), args.repetitions * 4
    )
    m_rangs = chronometrer(lambda: calcul.calculer(cadre, methode="rangs"), args.repetitions)
    m_ratio = chronometrer(lambda: calcul.calculer(cadre, methode="ratio"), args.repetitions)
    tableau = calcul.calculer(cadre, methode="rangs")
    assert len(tableau) == args.unites, len(tableau)

    # -- computed and stored ---------------------------------------------------------
    mesures_bout_en_bout = []
    resultat = None
    for _ in range(max(2, args.repetitions // 2)):
        debut = time.perf_counter()
        resultat = calculer_indice(niveau="iris", millesime=2022, tache="bench")
        mesures_bout_en_bout.append(time.perf_counter() - debut)
    assert IndiceUnite.objects.tous().filter(resultat=resultat).count() == args.unites
    assert ResultatIndice.objects.tous().count() == len(mesures_bout_en_bout)
    m_lecture = chronometrer(
        lambda: lire_valeurs(niveau="iris", millesime=2022), max(2, args.repetitions // 2)
    )
    t_copie = min(copie_baseline(connection.connection, resultat) for _ in range(3))

    base = statistics.median(m_base)
    rangs = statistics.median(m_rangs)
    ratio = statistics.median(m_ratio)
    lecture = statistics.median(m_lecture)
    bout = statistics.median(mesures_bout_en_bout)
    print(
        f"indice : {args.unites} unités × 11 indicateurs ({valeurs_inserees} valeurs, "
        f"{PART_MANQUANTE:.0%} manquantes) sur PostgreSQL ; médianes"
    )
    print()
    ligne = "{:<52}{:>10}{:>13}{:>10}"
    print(ligne.format("mesure", "valeur", "× baseline", "objectif"))
    print(ligne.format("calcul : pandas groupby().mean() (baseline)", f"{base:.3f} s", "1.0", ""))
    print(ligne.format("calcul : rangs", f"{rangs:.3f} s", f"{rangs / base:.1f}", "≤ 2 s"))
    print(ligne.format("calcul : ratio", f"{ratio:.3f} s", f"{ratio / base:.1f}", "≤ 2 s"))
    print(
        ligne.format("stockage : COPY de 50 000 lignes (baseline)", f"{t_copie:.2f} s", "1.0", "")
    )
    print(
        ligne.format(
            "  dont lecture des valeurs (lire_valeurs)",
            f"{lecture:.2f} s",
            f"{lecture / t_copie:.1f}",
            "",
        )
    )
    print(
        ligne.format(
            "calculé + enregistré (calculer_indice, rangs)",
            f"{bout:.2f} s",
            f"{bout / t_copie:.1f}",
            "≤ 20 s",
        )
    )
    print()
    for nom, valeur, objectif in (
        ("calcul rangs ≤ 2 s", rangs, 2),
        ("calcul ratio ≤ 2 s", ratio, 2),
        ("calculé + enregistré ≤ 20 s", bout, 20),
    ):
        print(f"{nom} : target {'met' if valeur <= objectif else 'missed'} ({valeur:.2f} s)")


if __name__ == "__main__":
    main()
