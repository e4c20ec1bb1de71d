"""A coordinator analyses the coverage of the métropole, changes X and k, reads the
suggestions and the map, in headless Chromium, with axe-core on every state."""

import re

import pytest

from indicateurs.indice.services import UnitePubliee, charger_indice_publie
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _analyser(page, *, rayon: str, k: str):
    page.get_by_label("Distance maximale à une offre (km)").fill(rayon)
    page.get_by_label("Nombre d'emplacements à suggérer").fill(k)
    page.get_by_role("button", name="Analyser").click()
    page.wait_for_url(re.compile(rf"rayon={re.escape(rayon)}.*k={k}"))


def test_coordinateur_analyse_la_couverture(page, comptes, geographie):
    g = geographie
    g["yvre"].latitude, g["yvre"].longitude = 48.0, 0.3
    g["yvre"].save()
    g["le_mans"].latitude, g["le_mans"].longitude = 48.0, 0.2
    g["le_mans"].save()
    # Champagné is 3.15 km from Yvré: two places within 2 km, one within 5 km
    champagne = CommuneFactory(
        code_insee="72054",
        nom="Champagné",
        epci=g["metropole"],
        departement=g["sarthe"],
        population=3900,
        latitude=48.02,
        longitude=0.33,
    )
    LieuFactory(nom="Maison France services", commune=g["le_mans"], latitude=48.0, longitude=0.2)
    charger_indice_publie(
        unites=[
            UnitePubliee(indice=2.72, commune=g["le_mans"]),
            UnitePubliee(indice=4.5, commune=g["yvre"]),
            UnitePubliee(indice=5.1, commune=champagne),
        ],
        millesime=2022,
        source="Le Mans Métropole, essai",
    )
    se_connecter(page, comptes["coordinateur"].email)

    page.goto("/indicateurs/couverture/")
    assert page.locator("h1").inner_text() == "Couverture du territoire"
    carte = page.locator("#carte-couverture")
    carte.locator(".leaflet-interactive").first.wait_for()
    assert carte.get_attribute("data-unites-affichees") == "3"
    verifier_accessibilite(page)

    # X = 2 km, threshold 4, two places: Yvré (4,181 inhabitants) then Champagné (3,900)
    page.get_by_label("Seuil de fragilité (indice supérieur ou égal à)").fill("4")
    _analyser(page, rayon="2", k="2")
    assert page.locator("#chiffre-sans-offre").inner_text() == "2"
    assert re.sub(r"\s", "", page.locator("#population-sans-offre").inner_text()) == "8081"
    suggestions = page.locator("#tableau-suggestions tbody tr")
    assert suggestions.count() == 2
    assert "Yvré-l'Évêque" in suggestions.nth(0).inner_text()  # 4,181 > 3,900 inhabitants
    assert "Champagné" in suggestions.nth(1).inner_text()
    assert carte.get_attribute("data-suggestions-affichees") == "2"
    assert page.locator(".couverture-suggestion").count() == 2
    assert "indice ≥ 4,00, choisi par vous" in page.locator("#hypothese-seuil").inner_text()
    verifier_accessibilite(page)

    # X = 5 km: one place brings both communes, the second would bring nothing
    _analyser(page, rayon="5", k="2")
    suggestions = page.locator("#tableau-suggestions tbody tr")
    assert suggestions.count() == 1
    assert "Champagné" in suggestions.first.inner_text()
    assert "Yvré-l'Évêque" in suggestions.first.inner_text()
    assert "Moins de 2 emplacements" in page.locator("#titre-suggestions + div + p").inner_text()
    carte.locator(".couverture-suggestion").first.wait_for()
    assert carte.get_attribute("data-suggestions-affichees") == "1"

    # a bad value: a French message, no analysis
    _analyser(page, rayon="80", k="2")
    assert "La distance ne peut pas dépasser 50" in page.locator("#erreurs-formulaire").inner_text()
    assert page.locator("#carte-couverture").count() == 0
    verifier_accessibilite(page)
