"""An élu reads the dashboard, changes the period and downloads the three exports, in
headless Chromium, with axe-core on each state."""

import re
from pathlib import Path

import pytest

from indicateurs.statistiques.calcul import calculer_periode
from tests.comptes.factories import MOT_DE_PASSE
from tests.conftest import verifier_accessibilite
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS, donnees  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    ligne = page.locator("#ligne-accompagnements")
    assert ligne.locator("td.total").inner_text() == "12"
    assert ligne.locator("td.moyenne").inner_text() == "6"
    assert page.locator("#ventilation-structure").get_by_text("Cyber-base").is_visible()
    verifier_accessibilite(page)

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
