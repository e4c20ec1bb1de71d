"""Rows of the access matrix (tests/test_acces.py) for the fragility-index pages.

Coordinators and élus read their own territories, staff any; advisors and structure
referents are refused. Computing is for coordinators (their territory) and staff, loading
outlines too. A coordinator of Angers asking for Le Mans Métropole gets a 403, and a unit of
Le Mans is a 404 for them.
"""

from django.urls import reverse

from tests.conftest import ROLES

CLASSEMENT_DU_MANS = "?territoire=247200132&niveau=commune"


def _attendu(*autorises: str, **autres: int) -> dict:
    attendu = dict.fromkeys(ROLES, 403)
    attendu.update(anonyme=302, staff=200, **dict.fromkeys(autorises, 200), **autres)
    return attendu


def _unite_du_mans(g) -> str:
    from indicateurs.indice.models import IndiceUnite
    from indicateurs.indice.services import UnitePubliee, charger_indice_publie

    resultat = charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, commune=g["le_mans"])], millesime=2022, source="essai"
    )
    unite = IndiceUnite.objects.tous().get(resultat=resultat)
    return reverse("indicateurs:indice_unite", args=[unite.pk])


LECTURE = _attendu("coordinateur", "elu")

LIGNES: dict = {
    "indicateurs:indice": (
        lambda g: reverse("indicateurs:indice") + CLASSEMENT_DU_MANS,
        LECTURE,
    ),
    "indicateurs:indice_csv": (
        lambda g: reverse("indicateurs:indice_csv") + CLASSEMENT_DU_MANS,
        LECTURE,
    ),
    "indicateurs:indice_xlsx": (
        lambda g: reverse("indicateurs:indice_xlsx") + CLASSEMENT_DU_MANS,
        LECTURE,
    ),
    "indicateurs:indice_unite": (
        _unite_du_mans,
        _attendu("coordinateur", "elu", coordinateur_autre_territoire=404),
    ),
    "indicateurs:indice_calculer": (
        lambda g: reverse("indicateurs:indice_calculer"),
        _attendu("coordinateur", "coordinateur_autre_territoire"),
    ),
    "indicateurs:contours_importer": (
        lambda g: reverse("indicateurs:contours_importer"),
        _attendu("coordinateur", "coordinateur_autre_territoire"),
    ),
}
