"""A referent creates an API token from their space, sees it once, uses it, then revokes it,
in headless Chromium, with axe-core on every page."""

import json
import re
import urllib.error
import urllib.request

import pytest

from tests.conftest import se_connecter, verifier_accessibilite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _appel_api(live_server, jeton: str) -> int:
    """GET /api/v1/moi/ with the token only (no session cookie): the status code."""
    requete = urllib.request.Request(  # noqa: S310 - the live server, on the loopback
        f"{live_server.url}/api/v1/moi/", headers={"Authorization": f"Token {jeton}"}
    )
    try:
        with urllib.request.urlopen(requete, timeout=10) as reponse:  # noqa: S310 - loopback
            assert json.loads(reponse.read())["role"] == "referent"
            return reponse.status
    except urllib.error.HTTPError as erreur:
        return erreur.code


def test_creer_voir_une_fois_puis_revoquer_un_jeton(page, live_server, comptes):
    se_connecter(page, comptes["referent"].email)
    page.get_by_role("link", name="Mes jetons d'API").click()
    page.wait_for_url(re.compile(r"/espace/jetons/$"))
    assert "Votre compte n'a aucun jeton." in page.content()
    verifier_accessibilite(page)

    # a refused creation says why, next to the field
    page.get_by_role("button", name="Créer le jeton").click()
    assert page.get_by_label("Nom de l'outil").get_attribute("aria-invalid") == "true"
    verifier_accessibilite(page)

    page.get_by_label("Nom de l'outil").fill("Tableur des lieux")
    page.get_by_role("button", name="Créer le jeton").click()
    champ = page.get_by_label(re.compile(r"^Votre nouveau jeton, valable jusqu'au "))
    jeton = champ.input_value()
    assert re.fullmatch(r"[0-9a-f]{64}", jeton)
    assert "il ne sera plus jamais affiché" in page.content()
    verifier_accessibilite(page)
    assert _appel_api(live_server, jeton) == 200

    # the list shows the token, never its secret again
    page.goto("/espace/jetons/")
    ligne = page.locator("#liste-jetons tbody tr")
    assert ligne.count() == 1
    assert "Tableur des lieux" in ligne.inner_text()
    assert re.search(r"\d{1,2} \w+ \d{4} à \d{1,2}\u00a0h\u00a0\d{2}", ligne.inner_text())
    assert jeton not in page.content()
    verifier_accessibilite(page)

    # Playwright folds the narrow no-break spaces of the accessible name into spaces
    page.get_by_role(
        "button", name=re.compile(r"^Révoquer le jeton «\sTableur des lieux\s»")
    ).click()
    page.wait_for_url(re.compile(r"/espace/jetons/$"))
    assert "est révoqué" in page.locator("[role=status]").inner_text()
    assert "Votre compte n'a aucun jeton." in page.content()
    verifier_accessibilite(page)
    assert _appel_api(live_server, jeton) == 401
