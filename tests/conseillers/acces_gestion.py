"""Rows of the access matrix (tests/test_acces.py) for the gestion pages and the API."""

from django.urls import reverse

from tests.conftest import ROLES
from tests.conseillers.factories import (
    ActiviteFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)


def _attendus(defaut: int, **roles: int) -> dict:
    return {**dict.fromkeys(ROLES, defaut), **roles}


def _conseiller_le_mans(g):
    # the same advisor for every row that asks (the phone test builds them all in one base)
    from conseillers.models import Conseiller

    return Conseiller.objects.tous().filter(
        email="acces@exemple.test"
    ).first() or ConseillerFactory(commune=g["le_mans"], email="acces@exemple.test")


def _mise_le_mans(g):
    return MiseADispositionFactory(structure__commune=g["le_mans"])


# the back-office: coordinators (any territory for the lists, their own for an object), staff
GESTION = _attendus(
    403, anonyme=302, coordinateur=200, coordinateur_autre_territoire=200, staff=200
)
GESTION_OBJET = {**GESTION, "coordinateur_autre_territoire": 404}

# the coordination's API: coordinators and staff; another territory's advisor is not found
API_COORDINATION = _attendus(403, anonyme=401, coordinateur=200, staff=200)

LIGNES: dict = {
    "conseillers:gestion_conseillers": (
        lambda g: reverse("conseillers:gestion_conseillers") + "?sans_activite=on",
        GESTION,
    ),
    "conseillers:competences_conseillers": (
        lambda g: reverse("conseillers:competences_conseillers") + "?q=intelligence",
        GESTION,
    ),
    "conseillers:creer_conseiller": (lambda g: reverse("conseillers:creer_conseiller"), GESTION),
    "conseillers:conseiller": (
        lambda g: reverse("conseillers:conseiller", args=[_conseiller_le_mans(g).pk]),
        GESTION_OBJET,
    ),
    "conseillers:modifier_conseiller": (
        lambda g: reverse("conseillers:modifier_conseiller", args=[_conseiller_le_mans(g).pk]),
        GESTION_OBJET,
    ),
    "conseillers:mises_a_disposition": (
        lambda g: reverse("conseillers:mises_a_disposition"),
        GESTION,
    ),
    "conseillers:creer_mise_a_disposition": (
        lambda g: reverse("conseillers:creer_mise_a_disposition"),
        GESTION,
    ),
    "conseillers:modifier_mise_a_disposition": (
        lambda g: reverse("conseillers:modifier_mise_a_disposition", args=[_mise_le_mans(g).pk]),
        GESTION_OBJET,
    ),
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
