"""Defence in depth: ``enregistrer_lieu`` given the acting user (``par=``) refuses one who
may not edit the site, attach it to that structure or place it in that commune, with
PermissionDenied and nothing written, whatever the view checked. ``par=None`` (jobs,
tests) is not checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from comptes.enums import Role
from structures.models import Lieu
from structures.services import enregistrer_lieu
from tests.comptes.factories import UserFactory
from tests.structures.factories import LieuFactory, StructureFactory
from tests.test_formulaires_hostiles import _ecarts, _etat

pytestmark = pytest.mark.django_db

PERMIS = ["referent", "coordinateur", "staff"]
REFUSES = ["conseiller", "coordinateur_autre_territoire", "elu", "autre_referent"]


@pytest.fixture
def acteurs(comptes, geographie):
    return {
        **comptes,
        "autre_referent": UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]]),
    }


def _lieu_du_referent(geographie, acteurs) -> Lieu:
    structure = StructureFactory(commune=geographie["le_mans"], referents=[acteurs["referent"]])
    return LieuFactory(commune=geographie["le_mans"], structure=structure)


def refuse(appel) -> None:
    avant = _etat()
    with pytest.raises(PermissionDenied):
        appel()
    assert _ecarts(avant, _etat()) == {}


@pytest.mark.parametrize("acteur", REFUSES)
def test_modifier_ou_creer_un_lieu_sans_droit(geographie, acteurs, acteur):
    lieu = _lieu_du_referent(geographie, acteurs)
    lieu.nom = "Renommé"
    refuse(lambda: enregistrer_lieu(lieu=lieu, par=acteurs[acteur]))
    nouveau = LieuFactory.build(structure=lieu.structure, commune=geographie["le_mans"])
    refuse(lambda: enregistrer_lieu(lieu=nouveau, par=acteurs[acteur]))


@pytest.mark.parametrize("acteur", PERMIS)
def test_modifier_et_creer_un_lieu(geographie, acteurs, acteur):
    lieu = _lieu_du_referent(geographie, acteurs)
    lieu.nom = "Renommé"
    enregistrer_lieu(lieu=lieu, par=acteurs[acteur])
    assert Lieu.objects.tous().get(pk=lieu.pk).nom == "Renommé"
    nouveau = LieuFactory.build(structure=lieu.structure, commune=geographie["le_mans"])
    assert enregistrer_lieu(lieu=nouveau, par=acteurs[acteur]).pk is not None


def test_rattacher_a_une_autre_structure(geographie, acteurs):
    """The referent's own site, moved in memory to a structure it does not run."""
    lieu = _lieu_du_referent(geographie, acteurs)
    lieu.structure = StructureFactory(commune=geographie["le_mans"])
    refuse(lambda: enregistrer_lieu(lieu=lieu, par=acteurs["referent"]))


def test_placer_hors_de_son_territoire(geographie, acteurs):
    lieu = _lieu_du_referent(geographie, acteurs)
    lieu.commune = geographie["angers_commune"]
    refuse(lambda: enregistrer_lieu(lieu=lieu, par=acteurs["coordinateur"]))
