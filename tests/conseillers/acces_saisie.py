"""Rows of the access matrix (tests/test_acces.py) for the saisie pages.

Only advisors use these pages (their own reports): every other role, staff included (no
advisor profile), gets 403; the anonymous visitor is sent to the login page.
"""

from django.urls import reverse

from comptes.models import User
from conseillers.services import profil_conseiller
from tests.conftest import ROLES
from tests.conseillers.factories import ActiviteFactory

CONSEILLER_SEUL = {**dict.fromkeys(ROLES, 403), "anonyme": 302, "conseiller": 200}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}


def activite_du_conseiller(geo):
    """A report of the ``conseiller`` account (its profile created as on first access)."""
    conseiller = profil_conseiller(user=User.objects.get(role="conseiller"))
    return ActiviteFactory(conseiller=conseiller)


def _url(nom):
    return lambda g: reverse(f"conseillers:{nom}", args=[activite_du_conseiller(g).pk])


LIGNES = {
    "conseillers:activites": (
        lambda g: reverse("conseillers:activites") + "?type=individuel",
        CONSEILLER_SEUL,
    ),
    "conseillers:nouvelle_activite": (
        lambda g: reverse("conseillers:nouvelle_activite"),
        CONSEILLER_SEUL,
    ),
    "conseillers:modifier_activite": (_url("modifier_activite"), CONSEILLER_SEUL),
    "conseillers:dupliquer_activite": (_url("dupliquer_activite"), CONSEILLER_SEUL),
    "conseillers:supprimer_activite": (_url("supprimer_activite"), CONSEILLER_SEUL),
    "conseillers:restaurer_activite": (_url("restaurer_activite"), POST_SEULEMENT),
    "conseillers:historique_activite": (_url("historique_activite"), CONSEILLER_SEUL),
}
