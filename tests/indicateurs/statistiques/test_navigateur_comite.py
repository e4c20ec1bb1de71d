"""An élu reads the dashboard, changes the period and downloads the three exports, in
headless Chromium, with axe-core on each state. The key figures of the month come first;
the detail (committee table, comparison, charts, breakdowns, definitions) sits behind tabs
reached with the arrow keys, so the page stays short at 1280 px."""

import os
import re
from pathlib import Path

import pytest

from indicateurs.statistiques.calcul import calculer_periode
from tests.comptes.factories import MOT_DE_PASSE
from tests.conftest import verifier_accessibilite
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS, donnees  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# screenshots to look at, where CAPTURES names a folder (none otherwise)
CAPTURES = os.environ.get("CAPTURES", "")
# the page at 1280 px with every section shown one after the other: 5,375 px with these
# figures, 10,295 px with the demo's (12 months); summaries first and the detail in tabs:
# 1,324 px here, 1,537 px with the demo's
HAUTEUR_MAX = 2000


def _capturer(page, nom: str) -> None:
    if CAPTURES:
        Path(CAPTURES).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(CAPTURES) / f"{nom}.png", full_page=True)


def test_elu_lit_le_tableau_de_bord_et_telecharge(page, comptes, donnees):  # noqa: F811
    calculer_periode(MARS, AVRIL)
    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(comptes["elu"].email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/espace/"))

    page.goto("/tableau-de-bord/")
    verifier_accessibilite(page)
    page.get_by_label("Du mois").fill("2026-03")
    page.get_by_label("Au mois (inclus)").fill("2026-04")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"du=2026-03&au=2026-04"))
    # first the month's key figures, against the month before and a year before
    cle = page.locator("#cle-accompagnements")
    assert cle.locator(".valeur").inner_text() == "1"
    assert "\u221290,9\u00a0% par rapport à mars 2026 (11)" in cle.inner_text()
    assert "0 en avril 2025" in cle.inner_text()
    assert "12 accompagnements" in page.locator("#resume-periode").inner_text()
    hauteur = page.evaluate("document.documentElement.scrollHeight")
    print(f"hauteur du tableau de bord à 1280 px : {hauteur} px")
    assert hauteur <= HAUTEUR_MAX
    _capturer(page, "tableau-de-bord-1280")
    # the committee's table is the tab shown; the others wait behind theirs
    ligne = page.locator("#ligne-accompagnements")
    assert ligne.locator("td.total").inner_text() == "12"
    assert ligne.locator("td.moyenne").inner_text() == "6"
    assert not page.locator("#ventilation-structure").is_visible()
    onglet = page.get_by_role("tab", name="Tableau du comité")
    assert onglet.get_attribute("aria-selected") == "true"
    onglet.focus()
    page.keyboard.press("ArrowRight")
    comparaison = page.get_by_role("tab", name="Comparaison sur un an")
    assert comparaison.get_attribute("aria-selected") == "true"
    assert page.locator("#tableau-comparaison").is_visible()
    assert not ligne.is_visible()
    page.get_by_role("tab", name="Répartition").click()
    assert page.locator("#ventilation-structure").get_by_text("Cyber-base").is_visible()
    verifier_accessibilite(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _capturer(page, "tableau-de-bord-390")
    page.set_viewport_size({"width": 1280, "height": 720})

    for lien, extension in (
        ("#export-csv", "csv"),
        ("#export-xlsx", "xlsx"),
        ("#export-pdf", "pdf"),
    ):
        with page.expect_download() as attente:
            page.locator(lien).click()
        telechargement = attente.value
        assert telechargement.suggested_filename == f"tableau-de-bord-2026-03-2026-04.{extension}"
        contenu = Path(telechargement.path()).read_bytes()
        if extension == "pdf":
            assert contenu.startswith(b"%PDF")
        elif extension == "csv":
            assert "Accompagnements;12;6;11;1" in contenu.decode("utf-8")
        else:
            assert contenu.startswith(b"PK")

    # a wrong period: a French message, the page stays usable
    page.goto("/tableau-de-bord/?du=2026-13")
    assert "du « 2026-13 » invalide" in page.locator("#erreur-filtres").inner_text()
    verifier_accessibilite(page)
