"""Every page of the access matrix, on a phone, as each role that may see it.

For each HTML page the GET matrix (tests/test_acces.py) lets a role see, the browser loads
it at 390×844, saves a full-page screenshot (``captures/telephone/<role>/<page>.png``, or
the folder named by ``CAPTURES``), checks that nothing scrolls sideways and runs axe-core:
no violation of any impact. Files (PDF, CSV, XLSX, iCalendar) and JSON answers are not
pages and are skipped; the API's browsable pages are DRF's, not the portal's.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client

from tests.conftest import RACINE, ROLES
from tests.test_acces import MATRICE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LARGEUR, HAUTEUR = 390, 844
CAPTURES = Path(os.environ.get("CAPTURES", RACINE / "captures")) / "telephone"

# Django's own administration is the technical team's tool, styled by Django: it is not
# one of the portal's pages (it has its own accessibility work upstream).
HORS_PORTAIL = re.compile(r"^admin:")

# Parts of a page that are not the portal's: the map tiles are images drawn by the tile
# server (OpenStreetMap's attribution and tiles, decorative, aria-hidden by Leaflet).
EXCLUS_D_AXE = [".leaflet-tile-pane"]


def _axe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    contexte = {"exclude": [[selecteur] for selecteur in EXCLUS_D_AXE]}
    resultats = Axe().run(page, context=contexte)
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in resultats.response["violations"]
    ]


def _connecter(contexte, user, live_server) -> None:
    """The session cookie of a logged-in account (no login page: the journeys test it)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    contexte.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("role", ROLES)
def test_chaque_page_tient_sur_un_telephone_et_passe_axe(
    navigateur, live_server, comptes, geographie, role
):
    contexte = navigateur.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        viewport={"width": LARGEUR, "height": HAUTEUR},
        device_scale_factor=1,
    )
    contexte.set_default_timeout(20000)
    if comptes[role] is not None:
        _connecter(contexte, comptes[role], live_server)
    page = contexte.new_page()
    dossier = CAPTURES / role
    dossier.mkdir(parents=True, exist_ok=True)
    fautes: dict[str, list[str]] = {}
    vues = 0
    try:
        for nom, (construire, attendus) in sorted(MATRICE.items()):
            if attendus[role] != 200 or HORS_PORTAIL.match(nom):
                continue
            try:
                with transaction.atomic():
                    adresse = construire(geographie)
            except IntegrityError as erreur:
                fautes[f"{nom} (construction)"] = [str(erreur).splitlines()[0]]
                continue
            # a file or a JSON answer is not a page: ask first what the address returns
            entete = page.request.get(
                adresse, max_redirects=0, headers={"Accept": "text/html,*/*;q=0.8"}
            )
            type_ = entete.headers.get("content-type", "")
            if entete.status != 200 or not type_.startswith("text/html"):
                continue
            if adresse.startswith("/api/") and "documentation" not in adresse:
                continue  # DRF's browsable API: the framework's page, not the portal's
            page.goto(adresse)
            page.wait_for_load_state("load")
            if nom == "api:documentation":
                # Swagger UI draws the page from the schema once loaded
                page.locator(".swagger-ui .opblock").first.wait_for()
            vues += 1
            page.screenshot(path=dossier / f"{nom.replace(':', '-')}.png", full_page=True)
            problemes = []
            largeur = page.evaluate("document.documentElement.scrollWidth")
            if largeur > LARGEUR:
                problemes.append(f"{largeur} px de large")
            problemes += _axe(page)
            if problemes:
                fautes[f"{nom} ({adresse})"] = problemes
    finally:
        contexte.close()
    assert vues, "aucune page vue"
    assert not fautes, "\n".join(
        f"{nom} :\n  " + "\n  ".join(problemes) for nom, problemes in fautes.items()
    )
