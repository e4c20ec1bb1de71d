"""The figures a publication or a share opens to the public: the committee's monthly
series (``indicateurs.statistiques.calcul``, the same snapshots as the dashboard), the
chosen figures only, and small numbers suppressed.

A count from 1 to ``SEUIL_PETITS_NOMBRES - 1`` could point at a person (one workshop in a
small commune, two people followed by one advisor): it is shown as « moins de 5 » and left
empty in the CSV; 0 and the counts from the threshold up are shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from commun.formats import MOIS
from indicateurs.statistiques import calcul
from indicateurs.statistiques.models import AxeStatistique, StatistiqueMensuelle
from indicateurs.territoire import territoire_de_reference

from .models import CHIFFRES_PUBLIABLES

SEUIL_PETITS_NOMBRES = 5
LIBELLES = dict(CHIFFRES_PUBLIABLES)


def masquer(valeur: int) -> int | None:
    """None for a small number (suppressed), the value otherwise."""
    return None if 0 < valeur < SEUIL_PETITS_NOMBRES else valeur


@dataclass
class Ligne:
    code: str
    libelle: str
    mois: list[int | None]
    total: int | None


@dataclass
class Chiffres:
    du: str  # « janvier 2026 »
    au: str
    mois: list[str]  # « janv. 2026 »… for the table's header: « janvier 2026 »
    codes_mois: list[str]  # « 2026-01 »
    lignes: list[Ligne]
    masques: int  # how many cells were suppressed

    @property
    def graphique(self) -> list[tuple[str, int | None]]:
        """The first figure per month, for the chart."""
        return list(zip(self.mois, self.lignes[0].mois, strict=True)) if self.lignes else []


def _libelle_mois(code: str) -> str:
    annee, mois = code.split("-")
    return f"{MOIS[int(mois) - 1]} {annee}"


def periode(nombre_mois: int) -> tuple:
    au = calcul.dernier_mois_clos()
    du = au
    for _ in range(nombre_mois - 1):
        du = calcul.mois_precedent(du)
    return du, au


def chiffres(
    *, codes: list[str], nombre_mois: int, territoire: str = "", structure=None, conseiller=None
) -> Chiffres:
    """The series of a territory (its code), a structure or an advisor, over the last
    ``nombre_mois`` closed months."""
    du, au = periode(nombre_mois)
    if conseiller is not None:
        filtres, axe = calcul.Filtres(du, au, conseiller=conseiller.pk), AxeStatistique.CONSEILLER
    elif structure is not None:
        filtres, axe = calcul.Filtres(du, au, structure=structure.pk), AxeStatistique.STRUCTURE
    else:
        filtres = calcul.Filtres(du, au, territoire_de_reference(territoire))
        axe = AxeStatistique.TERRITOIRE
    serie = calcul.serie_mensuelle(
        AnonymousUser(), filtres, visibles=StatistiqueMensuelle.objects.tous(), axe=axe
    )
    lignes, masques = [], 0
    for code in [c for c, _ in CHIFFRES_PUBLIABLES if c in codes]:
        valeurs = [masquer(m[code]) for m in serie["mois"]]
        total = masquer(serie["total"][code])
        masques += sum(v is None for v in valeurs) + (total is None)
        lignes.append(Ligne(code, LIBELLES[code], valeurs, total))
    codes_mois = [m["mois"] for m in serie["mois"]]
    return Chiffres(
        du=_libelle_mois(serie["du"]),
        au=_libelle_mois(serie["au"]),
        mois=[_libelle_mois(c) for c in codes_mois],
        codes_mois=codes_mois,
        lignes=lignes,
        masques=masques,
    )
