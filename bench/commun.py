"""What the PostgreSQL benchmarks share: a throwaway cluster, a timer and a percentile."""

from __future__ import annotations

import os
import statistics
import time


def chronometrer(fonction, repetitions: int) -> list[float]:
    fonction()  # warm-up
    mesures = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        fonction()
        mesures.append(time.perf_counter() - debut)
    return mesures


def p95(mesures: list[float]) -> float:
    return statistics.quantiles(mesures, n=20)[-1]


def sur_postgres_jetable(executer, args) -> None:
    """Run ``executer(args)`` on a fresh database of a throwaway PostgreSQL, then stop it."""
    from tests.services import SERVICES, demarrer_postgres

    url = demarrer_postgres()
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        c.execute("CREATE DATABASE inclusion")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings.dev")
    os.environ.setdefault("SECRET_KEY", "banc-d-essai")
    try:
        executer(args)
    finally:
        SERVICES.arreter()
