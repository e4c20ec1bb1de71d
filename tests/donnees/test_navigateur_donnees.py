"""A reuser's journey: from any page's footer to the open data, then each file."""

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db(transaction=True)

CAPTURES = Path(os.environ.get("CAPTURES", Path(__file__).resolve().parents[2] / "captures"))


def test_un_reutilisateur_trouve_et_telecharge_les_donnees_ouvertes(page, geographie):
    LieuFactory(nom="Médiathèque Louis-Aragon", commune=geographie["le_mans"])
    LieuFactory(nom="Centre social de la Roseraie", commune=geographie["angers_commune"])
    page.goto("/lieux/")
    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()
    page.wait_for_url(re.compile(r"/donnees/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Données ouvertes"
    verifier_accessibilite(page)
    for largeur, hauteur in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": largeur, "height": hauteur})
        (CAPTURES / "donnees").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=CAPTURES / "donnees" / f"donnees-{largeur}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur

    lieux = page.get_by_role("region", name="Lieux de médiation numérique")
    lien = lieux.get_by_role("link", name="Télécharger au format CSV")
    reponse = page.request.get(lien.get_attribute("href"))
    assert reponse.status == 200
    noms = sorted(r["nom"] for r in csv.DictReader(io.StringIO(reponse.text())))
    assert noms == ["Centre social de la Roseraie", "Médiathèque Louis-Aragon"]
    # the harvester's second visit: nothing changed, nothing sent
    deja = page.request.get(
        lien.get_attribute("href"), headers={"If-None-Match": reponse.headers["etag"]}
    )
    assert deja.status == 304

    # the example filter of the page: one département
    # (a CSV is a download for the browser: read through its HTTP client)
    exemple = page.get_by_role("link", name=re.compile(r"departement=72")).get_attribute("href")
    sarthe = page.request.get(exemple).text()
    assert "Médiathèque Louis-Aragon" in sarthe
    assert "Centre social de la Roseraie" not in sarthe

    page.get_by_role("link", name="/donnees/data.json").click()
    catalogue = json.loads(page.locator("body").inner_text())
    assert {j["dct:identifier"] for j in catalogue["dcat:dataset"]} == {
        "lieux",
        "agenda",
        "statistiques",
        "annuaire",
    }
