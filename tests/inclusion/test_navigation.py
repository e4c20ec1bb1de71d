"""The coordinators' navigation: every page a coordinator may open (taken from the access
matrix) is free of links to the Django admin, which stays the technical team's tool; and
each of its back-office functions is reached from the coordination home, in one or two
clicks (the menu, then the list where its objects are)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import reverse

from tests.test_acces import MATRICE

pytestmark = pytest.mark.django_db

LIEN = re.compile(r'href="([^"#]*)"')


def _pages_du_coordinateur(geographie, role: str = "coordinateur"):
    """(name, URL) of each page ``role`` opens; each page's objects exist while it is
    looked at, then are rolled back (two rows may build the same object)."""
    for nom, (construire, attendus) in sorted(MATRICE.items()):
        if nom.startswith(("api:", "admin:")) or attendus.get(role) != 200:
            continue
        with transaction.atomic():
            yield nom, construire(geographie)
            transaction.set_rollback(True)


def test_aucune_page_du_coordinateur_ne_mene_a_l_administration(client_de, geographie):
    client = client_de("coordinateur")
    vues = 0
    for nom, url in _pages_du_coordinateur(geographie):
        reponse = client.get(url)
        assert reponse.status_code == 200, (nom, url)
        if "text/html" not in reponse.get("Content-Type", ""):
            continue
        vues += 1
        liens = LIEN.findall(reponse.content.decode())
        vers_admin = [lien for lien in liens if urlsplit(lien).path.startswith("/admin")]
        assert not vers_admin, (nom, vers_admin)
    assert vues > 40  # the walk did open the coordinator's pages


def _liens(client, url) -> set[str]:
    reponse = client.get(url)
    if reponse.status_code != 200 or "text/html" not in reponse.get("Content-Type", ""):
        return set()
    return {urlsplit(lien).path for lien in LIEN.findall(reponse.content.decode())}


MINIMUM = {"coordinateur": 15, "referent": 1, "conseiller": 1, "elu": 0}
ESPACES = {
    "coordinateur": "comptes:espace_coordination",
    "referent": "comptes:espace_structure",
    "conseiller": "comptes:espace_conseiller",
    "elu": "comptes:espace_elu",
}


@pytest.mark.parametrize("role", sorted(ESPACES))
def test_chaque_fonction_est_au_bout_du_menu_de_son_role(client_de, geographie, role):
    """Each back-office page without an object in its address (lists, forms, imports…)
    that the role may open is linked from its space or from a page its space links to."""
    client = client_de(role)
    accueil = reverse(ESPACES[role])
    premier = _liens(client, accueil)
    atteintes = set(premier)
    for chemin in sorted(premier):
        if chemin.startswith(
            ("/gestion/", "/espace/", "/pilotage/", "/ateliers/", "/conseillers/")
        ):
            atteintes |= _liens(client, chemin)
    manquantes, verifiees = [], 0
    for nom, url in _pages_du_coordinateur(geographie, role):
        chemin = urlsplit(url).path
        if not chemin.startswith(("/gestion/", "/espace/")) or re.search(r"/\d+/", chemin):
            continue
        if "/suggestions/" in chemin or chemin == accueil:
            continue
        verifiees += 1
        if chemin not in atteintes:
            manquantes.append((nom, chemin))
    assert not manquantes, manquantes
    assert verifiees >= MINIMUM[role], verifiees
