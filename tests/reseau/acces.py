"""Rows of the access matrix (tests/test_acces.py) for the network's back office."""

from django.urls import reverse

from reseau.services import jeton_de_desinscription
from tests.conftest import ROLES
from tests.reseau.factories import ContactFactory, GroupeFactory
from tests.structures.factories import StructureFactory

# coordinators (their territory) and staff; another territory's row is not found
GESTION = {
    **dict.fromkeys(ROLES, 403),
    "anonyme": 302,
    "coordinateur": 200,
    "coordinateur_autre_territoire": 200,
    "staff": 200,
}
GESTION_OBJET = {**GESTION, "coordinateur_autre_territoire": 404}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}


def contact_du_mans(g):
    return ContactFactory(structure=StructureFactory(commune=g["le_mans"], nom="CCAS du Mans"))


def groupe_de_la_metropole(g):
    return GroupeFactory(nom="Collectif numérique", epci=g["metropole"])


LIGNES: dict = {
    "reseau:desinscription": (
        lambda g: reverse(
            "reseau:desinscription", args=[jeton_de_desinscription("habitant@exemple.test")]
        ),
        dict.fromkeys(ROLES, 200),
    ),
    "reseau:contacts": (lambda g: reverse("reseau:contacts") + "?q=ccas", GESTION),
    "reseau:creer_contact": (lambda g: reverse("reseau:creer_contact"), GESTION),
    "reseau:modifier_contact": (
        lambda g: reverse("reseau:modifier_contact", args=[contact_du_mans(g).pk]),
        GESTION_OBJET,
    ),
    "reseau:supprimer_contact": (
        lambda g: reverse("reseau:supprimer_contact", args=[contact_du_mans(g).pk]),
        POST_SEULEMENT,
    ),
    "reseau:groupes": (lambda g: reverse("reseau:groupes"), GESTION),
    "reseau:groupe": (
        lambda g: reverse("reseau:groupe", args=[groupe_de_la_metropole(g).pk]),
        GESTION_OBJET,
    ),
    "reseau:ecrire": (lambda g: reverse("reseau:ecrire"), GESTION),
    "reseau:envois": (lambda g: reverse("reseau:envois"), GESTION),
}
