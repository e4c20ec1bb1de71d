"""Rows of the access matrix (tests/test_acces.py) for the officials' dashboard.

Élus and coordinators read their territories' dashboard and its report, staff any;
advisors and structure referents are refused (they have their own figures); a coordinator
of Angers reads its own territory's (empty) figures: the rows are scoped, not refused.
"""

from django.urls import reverse

from tests.conftest import ROLES

PERIODE = "?du=2026-01&au=2026-03"


def _pilotage() -> dict:
    attendu = dict.fromkeys(ROLES, 200)
    attendu.update(anonyme=302, conseiller=403, referent=403)
    return attendu


LIGNES: dict = {
    nom: (lambda g, nom=nom: reverse(nom) + PERIODE, _pilotage())
    for nom in (
        "indicateurs:tableau_de_bord",
        "indicateurs:tableau_de_bord_csv",
        "indicateurs:tableau_de_bord_xlsx",
        "indicateurs:tableau_de_bord_pdf",
    )
}
