"""A coordinator filters the sites by a commune typed with suggestions, keyboard only, in
headless Chromium, with axe-core on the combobox open and closed."""

import os
import re
from pathlib import Path

import pytest

from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choisir_une_commune_au_clavier(page, comptes, geographie, settings):
    settings.SEUIL_AUTOCOMPLETION = 1
    LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"])
    LieuFactory(nom="Mairie d'Yvré", commune=geographie["yvre"])
    se_connecter(page, comptes["coordinateur"].email)
    page.goto("/gestion/lieux/")
    champ = page.get_by_role("combobox", name="Commune")
    assert champ.get_attribute("name") == "commune"
    champ.focus()
    page.keyboard.type("yv", delay=50)
    page.get_by_role("option", name="Yvré-l'Évêque (72386)").wait_for()
    assert page.get_by_role("option").all_inner_texts() == ["Yvré-l'Évêque (72386)"]
    assert champ.get_attribute("aria-expanded") == "true"
    verifier_accessibilite(page)
    if os.environ.get("CAPTURES"):  # screenshots to look at, where CAPTURES names a folder
        dossier = Path(os.environ["CAPTURES"])
        dossier.mkdir(parents=True, exist_ok=True)
        for largeur in (390, 1280):
            page.set_viewport_size({"width": largeur, "height": 844})
            page.screenshot(path=dossier / f"autocompletion-{largeur}.png")
        page.set_viewport_size({"width": 1280, "height": 900})
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert champ.input_value() == "Yvré-l'Évêque (72386)"
    page.keyboard.press("Tab")  # to the « Filtrer » button
    assert page.evaluate("document.activeElement.textContent") == "Filtrer"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"commune=Yvr"))
    assert page.locator("#nombre-lieux").inner_text() == "1 lieu"
    assert "Mairie d'Yvré" in page.locator("table").inner_text()
    assert "Médiathèque Aragon" not in page.locator("table").inner_text()
    # the choice stays written in the field, as its suggestion was
    assert page.get_by_role("combobox", name="Commune").input_value() == "Yvré-l'Évêque (72386)"
    verifier_accessibilite(page)

    # an unknown commune typed without choosing: a French message beside the field
    champ = page.get_by_role("combobox", name="Commune")
    champ.fill("Trifouillis")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Filtrer").press("Enter")
    page.wait_for_url(re.compile(r"commune=Trifouillis"))
    assert "Aucun choix possible ne correspond" in page.locator("#id_commune_erreurs").inner_text()
    verifier_accessibilite(page)


def test_le_conseiller_saisit_la_commune_d_un_beneficiaire(page, comptes, geographie, settings):
    """The advisor's own forms: a commune of the territory typed and chosen by keyboard."""
    from conseillers.models import Beneficiaire
    from conseillers.services import profil_conseiller

    settings.SEUIL_AUTOCOMPLETION = 1
    moi = profil_conseiller(user=comptes["conseiller"])
    se_connecter(page, comptes["conseiller"].email)
    page.goto("/conseiller/beneficiaires/nouveau/")
    page.get_by_label("Prénom").fill("Amélie")
    page.get_by_label("Année de naissance").fill("1961")
    champ = page.get_by_role("combobox", name="Commune")
    champ.focus()
    page.keyboard.type("yv", delay=50)
    page.get_by_role("option", name="Yvré-l'Évêque (72386)").wait_for()
    verifier_accessibilite(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert champ.input_value() == "Yvré-l'Évêque (72386)"
    page.get_by_label(re.compile("La personne a donné son accord")).check()
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(r"/conseiller/beneficiaires/$"))
    personne = Beneficiaire.objects.tous().get(conseiller=moi)
    assert personne.commune == geographie["yvre"]
    verifier_accessibilite(page)
