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


def centile(mesures: list[float], rang: int) -> float:
    """The ``rang``-th percentile (50, 95, 99) of at least two measures."""
    return statistics.quantiles(mesures, n=100, method="inclusive")[rang - 1]


class Resultats:
    """Cold and warm times of a series of distinct queries, with the rows each returned.

    A query that returned no row measured nothing: the series then fails its target,
    whatever its times (``atteint``)."""

    def __init__(self, nom: str, objectif_ms: float | None = None, seuil: str = "p95"):
        self.nom, self.objectif_ms, self.seuil = nom, objectif_ms, seuil
        self.froid: list[float] = []
        self.chaud: list[float] = []
        self.base: list[float] = []
        self.lignes: list[int] = []
        self.requetes: set[str] = set()

    def ajouter(self, requete: str, froid: float, chaud: float | None, lignes: int, base=None):
        self.requetes.add(requete)
        self.froid.append(froid)
        if chaud is not None:
            self.chaud.append(chaud)
        if base is not None:
            self.base.append(base)
        self.lignes.append(lignes)

    @property
    def vides(self) -> int:
        return sum(1 for n in self.lignes if n == 0)

    def valeur(self, mesures: list[float]) -> float:
        if not mesures:
            return float("nan")
        if self.seuil == "max" or len(mesures) < 2:
            return max(mesures)
        return centile(mesures, int(self.seuil[1:]))

    def atteint(self) -> bool:
        if self.objectif_ms is None:
            return True
        return (
            self.vides == 0
            and bool(self.lignes)
            and (self.valeur(self.froid) * 1000 <= self.objectif_ms)
        )

    def verdict(self) -> str:
        if self.objectif_ms is None:
            return ""
        if self.vides:
            return f"ÉCHEC : {self.vides} sans résultat"
        return "atteint" if self.atteint() else "manqué"


ENTETE = (
    f"{'mesure':<34}{'req.':>6}{'lignes min/méd/max':>20}{'vides':>6}"
    f"{'froid p50':>10}{'froid p95':>10}{'chaud p50':>10}{'chaud p95':>10}"
    f"{'base p95':>9}{'×base':>7}{'objectif':>16}  verdict"
)


def imprimer(series: list[Resultats]) -> None:
    """One line per series: cold and warm side by side, the rows, the baseline's ratio."""
    print(ENTETE)

    def ms(mesures, rang):
        return (
            f"{centile(mesures, rang) * 1000:.1f}"
            if len(mesures) >= 2
            else (f"{mesures[0] * 1000:.1f}" if mesures else "—")
        )

    for s in series:
        lignes = sorted(s.lignes)
        repartition = f"{lignes[0]}/{lignes[len(lignes) // 2]}/{lignes[-1]}" if lignes else "—"
        base = centile(s.base, 95) if len(s.base) >= 2 else (s.base[0] if s.base else None)
        ratio = f"{s.valeur(s.froid) / base:.1f}" if base else ""
        objectif = f"{s.seuil} ≤ {s.objectif_ms:.0f} ms" if s.objectif_ms else ""
        print(
            f"{s.nom[:33]:<34}{len(s.requetes):>6}{repartition:>20}{s.vides:>6}"
            f"{ms(s.froid, 50):>10}{ms(s.froid, 95):>10}{ms(s.chaud, 50):>10}"
            f"{ms(s.chaud, 95):>10}{(f'{base * 1000:.1f}' if base else ''):>9}{ratio:>7}"
            f"{objectif:>16}  {s.verdict()}"
        )
