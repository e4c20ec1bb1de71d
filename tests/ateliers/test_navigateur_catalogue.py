"""A coordinator writes a workshop sheet, publishes it, and records a partner's signed
convention with its PDF; the referent finds both; anyone prints the quarterly programme.
Headless Chromium, axe-core on every page."""

import re

import pytest

from ateliers.models import Convention, FicheAtelier
from tests.ateliers.conftest import prochain
from tests.ateliers.factories import PDF
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_et_convention(page, comptes, geographie, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    StructureFactory(
        nom="Médiathèque Aragon", commune=geographie["le_mans"], referents=[comptes["referent"]]
    )
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Catalogue des ateliers").click()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Nouvelle fiche").click()
    page.get_by_role("textbox", name="Titre").fill("Faire ses démarches en ligne")
    page.get_by_label("Commune porteuse").select_option(label=str(geographie["le_mans"]))
    page.get_by_label("naviguer sur internet").check()
    page.get_by_label("Nombre de séances").fill("1")
    page.get_by_label("Participants au minimum").fill("9")
    page.get_by_label("Participants au maximum").fill("6")
    page.get_by_label("Public visé").fill("adultes")
    page.get_by_role("textbox", name="Objectifs").fill("Créer son compte, déposer un document.")
    page.get_by_role("textbox", name="Contenu").fill(
        "FranceConnect, espace personnel, pièces justificatives."
    )
    page.get_by_label("connexion internet").check()
    page.get_by_role("button", name="Enregistrer et publier").click()
    erreurs = page.locator("#erreurs-formulaire").inner_text()
    assert "Le maximum de participants est inférieur au minimum." in erreurs
    verifier_accessibilite(page)
    assert not FicheAtelier.objects.tous().exists()
    page.get_by_label("Participants au minimum").fill("3")
    page.get_by_role("button", name="Enregistrer et publier").click()
    page.wait_for_url(re.compile(r"/ateliers/catalogue/\d+/$"))
    assert page.locator("#statut-fiche").inner_text() == "publiée"
    assert "Fiche publiée (version 1)" in page.locator("main").inner_text()
    verifier_accessibilite(page)

    # the partner's convention, signed, with its PDF
    page.goto("/ateliers/conventions/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_role("combobox", name="Structure").select_option(label="Médiathèque Aragon")
    debut = prochain(0, 9).date()
    page.get_by_label("Début", exact=False).first.fill("2026-01-01")
    page.get_by_label("Fin").fill(f"{debut.year + 1}-12-31")
    page.get_by_label("Signée le").fill("2026-01-02")
    page.get_by_label("Convention signée (PDF, 5 Mo au plus)").set_input_files(
        {"name": "convention.txt", "mimeType": "text/plain", "buffer": b"texte"}
    )
    page.get_by_role("button", name="Enregistrer la convention").click()
    assert "fichier PDF" in page.locator("#erreurs-formulaire").inner_text()
    verifier_accessibilite(page)
    page.get_by_label("Convention signée (PDF, 5 Mo au plus)").set_input_files(
        {"name": "convention.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Enregistrer la convention").click()
    page.wait_for_url(re.compile(r"/ateliers/conventions/\d+/$"))
    assert page.locator("#statut-convention").inner_text() == "signée"
    with Convention.objects.tous().get().document.open("rb") as fichier:
        assert fichier.read() == PDF

    # the referent reads the catalogue and its convention
    page.context.clear_cookies()
    se_connecter(page, comptes["referent"].email)
    page.get_by_role("link", name="Catalogue des ateliers").click()
    page.get_by_role("link", name="Faire ses démarches en ligne").click()
    assert "FranceConnect" in page.locator("#contenu-fiche").inner_text()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Demander cet atelier").click()
    assert "sans-convention" not in page.content()
    page.goto("/ateliers/conventions/")
    assert "signée" in page.locator("#table-conventions").inner_text()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name=re.compile("^PDF")).click()
    assert telechargement.value.suggested_filename.startswith("convention-mediatheque-aragon")

    # anyone prints the quarterly programme
    page.context.clear_cookies()
    page.goto("/ateliers/agenda/")
    page.get_by_role("link", name="Programme trimestriel à imprimer (PDF)").click()
    verifier_accessibilite(page)
    page.get_by_role("textbox", name="Commune").fill("Atlantide")
    page.get_by_role("button", name="Télécharger le programme (PDF)").click()
    assert "Aucune commune ne correspond" in page.locator("#erreurs-formulaire").inner_text()
    verifier_accessibilite(page)
    page.get_by_role("textbox", name="Commune").fill("Le Mans")
    with page.expect_download() as programme:
        page.get_by_role("button", name="Télécharger le programme (PDF)").click()
    assert programme.value.suggested_filename.startswith("ateliers-le-mans-")
