"""A coordinator goes from the coordination space to the index of the métropole: ranking and
choropleth map, one commune's detail, a new version computed, the export, then the coverage
analysis of the same units; in headless Chromium, axe-core on every page."""

import re
from pathlib import Path

import pytest

from indicateurs.indice.models import Contour
from tests.conftest import se_connecter, verifier_accessibilite
from tests.indicateurs.indice.test_pages_indice import CARRE, METROPOLE, _valeurs
from tests.structures.factories import LieuFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinateur_classe_cartographie_et_calcule(page, comptes, geographie):
    g = geographie
    communes = {"A": g["le_mans"], "B": g["yvre"], "angers": g["angers_commune"]}
    for cle, code, nom in (("C", "72095", "Coulaines"), ("D", "72003", "Allonnes")):
        communes[cle] = CommuneFactory(
            code_insee=code, nom=nom, departement=g["sarthe"], epci=g["metropole"]
        )
    communes["E"] = CommuneFactory(
        code_insee="72328", nom="Sargé-lès-le-Mans", departement=g["sarthe"], epci=g["metropole"]
    )
    _valeurs(communes)
    Contour.objects.create(
        niveau="commune",
        code="72181",
        nom="Le Mans",
        commune=g["le_mans"],
        geometrie=CARRE,
        latitude=48.0,
        longitude=0.2,
        population=145004,
    )
    LieuFactory(nom="Médiathèque Aragon", commune=g["le_mans"], latitude=48.0, longitude=0.2)
    se_connecter(page, comptes["coordinateur"].email)

    page.goto("/espace/")
    page.get_by_role("link", name="Indice de fragilité numérique").click()
    assert page.locator("h1").inner_text() == "Indice de fragilité numérique"
    assert page.locator("#aucun-indice").is_visible()
    verifier_accessibilite(page)

    # a first version: the national method over the métropole, scale 10
    page.get_by_role("link", name="Calculer une nouvelle version").click()
    verifier_accessibilite(page)
    page.get_by_label("Millésime des indicateurs").fill("2019")
    page.get_by_role("button", name="Lancer le calcul").click()
    assert (
        "Aucune valeur d'indicateur n'a été importée"
        in page.locator("#erreurs-formulaire").inner_text()
    )
    verifier_accessibilite(page)
    page.get_by_label("Millésime des indicateurs").fill("2022")
    page.get_by_label("Échelle (méthode des rangs)").fill("10")
    page.get_by_role("button", name="Lancer le calcul").click()
    page.wait_for_url(re.compile(rf"territoire={METROPOLE}"))
    assert "Le nouvel indice est calculé" in page.locator("main").inner_text()

    # the ranking and its map: Le Mans drawn as an outline, the four others as circles
    lignes = page.locator("#table-classement tbody tr")
    assert lignes.count() == 5
    assert lignes.nth(0).locator("th").inner_text() == "Sargé-lès-le-Mans"
    assert "4,44" in lignes.nth(0).inner_text()
    carte = page.locator("#carte-indice")
    carte.locator(".leaflet-interactive").first.wait_for()
    assert carte.get_attribute("data-contours-affiches") == "1"
    assert carte.get_attribute("data-cercles-affiches") == "4"
    verifier_accessibilite(page)

    with page.expect_download() as attente:
        page.locator("#export-csv").click()
    contenu = Path(attente.value.path()).read_text(encoding="utf-8-sig")
    assert "1;72328;Sargé-lès-le-Mans" in contenu

    # the nature of the most fragile commune's fragility
    lignes.nth(0).get_by_role("link").click()
    assert page.locator("h1").inner_text() == "Sargé-lès-le-Mans"
    assert page.locator("#rang").inner_text() == "1"
    moteurs = page.locator("#moteurs").inner_text()
    assert "Personnes de 65 ans et plus (3)" in moteurs
    assert "Taux de pauvreté (3)" in moteurs
    assert "Chômage des 15-64 ans (-2)" in page.locator("#atouts").inner_text()
    verifier_accessibilite(page)

    # back to the ranking, then on to the coverage of the same units
    page.get_by_role("link", name="Indice de fragilité numérique").first.click()
    assert page.locator("#table-classement tbody tr").count() == 5
    page.locator("#lien-couverture").click()
    assert page.locator("h1").inner_text() == "Couverture du territoire"
    assert page.locator("#chiffre-sans-offre").is_visible()
    verifier_accessibilite(page)


def test_coordinateur_charge_les_contours_des_quartiers(page, comptes, geographie):
    import json

    from indicateurs.indice.services import UnitePubliee, charger_indice_publie

    bellevue, sablons, _ = geographie["zones"]
    charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, zone=bellevue), UnitePubliee(indice=3.0, zone=sablons)],
        millesime=2022,
        source="essai",
    )

    def geojson(coordonnees) -> bytes:
        objet = {
            "type": "Feature",
            "properties": {"commune": "72181", "nom": "Bellevue", "population": 4200},
            "geometry": {"type": "Polygon", "coordinates": coordonnees},
        }
        return json.dumps({"type": "FeatureCollection", "features": [objet]}).encode()

    se_connecter(page, comptes["coordinateur"].email)
    page.goto(f"/indicateurs/indice/?territoire={METROPOLE}&niveau=quartier")
    assert "Bellevue, Les Sablons" in page.locator("#sans-point").inner_text()
    page.get_by_role("link", name="Charger des contours").first.click()
    verifier_accessibilite(page)

    noeud = [[[0.1, 47.9], [0.3, 48.1], [0.3, 47.9], [0.1, 48.1], [0.1, 47.9]]]
    page.get_by_label("Unités décrites").select_option("quartier")
    page.get_by_label("Fichier GeoJSON").set_input_files(
        files=[
            {
                "name": "quartiers.geojson",
                "mimeType": "application/geo+json",
                "buffer": geojson(noeud),
            }
        ]
    )
    page.get_by_role("button", name="Charger").click()
    assert (
        "objet 1 (Bellevue)\u00a0: géométrie invalide (auto-intersection)"
        in page.locator("#erreurs-formulaire").inner_text()
    )
    assert not Contour.objects.tous().exists()
    verifier_accessibilite(page)

    page.get_by_label("Fichier GeoJSON").set_input_files(
        files=[
            {
                "name": "quartiers.geojson",
                "mimeType": "application/geo+json",
                "buffer": geojson(CARRE["coordinates"]),
            }
        ]
    )
    page.get_by_label("Source").fill("Ville du Mans, quartiers 2024")
    page.get_by_role("button", name="Charger").click()
    page.wait_for_url(re.compile(r"niveau=quartier"))
    assert "1 contour enregistré" in page.locator("main").inner_text()
    carte = page.locator("#carte-indice")
    carte.locator(".leaflet-interactive").first.wait_for()
    assert carte.get_attribute("data-contours-affiches") == "1"
    assert (
        page.locator("#sans-point")
        .inner_text()
        .startswith("Absents de la carte faute de contour ou de point\u00a0: Les Sablons.")
    )
    assert "4\u00a0200" in page.locator("#unite-" + str(bellevue.pk)).inner_text()
    verifier_accessibilite(page)
