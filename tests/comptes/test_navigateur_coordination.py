"""The coordination space as a coordinator finds it on landing: what waits today, with
counts, each leading to its filtered list; keyboard only, axe-core at desktop and phone
width."""

import os
import re
from pathlib import Path

import pytest

from structures.models import Signalement
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# screenshots to look at, where CAPTURES names a folder (none otherwise)
CAPTURES = os.environ.get("CAPTURES", "")


def _capturer(page, nom: str) -> None:
    if CAPTURES:
        Path(CAPTURES).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=Path(CAPTURES) / f"{nom}.png", full_page=True)


def test_la_coordination_voit_ce_qui_l_attend(page, comptes, geographie):
    lieu = LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"])
    Signalement.objects.create(lieu=lieu, message="Le mardi, c'est fermé.")
    Signalement.objects.create(lieu=lieu, message="Téléphone faux")
    se_connecter(page, comptes["coordinateur"].email)
    page.wait_for_url(re.compile(r"/espace/coordination/$"))
    a_faire = page.locator("#a-faire")
    lien = a_faire.get_by_role("link", name="Signalements d'erreur du public à traiter\u00a0: 2")
    assert lien.is_visible()
    for largeur, hauteur in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": largeur, "height": hauteur})
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur
        verifier_accessibilite(page)
        _capturer(page, f"espace-coordination-{largeur}")
    page.set_viewport_size({"width": 1280, "height": 900})

    # keyboard only: tab to the task and open it
    for _ in range(40):
        page.keyboard.press("Tab")
        if lien.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("La tâche n'est pas atteignable au clavier.")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/gestion/signalements/\?statut=nouveau$"))
    assert page.locator("#nombre-signalements").inner_text() == "2 signalements"
    verifier_accessibilite(page)
    _capturer(page, "signalements-1280")
    page.locator("#signalements a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/gestion/signalements/\d+/$"))
    page.get_by_label("Statut").select_option("corrige")
    page.get_by_role("button", name="Enregistrer le suivi").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="est enregistré").wait_for()
    page.goto("/gestion/signalements/")
    assert page.locator("#nombre-signalements").inner_text() == "1 signalement"
    verifier_accessibilite(page)

    # back home, the count follows; the menu reaches the sessions in one step
    page.goto("/espace/coordination/")
    assert a_faire.get_by_role(
        "link", name="Signalement d'erreur du public à traiter\u00a0: 1"
    ).is_visible()
    page.get_by_role("navigation", name="Toutes les fonctions").get_by_role(
        "link", name="Séances, inscriptions et présences"
    ).click()
    page.wait_for_url(re.compile(r"/ateliers/seances/$"))
