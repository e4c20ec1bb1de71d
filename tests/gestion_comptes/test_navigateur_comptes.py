"""A coordinator invites a referent, who chooses a password and logs in; the coordinator
deactivates the account; a file with one bad row is refused with its line named and
nothing sent. Headless Chromium, axe-core on every page, at phone and desktop widths."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from comptes.models import User
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOUVEAU = "une-phrase-de-passe-toute-neuve-2027"


def _verifier(page, dossier: Path, nom: str) -> None:
    """axe-core at 390 px and 1280 px, a screenshot of each, and no horizontal scroll."""
    for largeur in (390, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        verifier_accessibilite(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
        page.screenshot(path=str(dossier / f"{nom}-{largeur}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def captures(tmp_path) -> Path:
    dossier = Path(os.environ.get("CAPTURES_COMPTES", tmp_path))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


def test_inviter_un_referent_qui_se_connecte_puis_desactiver(
    page, navigateur, live_server, comptes, geographie, captures
):
    StructureFactory(commune=geographie["le_mans"], nom="Centre social des Sablons")
    mail.outbox.clear()
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Comptes et invitations").click()
    page.wait_for_url(re.compile(r"/gestion/comptes/$"))
    assert comptes["referent"].email in page.locator("#table-comptes").inner_text()
    _verifier(page, captures, "liste")

    page.get_by_role("link", name="Inviter une personne").click()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_label("Adresse électronique").get_attribute("aria-invalid") == "true"
    _verifier(page, captures, "inviter-erreurs")

    page.get_by_label("Adresse électronique").fill("Lea.Bernard@Exemple.test")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Bernard")
    page.get_by_label("Rôle").select_option("referent")
    page.get_by_label("Territoires").select_option(["commune:72181"])
    page.get_by_label("Structure (pour un référent)").select_option(
        label="Centre social des Sablons"
    )
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url(re.compile(r"/gestion/comptes/\d+/$"))
    assert "Invitation envoyée à lea.bernard@exemple.test." in page.content()
    assert page.locator("#etat-compte").inner_text() == "Invité"
    _verifier(page, captures, "compte-invite")

    # the invitee opens the e-mail's link in its own browser
    (courriel,) = mail.outbox
    lien = re.search(r"https?://\S+/invitation/\S+/", courriel.body).group(0)
    invite = navigateur.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    invite.goto("/" + lien.split("/", 3)[3])
    assert "Activer votre compte" in invite.content()
    _verifier(invite, captures, "activer")
    invite.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(NOUVEAU)
    invite.get_by_label("Confirmation du nouveau mot de passe").fill(NOUVEAU)
    invite.get_by_role("button", name="Enregistrer mon mot de passe").click()
    invite.wait_for_url(re.compile(r"/connexion/"))
    assert "Votre mot de passe est enregistré" in invite.content()
    invite.get_by_label("Adresse électronique").fill("lea.bernard@exemple.test")
    invite.get_by_label("Mot de passe").fill(NOUVEAU)
    invite.get_by_role("button", name="Se connecter").click()
    invite.wait_for_url(re.compile(r"/espace/structure/$"))

    # the coordinator sees it active, then deactivates it
    page.reload()
    assert page.locator("#etat-compte").inner_text() == "Actif"
    assert "Centre social des Sablons" in page.content()
    page.get_by_role("button", name="Désactiver le compte").click()
    assert page.locator("#etat-compte").inner_text() == "Désactivé"
    assert "ses sessions et ses jetons d'API sont révoqués" in page.content()
    journal = page.locator("#journal-compte").inner_text()
    assert "Compte désactivé" in journal and "Invitation acceptée" in journal
    _verifier(page, captures, "compte-desactive")
    assert not User.objects.get(email="lea.bernard@exemple.test").is_active

    # the invitee's session is closed
    invite.goto("/espace/structure/")
    invite.wait_for_url(re.compile(r"/connexion/"))


def test_un_fichier_avec_une_ligne_fausse_est_refuse(page, comptes, captures):
    mail.outbox.clear()
    se_connecter(page, comptes["coordinateur"].email)
    page.goto("/gestion/comptes/importer/")
    _verifier(page, captures, "importer")
    page.get_by_label("Fichier CSV").set_input_files(
        {
            "name": "invitations.csv",
            "mimeType": "text/csv",
            "buffer": (
                b"courriel;prenom;nom;role;structure_siret\n"
                b"anne@exemple.test;Anne;Martin;elu;\n"
                b"bruno@exemple.test;Bruno;Petit;directeur;\n"
            ),
        }
    )
    page.get_by_label("Territoires des comptes invités").select_option(["epci:247200132"])
    page.get_by_role("button", name="Envoyer les invitations").click()
    rapport = page.locator("#rapport-import").inner_text()
    assert "Fichier refusé" in rapport
    assert "Ligne 3" in rapport and "le rôle « directeur »" in rapport
    _verifier(page, captures, "importer-refuse")
    assert mail.outbox == []
    assert not User.objects.filter(email__in=["anne@exemple.test", "bruno@exemple.test"]).exists()
