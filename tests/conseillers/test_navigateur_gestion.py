"""A coordinator finds the advisors without activity, edits one and lends them to a
structure, in headless Chromium, with axe-core on every page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from conseillers.enums import Jour, Thematique
from conseillers.models import Conseiller, MiseADisposition
from tests.conftest import se_connecter, verifier_accessibilite
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinateur_gere_ses_conseillers(page, comptes, geographie):
    aujourd_hui = timezone.localdate()
    structure = StructureFactory(nom="CCAS du Mans", commune=geographie["le_mans"])
    lieu = LieuFactory(
        nom="Espace social Bellevue", commune=geographie["le_mans"], structure=structure
    )
    actif = ConseillerFactory(
        email="alice@exemple.test", prenom="Alice", nom="Durand", commune=geographie["le_mans"]
    )
    ActiviteFactory(conseiller=actif, date=aujourd_hui - dt.timedelta(days=1))
    inactif = ConseillerFactory(
        email="bruno@exemple.test",
        prenom="Bruno",
        nom="Petit",
        commune=geographie["yvre"],
        competences=[Thematique.EMAIL],
    )
    ActiviteFactory(conseiller=inactif, date=aujourd_hui - dt.timedelta(days=45))
    ConseillerFactory(
        email="armand@exemple.test", nom="Angevin", commune=geographie["angers_commune"]
    )
    se_connecter(page, comptes["coordinateur"].email)

    # from the coordination space to the advisors without activity
    page.goto("/espace/coordination/")
    page.get_by_role("link", name="Conseillers", exact=True).click()
    page.wait_for_url(re.compile(r"/gestion/conseillers/$"))
    assert page.locator("h1").inner_text() == "Conseillers numériques"
    assert page.locator("#nombre-sans-activite").inner_text() == "1"
    assert "Angevin" not in page.locator("table").inner_text()
    verifier_accessibilite(page)

    page.locator("#lien-sans-activite").click()
    page.wait_for_url(re.compile(r"sans_activite=on"))
    lignes = page.locator("tbody tr")
    assert lignes.count() == 1
    assert "Bruno Petit" in lignes.first.inner_text()
    verifier_accessibilite(page)

    # the advisor's page
    page.get_by_role("link", name="Bruno Petit").click()
    page.wait_for_url(re.compile(rf"/gestion/conseillers/{inactif.pk}/$"))
    date_attendue = f"{(aujourd_hui - dt.timedelta(days=45)).day} "
    assert date_attendue in page.locator("#derniere-activite").inner_text()
    verifier_accessibilite(page)

    # edit the profile
    page.get_by_role("link", name="Modifier le profil").click()
    page.wait_for_url(re.compile(rf"/gestion/conseillers/{inactif.pk}/modifier/$"))
    verifier_accessibilite(page)
    competences = page.get_by_role("group", name="Compétences maîtrisées")
    competences.get_by_label("intelligence artificielle").check()
    page.get_by_label("Structure employeuse").select_option(label="CCAS du Mans")
    page.get_by_label("Lieux d'activité").select_option(label=f"{lieu.nom} (Le Mans)")
    page.get_by_label("Début du contrat").fill("2026-09-01")
    page.get_by_label("Fin du contrat").fill("2026-03-31")
    page.get_by_role("button", name="Enregistrer le profil").click()
    assert "La fin du contrat (31/03/2026) précède son début (01/09/2026)." in page.content()
    assert page.locator("#erreurs-formulaire").is_visible()
    verifier_accessibilite(page)
    page.get_by_label("Fin du contrat").fill("2028-08-31")
    page.get_by_role("button", name="Enregistrer le profil").click()
    page.wait_for_url(re.compile(rf"/gestion/conseillers/{inactif.pk}/$"))
    assert "Le profil de Bruno Petit a été enregistré." in page.get_by_role("status").inner_text()
    inactif = Conseiller.objects.tous().get(pk=inactif.pk)
    assert inactif.competences == [Thematique.EMAIL, Thematique.INTELLIGENCE_ARTIFICIELLE]
    assert inactif.structure == structure
    assert list(inactif.lieux.all()) == [lieu]

    # the skills map finds him for a workshop on artificial intelligence
    page.goto("/gestion/conseillers/competences/")
    page.get_by_role("textbox", name="Thématique").fill("intelligence")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"q=intelligence"))
    assert "Bruno Petit" in page.locator("#carte-competences").inner_text()
    verifier_accessibilite(page)

    # lend him to the CCAS
    page.get_by_role("link", name="Mises à disposition").click()
    page.wait_for_url(re.compile(r"/gestion/mises-a-disposition/$"))
    verifier_accessibilite(page)
    page.get_by_role("link", name="Nouvelle mise à disposition").click()
    page.wait_for_url(re.compile(r"/nouvelle/$"))
    verifier_accessibilite(page)
    page.get_by_label("Structure d'accueil").select_option(label="CCAS du Mans")
    page.get_by_label("Lieu de présence").select_option(
        label="Espace social Bellevue (CCAS du Mans)"
    )
    page.get_by_label(re.compile(r"^Conseillers")).select_option(label="Bruno Petit")
    page.get_by_label(re.compile(r"^Convention\W*\(obligatoire\)")).fill("Convention CCAS 2026-03")
    page.get_by_label("Début de la mise à disposition").fill("2026-01-05")
    page.get_by_label("mercredi").check()
    page.get_by_label("vendredi").check()
    page.get_by_label("Heure d'arrivée").fill("09:00")
    page.get_by_label("Heure de départ").fill("12:30")
    page.get_by_label("Type d'intervention").select_option(label="ateliers collectifs")
    page.get_by_role("button", name="Enregistrer la mise à disposition").click()
    page.wait_for_url(re.compile(r"/gestion/mises-a-disposition/$"))
    assert "Convention CCAS 2026-03" in page.get_by_role("status").inner_text()
    assert (
        "mercredi, vendredi, de 9\u00a0h à 12\u00a0h\u00a030" in page.locator("main").inner_text()
    )
    mise = MiseADisposition.objects.tous().get()
    assert mise.jours == [Jour.MERCREDI, Jour.VENDREDI]
    assert list(mise.conseillers.all()) == [inactif]

    # its history on the edit page
    page.get_by_role("link", name="Modifier « Convention CCAS 2026-03 »").click()
    page.wait_for_url(re.compile(rf"/gestion/mises-a-disposition/{mise.pk}/modifier/$"))
    assert "Création" in page.locator("#historique").inner_text()
    verifier_accessibilite(page)
