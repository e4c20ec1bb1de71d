"""The public workshop agenda on a phone: the count of sessions and a jump link come
first, the filters fold behind a disclosure button; on a wide screen they stay open. In
headless Chromium, keyboard only, with axe-core."""

import os
import re
from pathlib import Path

import pytest

from ateliers import services
from tests.ateliers.conftest import atelier, demande, prochain  # noqa: F401 (fixtures)
from tests.conftest import verifier_accessibilite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _capturer(page, nom: str) -> None:
    if os.environ.get("CAPTURES"):  # screenshots to look at, where CAPTURES names a folder
        dossier = Path(os.environ["CAPTURES"])
        dossier.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=dossier / f"{nom}.png", full_page=True)


def test_agenda_sur_un_telephone(page, demande, atelier):  # noqa: F811
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ateliers/agenda/")
    nombre = page.locator("#nombre-seances")
    assert nombre.inner_text() == "1 séance à venir."
    # the count and the jump link on the first screen, the filters folded
    assert nombre.bounding_box()["y"] < 844
    bouton = page.get_by_role("button", name="Filtrer l'agenda")
    assert bouton.get_attribute("aria-expanded") == "false"
    assert not page.get_by_label("Thème").is_visible()
    titre = page.locator("#liste-seances h3").first
    assert titre.bounding_box()["y"] < 844
    verifier_accessibilite(page)
    _capturer(page, "agenda-390")
    page.get_by_role("link", name="Aller à la liste des séances").press("Enter")
    assert page.evaluate("document.activeElement.id") == "titre-seances"

    # the disclosure at the keyboard: open, the first filter focused, choose a theme
    bouton.focus()
    page.keyboard.press("Enter")
    assert bouton.get_attribute("aria-expanded") == "true"
    assert page.get_by_label("Commune").is_visible()
    verifier_accessibilite(page)
    page.get_by_label("Thème").select_option("email")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"thematique=email"))
    assert nombre.inner_text() == "Aucune séance à venir pour ces critères."
    assert "(filtres appliqués)" in page.locator("#bouton-filtres").inner_text()

    # on a wide screen the filters stay open and the button is not shown
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.get_by_label("Thème").is_visible()
    assert not page.locator("#bouton-filtres").is_visible()
    verifier_accessibilite(page)
    _capturer(page, "agenda-1280")
