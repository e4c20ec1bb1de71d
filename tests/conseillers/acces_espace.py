"""Rows of the access matrix (tests/test_acces.py) for the espace pages.

Only the ``conseiller`` role uses the advisor's own space: every other role, staff included
(no advisor profile), gets 403; anonymous visitors are sent to the login page.
"""

from django.urls import reverse

from comptes.models import User
from conseillers.services import profil_conseiller
from tests.conftest import ROLES
from tests.conseillers.factories import BeneficiaireFactory

CONSEILLER_SEUL = {**dict.fromkeys(ROLES, 403), "anonyme": 302, "conseiller": 200}


def _beneficiaire_du_conseiller(g):
    """A followed beneficiary of the ``conseiller`` account (its profile made on the way)."""
    conseiller = profil_conseiller(user=User.objects.get(role="conseiller"))
    return BeneficiaireFactory(conseiller=conseiller, commune=g["le_mans"])


LIGNES: dict = {
    "conseillers:profil": (lambda g: reverse("conseillers:profil"), CONSEILLER_SEUL),
    "conseillers:planning": (
        lambda g: reverse("conseillers:planning") + "?semaine=2026-W48",
        CONSEILLER_SEUL,
    ),
    "conseillers:statistiques": (
        lambda g: reverse("conseillers:statistiques") + "?du=2026-01-01&au=2026-03-31",
        CONSEILLER_SEUL,
    ),
    "conseillers:beneficiaires": (lambda g: reverse("conseillers:beneficiaires"), CONSEILLER_SEUL),
    "conseillers:nouveau_beneficiaire": (
        lambda g: reverse("conseillers:nouveau_beneficiaire"),
        CONSEILLER_SEUL,
    ),
    "conseillers:modifier_beneficiaire": (
        lambda g: reverse(
            "conseillers:modifier_beneficiaire", args=[_beneficiaire_du_conseiller(g).pk]
        ),
        CONSEILLER_SEUL,
    ),
    "conseillers:supprimer_beneficiaire": (
        lambda g: reverse(
            "conseillers:supprimer_beneficiaire", args=[_beneficiaire_du_conseiller(g).pk]
        ),
        CONSEILLER_SEUL,
    ),
    "conseillers:exporter_beneficiaire": (
        lambda g: reverse(
            "conseillers:exporter_beneficiaire", args=[_beneficiaire_du_conseiller(g).pk]
        ),
        CONSEILLER_SEUL,
    ),
    "conseillers:doublons_beneficiaires": (
        lambda g: reverse("conseillers:doublons_beneficiaires"),
        CONSEILLER_SEUL,
    ),
    # POST only: the advisor gets 405 on GET, every other role is refused first
    "conseillers:fusionner_beneficiaires": (
        lambda g: reverse("conseillers:fusionner_beneficiaires"),
        {**CONSEILLER_SEUL, "conseiller": 405},
    ),
}
