"""Authorization matrix of the POSTs: every action of every HTML page that accepts a POST,
as every role, with a valid body (tests/matrice_post.py).

A role whose status is a :class:`Fait` gets the action's effect; any other role changes
no row of any table of the project (every row compared, as in
tests/test_formulaires_hostiles.py). A page that accepts a POST without its rows here
fails ``test_chaque_post_a_sa_ligne``. The API's writes are tested by
tests/test_api_hostile.py; the administration is Django's.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import resolve, reverse

from tests.ateliers import acces_post as post_ateliers
from tests.comptes import acces_post as post_comptes
from tests.conftest import ROLES
from tests.conseillers import acces_post as post_conseillers
from tests.donnees import acces_post as post_donnees
from tests.gestion_comptes import acces_post as post_gestion_comptes
from tests.imports import acces_post as post_imports
from tests.indicateurs.indice import acces_post as post_indice
from tests.matrice_post import Envoi, Fait
from tests.reseau import acces_post as post_reseau
from tests.structures import acces_post as post_structures
from tests.test_acces import MATRICE
from tests.test_formulaires_hostiles import _ecarts, _etat

pytestmark = pytest.mark.django_db

# (route name, action) -> (builder, expected status per role)
MATRICE_POST = {
    **post_comptes.LIGNES,
    **post_structures.LIGNES,
    **post_conseillers.LIGNES,
    **post_ateliers.LIGNES,
    **post_indice.LIGNES,
    **post_gestion_comptes.LIGNES,
    **post_reseau.LIGNES,
    **post_donnees.LIGNES,
    **post_imports.LIGNES,
}
ROUTES_POST = {nom for nom, _action in MATRICE_POST}


def _id(cle: tuple[str, str]) -> str:
    nom, action = cle
    return f"{nom}[{action}]" if action else nom


def _connexion_exigee(url: str) -> bool:
    return getattr(resolve(urlsplit(url).path).func, "login_required", True)


def test_chaque_post_a_sa_ligne(client, comptes, geographie):
    """A page accepts a POST when staff, sending an empty one, gets anything but 405: each
    such page has its rows, and each row's page accepts a POST."""
    acceptent = set()
    for nom, (construire, _attendus) in sorted(MATRICE.items()):
        if nom.startswith(("api:", "admin:")):
            continue
        with transaction.atomic():  # each page's objects, then rolled back
            url = construire(geographie)
            client.force_login(comptes["staff"])  # in the block: its session too
            if client.post(url, {}).status_code != 405:
                acceptent.add(nom)
            transaction.set_rollback(True)
    manquants = acceptent - ROUTES_POST
    assert not manquants, f"pages qui acceptent un POST sans ligne\u00a0: {sorted(manquants)}"
    assert not ROUTES_POST - acceptent, f"lignes sans POST\u00a0: {sorted(ROUTES_POST - acceptent)}"


def test_chaque_page_a_une_action_permise():
    """Each page has a role for which its action is carried out: a matrix of refusals only
    would hold just as well if the page were broken."""
    sans = ROUTES_POST - {
        nom
        for (nom, _action), (_construire, attendus) in MATRICE_POST.items()
        if any(isinstance(statut, Fait) for statut in attendus.values())
    }
    assert not sans, sorted(sans)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cle", sorted(MATRICE_POST), ids=_id)
def test_matrice_des_post(client_de, comptes, geographie, cle, role):
    construire, attendus = MATRICE_POST[cle]
    client = client_de(role)
    cas = construire(Envoi(geographie, comptes, role, client))
    attendu = attendus[role]
    avant = _etat()
    reponse = client.post(cas.url, cas.donnees)
    assert reponse.status_code == attendu, (cle, role, reponse.status_code)
    if isinstance(attendu, Fait):
        assert cas.fait(), f"{_id(cle)}\u00a0: {role} reçoit {attendu}, mais rien n'est fait"
        return
    assert _ecarts(avant, _etat()) == {}, f"{_id(cle)} refusé à {role}, mais écrit"
    if reponse.status_code == 302 and role == "anonyme" and _connexion_exigee(cas.url):
        assert reponse.url.startswith(reverse("comptes:connexion"))
