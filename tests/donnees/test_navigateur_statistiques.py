"""Public statistics as their users live them: a coordinator publishes its territory's
figures, anybody reads them; an advisor shares its own by a link, then revokes it."""

import os
import re
from pathlib import Path

import pytest

from indicateurs.statistiques.calcul import calculer_periode
from tests.conftest import se_connecter, verifier_accessibilite
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS

pytestmark = pytest.mark.django_db(transaction=True)

CAPTURES = Path(os.environ.get("CAPTURES", Path(__file__).resolve().parents[2] / "captures"))


def _capturer(page, nom: str) -> None:
    dossier = CAPTURES / "donnees"
    dossier.mkdir(parents=True, exist_ok=True)
    for largeur, hauteur in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": largeur, "height": hauteur})
        page.screenshot(path=dossier / f"{nom}-{largeur}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_publier_lire_partager_et_revoquer(page, navigateur, live_server, comptes, donnees):
    calculer_periode(MARS, AVRIL)
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Statistiques publiées").click()
    page.get_by_role("combobox", name=re.compile("^Territoire")).select_option(
        label="CU Le Mans Métropole"
    )
    page.get_by_role("checkbox", name="Demandes ponctuelles").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert "sont publiées" in page.get_by_role("status").first.inner_text()
    verifier_accessibilite(page)
    page.get_by_role("link", name=re.compile("Voir la page publique")).click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "L'inclusion numérique en chiffres — CU Le Mans Métropole"
    )
    tableau = page.get_by_role("table", name=re.compile("Chiffres par mois"))
    assert tableau.get_by_role("row", name=re.compile("^Accompagnements 12")).is_visible()
    assert "moins de 5" in tableau.inner_text()
    verifier_accessibilite(page)
    _capturer(page, "statistiques-territoire")

    # an advisor shares its own figures
    alice = donnees["alice"]
    alice.user = comptes["conseiller"]
    alice.save()
    conseiller = navigateur.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    se_connecter(conseiller, comptes["conseiller"].email)
    conseiller.get_by_role("link", name="Partager mes chiffres").click()
    conseiller.get_by_role("button", name="Créer le lien").click()
    adresse = conseiller.get_by_label("Adresse à partager").input_value()
    assert re.match(rf"{re.escape(live_server.url)}/statistiques/partage/[\w-]{{32}}/$", adresse)
    verifier_accessibilite(conseiller)
    _capturer(conseiller, "statistiques-partages")

    visiteur = navigateur.new_context(locale="fr-FR").new_page()
    visiteur.goto(adresse)
    assert "Alice" in visiteur.get_by_role("heading", level=1).inner_text()
    verifier_accessibilite(visiteur)
    _capturer(visiteur, "statistiques-partage")

    conseiller.get_by_role("button", name="Révoquer ce lien").click()
    assert "Aucun lien actif." in conseiller.content()
    assert visiteur.goto(adresse).status == 404
