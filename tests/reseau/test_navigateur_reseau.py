"""A coordinator adds a structure's contact with its consent, gathers it in a working
group, writes to the group (recipients counted first), finds the mailing in the history;
the recipient unsubscribes through the e-mail's link. Headless Chromium, axe-core at 390
and 1280 px, screenshots of each page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from reseau.models import Contact, Desinscription, Envoi
from tests.conftest import se_connecter, verifier_accessibilite
from tests.reseau.factories import ContactFactory
from tests.structures.factories import StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def captures(tmp_path) -> Path:
    dossier = Path(os.environ.get("CAPTURES_RESEAU", tmp_path))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


def _verifier(page, dossier: Path, nom: str) -> None:
    for largeur in (390, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        verifier_accessibilite(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
        page.screenshot(path=str(dossier / f"{nom}-{largeur}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_contact_groupe_envoi_et_desinscription(
    page, navigateur, live_server, comptes, geographie, captures
):
    structure = StructureFactory(
        commune=geographie["le_mans"],
        nom="France Services des Sablons",
        programmes=["france_services"],
    )
    ContactFactory(structure=structure, prenom="Sam", nom="Durand", courriel="sam@exemple.test")
    mail.outbox.clear()
    se_connecter(page, comptes["coordinateur"].email)
    page.goto("/espace/coordination/")
    page.locator("#menu-coordination").get_by_role("link", name="Contacts des structures").click()
    page.wait_for_url(re.compile(r"/gestion/reseau/$"))
    assert "Durand" in page.locator("#table-contacts").inner_text()
    _verifier(page, captures, "contacts")

    # a contact with its consent, refused first without a way to reach it
    page.get_by_role("link", name="Ajouter un contact").click()
    page.get_by_label("Structure").select_option(label="France Services des Sablons")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(re.compile(r"^Nom\b")).fill("Bernard")
    page.get_by_label("Fonction").fill("Animatrice numérique")
    page.get_by_label("Consentement recueilli").check()
    page.get_by_label("Date du consentement ou de l'enregistrement").fill("2026-12-01")
    page.get_by_role("button", name="Enregistrer le contact").click()
    assert (
        "Donnez une adresse électronique ou un numéro de téléphone"
        in page.locator("#erreurs-formulaire").inner_text()
    )
    _verifier(page, captures, "contact-erreurs")
    page.get_by_label("Adresse électronique").fill("lea@exemple.test")
    page.get_by_label("Téléphone").fill("02 43 47 47 47")
    page.get_by_role("button", name="Enregistrer le contact").click()
    page.wait_for_url(re.compile(r"/gestion/reseau/$"))
    tableau = page.locator("#table-contacts").inner_text()
    assert "Consentement recueilli le 1er décembre 2026" in tableau
    assert "02 43 47 47 47" in tableau
    assert Contact.objects.tous().get(nom="Bernard").telephone == "+33243474747"

    # a working group with both contacts
    page.get_by_role("link", name="Réseau et groupes de travail").click()
    page.get_by_label(re.compile(r"^Nom\b")).fill("Groupe accueil France Services")
    page.get_by_label("Nature").select_option("groupe_de_travail")
    page.get_by_role("button", name="Créer le groupe").click()
    page.wait_for_url(re.compile(r"/gestion/reseau/groupes/\d+/$"))
    page.get_by_label(re.compile("^Léa Bernard")).check()
    page.get_by_label(re.compile("^Sam Durand")).check()
    page.get_by_role("button", name="Enregistrer le groupe").click()
    page.get_by_role("status").filter(has_text="est enregistré").wait_for()
    _verifier(page, captures, "groupe")

    # write to the group: count first, then send
    page.get_by_role("link", name="Écrire aux membres de ce groupe").click()
    page.wait_for_url(re.compile(r"/gestion/reseau/ecrire/"))
    assert page.get_by_label("Les membres d'un réseau ou d'un groupe de travail").is_checked()
    assert "Groupe accueil France Services" in page.get_by_label(
        "Réseau ou groupe de travail"
    ).evaluate("s => s.options[s.selectedIndex].text")
    page.get_by_label("Objet").fill("Réunion de l'accueil")
    page.get_by_label("Message").fill("Bonjour,\n\nRéunion mardi 15 décembre à 14 h.")
    page.get_by_role("button", name="Voir les destinataires").click()
    assert page.locator("#apercu h2").inner_text().startswith("2 destinataires")
    _verifier(page, captures, "ecrire-apercu")
    page.get_by_role("button", name="Envoyer le message").click()
    page.wait_for_url(re.compile(r"/gestion/reseau/envois/$"))
    assert "part vers 2 destinataires" in page.get_by_role("status").first.inner_text()
    historique = page.locator("#table-envois").inner_text()
    assert "Réunion de l'accueil" in historique and "2 partis" in historique
    _verifier(page, captures, "envois")
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@exemple.test", "sam@exemple.test"]
    assert Envoi.objects.tous().get().nombre_envoyes == 2

    # Sam unsubscribes from its own browser
    (courriel,) = [m for m in mail.outbox if m.to == ["sam@exemple.test"]]
    lien = re.search(r"https?://\S+/desinscription/\S+/", courriel.body).group(0)
    lecteur = navigateur.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    lecteur.goto("/" + lien.split("/", 3)[3])
    _verifier(lecteur, captures, "desinscription")
    lecteur.get_by_role("button", name="Me désinscrire").click()
    assert "C'est noté" in lecteur.locator("#desinscription-faite").inner_text()
    assert Desinscription.objects.filter(courriel="sam@exemple.test").exists()
