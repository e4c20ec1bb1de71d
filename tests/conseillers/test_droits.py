"""Defence in depth: the report services given the acting user (``user=``) refuse anyone
but the report's advisor and staff, with PermissionDenied and nothing written, whatever
the view or the API checked. ``user=None`` (imports, jobs, demonstration) is not checked;
closing a workshop session writes its advisors' reports after its own check
(tests/ateliers/test_droits.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from comptes.enums import Role
from conseillers.models import Activite
from conseillers.services import (
    enregistrer_activite,
    profil_conseiller,
    restaurer_activite,
    supprimer_activite,
)
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory
from tests.test_formulaires_hostiles import _ecarts, _etat

pytestmark = pytest.mark.django_db

REFUSES = [
    "referent",
    "coordinateur",
    "coordinateur_autre_territoire",
    "elu",
    "autre_conseiller",
]


@pytest.fixture
def acteurs(comptes, geographie):
    autre = UserFactory(role=Role.CONSEILLER, territoires=[geographie["metropole"]])
    ConseillerFactory(commune=geographie["le_mans"], user=autre)
    return {**comptes, "autre_conseiller": autre}


@pytest.fixture
def conseiller(comptes):
    return profil_conseiller(user=comptes["conseiller"])


def refuse(appel) -> None:
    avant = _etat()
    with pytest.raises(PermissionDenied):
        appel()
    assert _ecarts(avant, _etat()) == {}


def _nouvelle(conseiller) -> Activite:
    return ActiviteFactory.build(conseiller=conseiller)


@pytest.mark.parametrize("acteur", REFUSES)
def test_ecrire_l_activite_d_un_autre(conseiller, acteurs, acteur):
    user = acteurs[acteur]
    refuse(lambda: enregistrer_activite(activite=_nouvelle(conseiller), user=user))
    activite = ActiviteFactory(conseiller=conseiller)
    activite.duree_minutes = 90
    refuse(lambda: enregistrer_activite(activite=activite, user=user))
    refuse(lambda: supprimer_activite(activite=activite, user=user))
    Activite.objects.tous().filter(pk=activite.pk).update(supprime_le=timezone.now())
    activite.refresh_from_db()
    refuse(lambda: restaurer_activite(activite=activite, user=user))


def test_un_conseiller_ne_change_pas_d_auteur(conseiller, acteurs):
    """Its own report moved to a colleague in memory: refused (the stored one is its)."""
    activite = ActiviteFactory(conseiller=conseiller)
    activite.conseiller = acteurs["autre_conseiller"].conseiller
    refuse(lambda: enregistrer_activite(activite=activite, user=acteurs["conseiller"]))


@pytest.mark.parametrize("acteur", ["conseiller", "staff"])
def test_le_conseiller_et_le_support_ecrivent(conseiller, acteurs, acteur):
    user = acteurs[acteur]
    activite = enregistrer_activite(activite=_nouvelle(conseiller), user=user)
    activite.duree_minutes = 90
    enregistrer_activite(activite=activite, user=user)
    supprimer_activite(activite=activite, user=user)
    restaurer_activite(activite=activite, user=user)
    activite.refresh_from_db()
    assert (activite.duree_minutes, activite.supprime_le) == (90, None)
