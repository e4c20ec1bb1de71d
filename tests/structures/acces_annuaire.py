"""Rows of the access matrix (tests/test_acces.py) for the directory of structures and a
referent's own structure.

The directory: the territory's coordinators and staff; a structure of Le Mans answers 404
to a coordinator of Angers. A referent edits its own structure from its space."""

from django.urls import reverse

from tests.conftest import ROLES
from tests.structures.test_gestion import lieu_le_mans_du_referent

GESTION = {
    **dict.fromkeys(ROLES, 403),
    "anonyme": 302,
    "coordinateur": 200,
    "coordinateur_autre_territoire": 200,
    "staff": 200,
}
GESTION_OBJET = {**GESTION, "coordinateur_autre_territoire": 404}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}
REFERENT = {**dict.fromkeys(ROLES, 403), "anonyme": 302, "referent": 200, "staff": 200}


def structure_du_mans(g):
    """A Le Mans structure with one site, whose referent is the ``referent`` account."""
    return lieu_le_mans_du_referent(g).structure


def _url(nom):
    return lambda g: reverse(f"structures:{nom}", args=[structure_du_mans(g).pk])


LIGNES: dict = {
    "structures:annuaire": (
        lambda g: reverse("structures:annuaire") + "?q=structure&typologie=ASSO&commune=72181",
        GESTION,
    ),
    "structures:export_annuaire": (
        lambda g: reverse("structures:export_annuaire") + "?etat=toutes",
        GESTION,
    ),
    "structures:creer_structure": (lambda g: reverse("structures:creer_structure"), GESTION),
    "structures:structure": (_url("structure"), GESTION_OBJET),
    "structures:modifier_structure": (_url("modifier_structure"), GESTION_OBJET),
    "structures:fusionner_structure": (_url("fusionner_structure"), GESTION_OBJET),
    "structures:archiver_structure": (_url("archiver_structure"), POST_SEULEMENT),
    "structures:desarchiver_structure": (_url("desarchiver_structure"), POST_SEULEMENT),
    "structures:modifier_ma_structure": (_url("modifier_ma_structure"), REFERENT),
}
