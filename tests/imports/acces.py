"""Rows of the access matrix (tests/test_acces.py) for the back-office imports."""

from django.core.files.base import ContentFile
from django.urls import reverse

from imports.enums import EtatImport
from tests.conftest import ROLES
from tests.imports.factories import ImportFactory, coordinateur_du_mans

# coordinators (their territory's imports) and staff; another territory's: not found
GESTION = {
    **dict.fromkeys(ROLES, 403),
    "anonyme": 302,
    "coordinateur": 200,
    "coordinateur_autre_territoire": 200,
    "staff": 200,
}
GESTION_OBJET = {**GESTION, "coordinateur_autre_territoire": 404}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}


def import_du_mans(g, **champs):
    return ImportFactory(cree_par=coordinateur_du_mans(g), **champs)


def _url(nom, **champs):
    return lambda g: reverse(f"imports:{nom}", args=[import_du_mans(g, **champs).pk])


def _rejets(g):
    import_ = import_du_mans(g, etat=EtatImport.TERMINE)
    import_.rejets.save("rejets.csv", ContentFile(b"\xef\xbb\xbfcode;motifs_du_refus\n"))
    return reverse("imports:rejets", args=[import_.pk])


LIGNES: dict = {
    "imports:liste": (lambda g: reverse("imports:liste") + "?etat=echec", GESTION),
    "imports:nouveau": (lambda g: reverse("imports:nouveau") + "?type=lieux", GESTION),
    "imports:import": (_url("import"), GESTION_OBJET),
    "imports:etat": (_url("etat", etat=EtatImport.EN_COURS), GESTION_OBJET),
    "imports:rejets": (_rejets, GESTION_OBJET),
    "imports:confirmer": (_url("confirmer"), POST_SEULEMENT),
}
