"""The directory of structures in headless Chromium, axe-core on every page at phone and
desktop widths: a coordinator invites a referent, who accepts, sets a password and edits
its structure's site and public fields; a coordinator searches, creates, edits, merges two
duplicates and downloads the CSV."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail

from structures.models import Lieu, Structure
from tests.conftest import se_connecter
from tests.gestion_comptes.test_navigateur_comptes import NOUVEAU, _verifier
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def captures(tmp_path) -> Path:
    dossier = Path(os.environ.get("CAPTURES_ANNUAIRE", tmp_path))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


def test_un_referent_invite_modifie_le_lieu_de_sa_structure(
    page, navigateur, live_server, comptes, geographie, captures
):
    structure = StructureFactory(commune=geographie["le_mans"], nom="Centre social des Sablons")
    lieu = LieuFactory(commune=geographie["le_mans"], structure=structure, nom="Espace Sablons")
    mail.outbox.clear()
    se_connecter(page, comptes["coordinateur"].email)
    page.goto("/gestion/comptes/inviter/")
    page.get_by_label("Adresse électronique").fill("lea.bernard@exemple.test")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Bernard")
    page.get_by_label("Rôle").select_option("referent")
    page.get_by_label("Territoires").select_option(["commune:72181"])
    page.get_by_label("Structure (pour un référent)").select_option(
        label="Centre social des Sablons"
    )
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_url(re.compile(r"/gestion/comptes/\d+/$"))

    # the invitee follows the e-mail's link, chooses a password and logs in
    (courriel,) = mail.outbox
    lien = re.search(r"https?://\S+/invitation/\S+/", courriel.body).group(0)
    invite = navigateur.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    invite.goto("/" + lien.split("/", 3)[3])
    invite.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(NOUVEAU)
    invite.get_by_label("Confirmation du nouveau mot de passe").fill(NOUVEAU)
    invite.get_by_role("button", name="Enregistrer mon mot de passe").click()
    invite.wait_for_url(re.compile(r"/connexion/"))
    invite.get_by_label("Adresse électronique").fill("lea.bernard@exemple.test")
    invite.get_by_label("Mot de passe").fill(NOUVEAU)
    invite.get_by_role("button", name="Se connecter").click()
    invite.wait_for_url(re.compile(r"/espace/structure/$"))
    _verifier(invite, captures, "referent-espace")

    # its structure's site
    invite.get_by_role("link", name="Mettre à jour les lieux de ma structure").click()
    invite.get_by_role("link", name="Modifier « Espace Sablons »").click()
    invite.wait_for_url(re.compile(rf"/gestion/lieux/{lieu.pk}/modifier/$"))
    invite.get_by_label("Présentation résumée").fill("Ateliers numériques le mardi matin.")
    invite.get_by_role("button", name="Enregistrer le lieu").click()
    invite.wait_for_url(re.compile(r"/gestion/lieux/$"))
    assert "Le lieu « Espace Sablons » a été enregistré." in invite.content()
    lieu = Lieu.objects.tous().get(pk=lieu.pk)
    assert lieu.presentation_resume == "Ateliers numériques le mardi matin."
    assert lieu.history.first().history_user.email == "lea.bernard@exemple.test"

    # and its structure's public fields, from its space
    invite.goto("/espace/structure/")
    invite.get_by_role(
        "link", name="Modifier les informations de Centre social des Sablons"
    ).click()
    invite.get_by_label("Courriel").fill("pas-une-adresse")
    invite.get_by_role("button", name="Enregistrer les informations").click()
    assert invite.get_by_label("Courriel").get_attribute("aria-invalid") == "true"
    _verifier(invite, captures, "referent-structure-erreur")
    invite.get_by_label("Courriel").fill("accueil@sablons.exemple")
    invite.get_by_label("Présentation").fill("Centre social du quartier des Sablons.")
    invite.get_by_role("button", name="Enregistrer les informations").click()
    invite.wait_for_url(re.compile(r"/espace/structure/$"))
    assert "sont enregistrées" in invite.content()
    structure = Structure.objects.tous().get(pk=structure.pk)
    assert structure.courriel == "accueil@sablons.exemple"
    assert structure.presentation == "Centre social du quartier des Sablons."


def test_le_coordinateur_tient_l_annuaire(page, comptes, geographie, captures, settings):
    settings.SEUIL_AUTOCOMPLETION = 1  # communes and structures typed, as in a large territory
    g = geographie
    garder = StructureFactory(nom="CCAS du Mans", commune=g["le_mans"], typologies=["CCAS"])
    doublon = StructureFactory(
        nom="CCAS Le Mans (doublon)", commune=g["le_mans"], typologies=["CCAS"], pivot=""
    )
    LieuFactory(commune=g["le_mans"], structure=doublon, nom="Accueil du CCAS")
    StructureFactory(nom="Médiathèque Aragon", commune=g["le_mans"], typologies=["BIB"])
    StructureFactory(nom="CCAS d'Angers", commune=g["angers_commune"], typologies=["CCAS"])
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Annuaire des structures").click()
    page.wait_for_url(re.compile(r"/gestion/structures/$"))
    assert page.locator("#nombre-structures").inner_text() == "3 structures"
    assert "CCAS d'Angers" not in page.locator("#table-structures").inner_text()
    _verifier(page, captures, "annuaire")

    # search: typology and name
    page.get_by_label("Typologie").select_option("CCAS")
    page.get_by_label("Nom de la structure").fill("ccas")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"typologie=CCAS"))
    assert page.locator("#nombre-structures").inner_text() == "2 structures"

    # the CSV of the filtered list
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la liste (CSV)").click()
    texte = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    lignes = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
    assert sorted(ligne["nom"] for ligne in lignes) == ["CCAS Le Mans (doublon)", "CCAS du Mans"]

    # create, with a wrong SIRET first, the commune typed with its suggestions
    page.get_by_role("link", name="Ajouter une structure").click()
    page.locator("#id_nom").fill("Centre social Kennedy")
    page.get_by_label("SIRET ou RNA").fill("12345678901234")
    page.get_by_label("Centre social", exact=True).check()
    champ = page.get_by_role("combobox", name="Commune")
    champ.focus()
    page.keyboard.type("yv", delay=50)
    page.get_by_role("option", name="Yvré-l'Évêque (72386)").click()
    page.get_by_role("button", name="Ajouter la structure").click()
    assert page.get_by_label("SIRET ou RNA").get_attribute("aria-invalid") == "true"
    assert (
        "La structure n'a pas été enregistrée" in page.locator("#erreurs-formulaire").inner_text()
    )
    _verifier(page, captures, "structure-erreurs")
    page.get_by_label("SIRET ou RNA").fill("43493312300029")
    page.get_by_role("button", name="Ajouter la structure").click()
    page.wait_for_url(re.compile(r"/gestion/structures/\d+/$"))
    assert "La structure «\u202fCentre social Kennedy\u202f» a été créée." in page.content()

    # edit
    page.get_by_role("link", name="Modifier la structure").click()
    page.get_by_label("Téléphone").fill("02 43 47 47 47")
    page.get_by_role("button", name="Enregistrer la structure").click()
    page.wait_for_url(re.compile(r"/gestion/structures/\d+/$"))
    assert "02 43 47 47 47" in page.locator("#identite").inner_text()
    assert "Historique des modifications" in page.content()
    _verifier(page, captures, "structure")

    # merge the duplicate into the CCAS: preview, then confirm
    page.goto(f"/gestion/structures/{garder.pk}/")
    page.get_by_role("link", name="Fusionner un doublon dans cette structure").click()
    champ = page.get_by_role("combobox", name=re.compile("Structure en double"))
    champ.focus()
    page.keyboard.type("doublon", delay=50)
    page.get_by_role("option", name=re.compile(r"CCAS Le Mans \(doublon\)")).click()
    page.get_by_role("button", name="Voir ce qui sera déplacé").click()
    apercu = page.locator("#apercu-fusion").inner_text()
    assert "Lieux\t1\tAccueil du CCAS" in apercu
    _verifier(page, captures, "fusion-apercu")
    assert not Structure.objects.tous().get(pk=doublon.pk).est_archivee
    page.get_by_role("button", name="Confirmer la fusion").click()
    page.wait_for_url(re.compile(rf"/gestion/structures/{garder.pk}/$"))
    assert "est fusionnée dans «" in page.content()
    assert "Accueil du CCAS" in page.locator("#lieux").inner_text()
    assert "Fusion\u00a0: reprend" in page.locator("#journal-structure").inner_text()
    _verifier(page, captures, "fusion-faite")
    doublon = Structure.objects.tous().get(pk=doublon.pk)
    assert doublon.est_archivee and doublon.fusionnee_dans_id == garder.pk

    # the duplicate has left the list
    page.goto("/gestion/structures/?q=ccas")
    assert page.locator("#nombre-structures").inner_text() == "1 structure"
