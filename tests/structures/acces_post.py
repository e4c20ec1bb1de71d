"""Rows of the POST matrix (tests/test_acces_post.py) for the sites.

Anyone reports an error on a public site. The back-office: the territory's coordinators,
the structure's referents and staff create and edit sites; another territory's
coordinator cannot attach a site to a Le Mans structure (the form refuses it) and does
not find a Le Mans site (404); advisors and élus are refused.
"""

from __future__ import annotations

from django.urls import reverse

from structures import services
from structures.enums import Itinerance
from structures.models import Lieu, Signalement, Structure
from tests.conftest import ROLES
from tests.matrice_post import OK, Cas, Envoi, attendus
from tests.structures.factories import LieuFactory, StructureFactory
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


# -- the directory of structures -----------------------------------------------------------
# the territory's coordinators and staff; a coordinator of Angers does not find a Le Mans
# structure (404) and cannot place a new one in Le Mans (the form again, 200); a referent
# edits its own structure's public fields from its space


def _structure_seule(e: Envoi) -> Structure:
    return StructureFactory(nom="Association de la matrice", commune=e.geo["le_mans"])


def _donnees_structure(**changements) -> dict:
    return {
        "nom": "Structure de la matrice",
        "pivot": "43493312300029",
        "typologies": ["ASSO"],
        "adresse": "1 place de la République",
        "code_postal": "72000",
        "commune": "72181",
        "telephone": "",
        "courriel": "",
        "site_web": "",
        "presentation": "",
        "parente": "",
        "autres_labels": "",
        **changements,
    }


def _creer_structure(e: Envoi) -> Cas:
    return Cas(
        reverse("structures:creer_structure"),
        _donnees_structure(),
        lambda: Structure.objects.tous().filter(nom="Structure de la matrice").exists(),
    )


def _modifier_structure(e: Envoi) -> Cas:
    structure = _structure_seule(e)
    return Cas(
        reverse("structures:modifier_structure", args=[structure.pk]),
        _donnees_structure(nom="Nom corrigé par la matrice"),
        lambda: Structure.objects.tous().get(pk=structure.pk).nom == "Nom corrigé par la matrice",
    )


def _archiver_structure(e: Envoi) -> Cas:
    structure = _structure_seule(e)
    return Cas(
        reverse("structures:archiver_structure", args=[structure.pk]),
        {},
        lambda: Structure.objects.tous().get(pk=structure.pk).est_archivee,
    )


def _desarchiver_structure(e: Envoi) -> Cas:
    structure = _structure_seule(e)
    services.archiver_structure(structure=structure)
    return Cas(
        reverse("structures:desarchiver_structure", args=[structure.pk]),
        {},
        lambda: not Structure.objects.tous().get(pk=structure.pk).est_archivee,
    )


def _fusionner_structure(e: Envoi) -> Cas:
    doublon = lieu_le_mans_du_referent(e.geo).structure
    garder = _structure_seule(e)
    return Cas(
        reverse("structures:fusionner_structure", args=[garder.pk]),
        {"doublon": str(doublon.pk)},
        lambda: Structure.objects.tous().get(pk=doublon.pk).fusionnee_dans_id == garder.pk,
    )


def _modifier_ma_structure(e: Envoi) -> Cas:
    structure = lieu_le_mans_du_referent(e.geo).structure
    return Cas(
        reverse("structures:modifier_ma_structure", args=[structure.pk]),
        {
            "nom": "Nom corrigé par le référent",
            "adresse": "",
            "code_postal": "",
            "telephone": "",
            "courriel": "",
            "site_web": "",
            "presentation": "",
        },
        lambda: Structure.objects.tous().get(pk=structure.pk).nom == "Nom corrigé par le référent",
    )


GERE = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=200)
GERE_OBJET = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)

LIGNES.update(
    {
        ("structures:creer_structure", ""): (_creer_structure, GERE),
        ("structures:modifier_structure", ""): (_modifier_structure, GERE_OBJET),
        ("structures:archiver_structure", ""): (_archiver_structure, GERE_OBJET),
        ("structures:desarchiver_structure", ""): (_desarchiver_structure, GERE_OBJET),
        ("structures:fusionner_structure", ""): (_fusionner_structure, GERE_OBJET),
        ("structures:modifier_ma_structure", ""): (
            _modifier_ma_structure,
            attendus(referent=OK, staff=OK),
        ),
    }
)
