"""Coverage analysis of a département: 500 communes, 2,000 sites, 200 partner candidates.

Times the pure computation (:func:`indicateurs.couverture.analyse.analyser`: nearest offer,
ratios, uncovered list, greedy suggestions) and, as the baseline measured in the same run,
the nearest-offer search written as a Python loop over every (commune, site) pair.
No database: the reading side is a fixed number of queries (see the page's tests).

    .venv/bin/python bench/couverture.py [--communes 500] [--lieux 2000] [--k 10]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings.dev")

import numpy as np
import pandas as pd

from bench.commun import chronometrer
from indicateurs.couverture.analyse import RAYON_TERRE_KM, analyser


def departement(communes: int, lieux: int, candidats: int, graine: int = 72):
    """Random points over a 100 km × 100 km département around 48° N."""
    alea = np.random.default_rng(graine)
    lat = 47.55 + alea.random(communes) * 0.9
    lon = -0.45 + alea.random(communes) * 1.35
    unites = pd.DataFrame(
        {
            "cle": [f"72{i:03d}" for i in range(communes)],
            "code": [f"72{i:03d}" for i in range(communes)],
            "nom": [f"Commune {i}" for i in range(communes)],
            "population": np.round(alea.lognormal(7, 1.2, communes)),
            "indice": alea.normal(0, 3, communes),
            "latitude": lat,
            "longitude": lon,
            "lieux": alea.integers(0, 5, communes),
            "heures": alea.random(communes) * 40,
        }
    )

    def points(n, prefixe):
        return pd.DataFrame(
            {
                "cle": [f"{prefixe}{i}" for i in range(n)],
                "nom": [f"Lieu {i}" for i in range(n)],
                "latitude": 47.55 + alea.random(n) * 0.9,
                "longitude": -0.45 + alea.random(n) * 1.35,
            }
        )

    return unites, points(lieux, "lieu-"), points(candidats, "candidat-")


def plus_proche_en_boucle(unites: pd.DataFrame, offres: pd.DataFrame) -> list[float]:
    """The baseline: one haversine per (unit, site) pair in Python."""
    resultat = []
    sites = list(zip(offres["latitude"], offres["longitude"], strict=True))
    for lat, lon in zip(unites["latitude"], unites["longitude"], strict=True):
        meilleure = math.inf
        p1 = math.radians(lat)
        for slat, slon in sites:
            p2 = math.radians(slat)
            h = (
                math.sin((p2 - p1) / 2) ** 2
                + math.cos(p1) * math.cos(p2) * math.sin(math.radians(slon - lon) / 2) ** 2
            )
            meilleure = min(meilleure, 2 * RAYON_TERRE_KM * math.asin(math.sqrt(h)))
        resultat.append(meilleure)
    return resultat


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=500)
    parser.add_argument("--lieux", type=int, default=2000)
    parser.add_argument("--candidats", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--rayon", type=float, default=1.5)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args(argv)
    unites, offres, candidats = departement(args.communes, args.lieux, args.candidats)

    def calcul():
        return analyser(unites, offres, rayon_km=args.rayon, k=args.k, candidats=candidats)

    analyse = calcul()
    vectorise = chronometrer(calcul, args.repetitions)
    boucle = chronometrer(lambda: plus_proche_en_boucle(unites, offres), 1)
    ecart = np.nanmax(
        np.abs(analyse.unites["distance_km"].to_numpy() - plus_proche_en_boucle(unites, offres))
    )
    print(
        f"{args.communes} communes, {args.lieux} lieux, {args.candidats} candidats, "
        f"X = {args.rayon} km, k = {args.k}"
    )
    print(
        f"fragiles sans offre : {len(analyse.sans_offre)} communes, "
        f"{analyse.population_sans_offre:,.0f} habitants ; {len(analyse.suggestions)} "
        f"suggestions rejoignant {analyse.population_couverte_par_suggestions:,.0f} habitants"
    )
    print(f"analyse complète (vectorisée) : médiane {statistics.median(vectorise) * 1000:.1f} ms")
    print(f"plus proche lieu en boucle Python (référence) : {boucle[0] * 1000:.1f} ms")
    print(f"rapport référence / analyse complète : {boucle[0] / statistics.median(vectorise):.1f}")
    print(f"écart maximal des distances : {ecart:.2e} km")


if __name__ == "__main__":
    main()
