"""Rows of the access matrix (tests/test_acces.py) for the couverture pages.

Coordinators and élus analyse their own territory, staff any; advisors and structure
referents are refused; a coordinator of Angers asking for Le Mans Métropole too.
"""

from django.urls import reverse

from tests.conftest import ROLES

ANALYSE_DU_MANS = "?territoire=247200132&niveau=commune&rayon=5&k=2"


def _lecture_coordination_elus() -> dict:
    attendu = dict.fromkeys(ROLES, 403)
    attendu.update(anonyme=302, coordinateur=200, elu=200, staff=200)
    return attendu


LIGNES: dict = {
    "indicateurs:couverture": (
        lambda g: reverse("indicateurs:couverture") + ANALYSE_DU_MANS,
        _lecture_coordination_elus(),
    ),
    "indicateurs:couverture_csv": (
        lambda g: reverse("indicateurs:couverture_csv") + ANALYSE_DU_MANS,
        _lecture_coordination_elus(),
    ),
}
