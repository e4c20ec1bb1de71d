"""Rows of the access matrix (tests/test_acces.py) for the accounts' back office."""

from django.urls import reverse

from comptes.enums import Role
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES

# coordinators (their territory) and staff; an account of another territory is not found
GESTION = {
    **dict.fromkeys(ROLES, 403),
    "anonyme": 302,
    "coordinateur": 200,
    "coordinateur_autre_territoire": 200,
    "staff": 200,
}
GESTION_OBJET = {**GESTION, "coordinateur_autre_territoire": 404}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}


def compte_du_mans(g):
    """An élu of Le Mans (within the métropole's coordinator's territory)."""
    return UserFactory(role=Role.ELU, email="elu-du-mans@exemple.test", territoires=[g["le_mans"]])


def _url(nom):
    return lambda g: reverse(f"gestion_comptes:{nom}", args=[compte_du_mans(g).pk])


LIGNES: dict = {
    "gestion_comptes:liste": (
        lambda g: reverse("gestion_comptes:liste") + "?q=mans&etat=actif",
        GESTION,
    ),
    "gestion_comptes:inviter": (lambda g: reverse("gestion_comptes:inviter"), GESTION),
    "gestion_comptes:importer": (lambda g: reverse("gestion_comptes:importer"), GESTION),
    "gestion_comptes:compte": (_url("compte"), GESTION_OBJET),
    "gestion_comptes:rattacher": (_url("rattacher"), POST_SEULEMENT),
    "gestion_comptes:desactiver": (_url("desactiver"), POST_SEULEMENT),
    "gestion_comptes:reactiver": (_url("reactiver"), POST_SEULEMENT),
    "gestion_comptes:renvoyer_invitation": (_url("renvoyer_invitation"), POST_SEULEMENT),
    "gestion_comptes:annuler_invitation": (_url("annuler_invitation"), POST_SEULEMENT),
}
