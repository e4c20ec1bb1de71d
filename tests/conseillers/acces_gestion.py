"""Rows of the access matrix (tests/test_acces.py) for the gestion pages and the API."""

from django.urls import reverse

from tests.conftest import ROLES
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory


def _attendus(defaut: int, **roles: int) -> dict:
    return {**dict.fromkeys(ROLES, defaut), **roles}


def _conseiller_le_mans(g):
    return ConseillerFactory(commune=g["le_mans"], email="acces@exemple.test")


# the coordination's API: coordinators and staff; another territory's advisor is not found
API_COORDINATION = _attendus(403, anonyme=401, coordinateur=200, staff=200)

LIGNES: dict = {
    "api:activite-list": (lambda g: reverse("api:activite-list"), _attendus(200, anonyme=401)),
    "api:activite-detail": (
        # a colleague's report in Le Mans: their coordinator and staff read it, nobody else
        lambda g: reverse(
            "api:activite-detail",
            args=[ActiviteFactory(conseiller=_conseiller_le_mans(g)).pk],
        ),
        _attendus(404, anonyme=401, coordinateur=200, staff=200),
    ),
    "api:conseiller-list": (
        lambda g: reverse("api:conseiller-list"),
        {**API_COORDINATION, "coordinateur_autre_territoire": 200},
    ),
    "api:conseiller-detail": (
        lambda g: reverse("api:conseiller-detail", args=[_conseiller_le_mans(g).pk]),
        {**API_COORDINATION, "coordinateur_autre_territoire": 404},
    ),
}
