"""Rows of the POST matrix (tests/test_acces_post.py) for the sites.

Anyone reports an error on a public site. The back-office: the territory's coordinators,
the structure's referents and staff create and edit sites; another territory's
coordinator cannot attach a site to a Le Mans structure (the form refuses it) and does
not find a Le Mans site (404); advisors and élus are refused.
"""

from __future__ import annotations

from django.urls import reverse

from structures.enums import Itinerance
from structures.models import Lieu, Signalement
from tests.conftest import ROLES
from tests.matrice_post import OK, Cas, Envoi, attendus
from tests.structures.factories import LieuFactory
from tests.structures.test_gestion import lieu_le_mans_du_referent
from tests.test_formulaires_hostiles import _lieu_existant_valide, _lieu_valide


def _fixe(donnees: dict) -> dict:
    """A site at a fixed address: no stop."""
    donnees = {cle: valeur for cle, valeur in donnees.items() if not cle.startswith("arrets-0-")}
    donnees["itinerance"] = [Itinerance.FIXE]
    donnees["arrets-TOTAL_FORMS"] = donnees.get("arrets-INITIAL_FORMS", "0")
    return donnees


def _signaler(e: Envoi) -> Cas:
    lieu = LieuFactory(commune=e.geo["le_mans"])
    message = "Le numéro de téléphone affiché n'est plus attribué."
    return Cas(
        reverse("structures:signaler", args=[lieu.pk]),
        {"message": message, "courriel": "", "site_internet": ""},
        lambda: Signalement.objects.tous().filter(lieu=lieu, message=message).exists(),
    )


def _creer_lieu(e: Envoi) -> Cas:
    structure = lieu_le_mans_du_referent(e.geo).structure
    donnees = {
        **_fixe(_lieu_valide({"structure": structure}, e.geo)),
        "nom": "Tiers-lieu de la matrice",
    }
    return Cas(
        reverse("structures:creer_lieu"),
        donnees,
        lambda: Lieu.objects.tous().filter(nom="Tiers-lieu de la matrice").exists(),
    )


def _modifier_lieu(e: Envoi) -> Cas:
    lieu = lieu_le_mans_du_referent(e.geo)
    donnees = {
        **_fixe(_lieu_existant_valide({"structure": lieu.structure}, e.geo, lieu)),
        "nom": "Nom corrigé par la matrice",
    }
    return Cas(
        reverse("structures:modifier_lieu", args=[lieu.pk]),
        donnees,
        lambda: Lieu.objects.tous().get(pk=lieu.pk).nom == "Nom corrigé par la matrice",
    )


def _suivre_signalement(e: Envoi) -> Cas:
    signalement = Signalement.objects.create(
        lieu=lieu_le_mans_du_referent(e.geo), message="Horaires faux"
    )
    return Cas(
        reverse("structures:signalement", args=[signalement.pk]),
        {"statut": "corrige", "note": "Horaires mis à jour"},
        lambda: Signalement.objects.tous().get(pk=signalement.pk).statut == "corrige",
    )


LIGNES: dict = {
    ("structures:signaler", ""): (_signaler, dict.fromkeys(ROLES, OK)),
    ("structures:creer_lieu", ""): (
        _creer_lieu,
        attendus(referent=OK, coordinateur=OK, staff=OK, coordinateur_autre_territoire=200),
    ),
    ("structures:modifier_lieu", ""): (
        _modifier_lieu,
        attendus(referent=OK, coordinateur=OK, staff=OK, coordinateur_autre_territoire=404),
    ),
    ("structures:signalement", ""): (
        _suivre_signalement,
        attendus(referent=OK, coordinateur=OK, staff=OK, coordinateur_autre_territoire=404),
    ),
}
