"""An advisor's own space in headless Chromium: planning, followed beneficiaries, statistics."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from conseillers.enums import Jour, Thematique, TypeActivite
from conseillers.models import Beneficiaire
from conseillers.services import profil_conseiller
from tests.conftest import se_connecter, verifier_accessibilite
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# « Mes statistiques » at 1280 px with the six charts one after the other: 4,996 px with
# these figures, 9,003 px with the demo's advisor over 12 months; the key figures first and
# one chart per tab: 1,116 px here, 2,246 px with the demo's
HAUTEUR_MAX_STATISTIQUES = 1600


def test_conseiller_planning_beneficiaires_et_statistiques(page, comptes, geographie):
    le_mans = geographie["le_mans"]
    moi = profil_conseiller(user=comptes["conseiller"])
    aujourd_hui = timezone.localdate()
    accueil = StructureFactory(commune=le_mans, nom="Centre social Bellevue")
    salle = LieuFactory(structure=accueil, commune=le_mans, nom="Salle Bellevue")
    MiseADispositionFactory(
        structure=accueil,
        lieu=salle,
        conseillers=[moi],
        date_debut=aujourd_hui - dt.timedelta(days=60),
        jours=list(Jour),
        heure_debut=dt.time(9, 0),
        heure_fin=dt.time(12, 0),
    )
    BeneficiaireFactory(conseiller=moi, prenom="Jo", annee_naissance=1990, commune=None)
    ActiviteFactory(conseiller=moi, date=aujourd_hui, duree_minutes=45)
    ActiviteFactory(
        conseiller=moi,
        date=aujourd_hui,
        type=TypeActivite.COLLECTIF,
        nb_participants=6,
        nb_participants_recurrents=2,
        duree_minutes=120,
        thematiques=[Thematique.SECURITE_NUMERIQUE],
    )

    se_connecter(page, comptes["conseiller"].email)
    verifier_accessibilite(page)

    # planning: seven days of presence at the Salle Bellevue, each slot links to the entry
    page.get_by_role("link", name="Mon planning de la semaine").click()
    page.wait_for_url(re.compile(r"/conseiller/planning/$"))
    assert page.locator("h1").inner_text() == "Mon planning"
    assert "21 h" in page.locator("#presence-hebdomadaire").inner_text()
    verifier_accessibilite(page)
    page.get_by_role(
        "link", name=re.compile(r"^Saisir une activité à Salle Bellevue, lundi")
    ).click()
    page.wait_for_url(re.compile(rf"/conseiller/activites/nouvelle/\?lieu={salle.pk}$"))
    assert page.locator("select[name=lieu]").input_value() == str(salle.pk)

    # a followed beneficiary: without consent nothing is stored, then with it
    page.goto("/conseiller/beneficiaires/")
    verifier_accessibilite(page)
    page.get_by_role("link", name="Nouvelle fiche de suivi").click()
    page.wait_for_url(re.compile(r"/conseiller/beneficiaires/nouveau/$"))
    assert "Pour compter vos prochaines visites" in page.locator("#texte-consentement").inner_text()
    page.get_by_label("Prénom ou initiales").fill("Amélie")
    page.get_by_label("Année de naissance").fill("1961")
    page.get_by_label("Commune de résidence").select_option(label="Yvré-l'Évêque (72386)")
    page.get_by_label("Genre").select_option(label="femme")
    page.get_by_role("button", name="Créer la fiche").click()
    assert "Sans le consentement de la personne" in page.content()
    assert not Beneficiaire.objects.tous().filter(prenom="Amélie").exists()
    verifier_accessibilite(page)
    page.get_by_label(re.compile("La personne a donné son accord")).check()
    page.get_by_role("button", name="Créer la fiche").click()
    page.wait_for_url(re.compile(r"/conseiller/beneficiaires/$"))
    assert "La fiche de suivi « Amélie, né·e en 1961, Yvré-l'Évêque » a été créée." in (
        page.get_by_role("status").first.inner_text()
    )
    assert Beneficiaire.objects.tous().get(prenom="Amélie").consentement_le is not None

    # a probable duplicate: warned first, created on confirmation, then merged
    page.get_by_role("link", name="Nouvelle fiche de suivi").click()
    page.get_by_label("Prénom ou initiales").fill("JO")
    page.get_by_label("Année de naissance").fill("1990")
    page.get_by_label("Commune de résidence").select_option(label="Le Mans (72181)")
    page.get_by_label(re.compile("La personne a donné son accord")).check()
    page.get_by_role("button", name="Créer la fiche").click()
    alerte = page.locator("#alerte-doublons")
    assert "Cette personne a peut-être déjà une fiche" in alerte.inner_text()
    assert "Jo, né·e en 1990" in alerte.inner_text()
    assert Beneficiaire.objects.tous().filter(prenom_recherche="jo").count() == 1
    verifier_accessibilite(page)
    page.get_by_role("button", name="Créer quand même une nouvelle fiche").click()
    page.wait_for_url(re.compile(r"/conseiller/beneficiaires/$"))
    assert Beneficiaire.objects.tous().filter(prenom_recherche="jo").count() == 2

    page.get_by_role("link", name=re.compile("Doublons probables")).click()
    page.wait_for_url(re.compile(r"/conseiller/beneficiaires/doublons/$"))
    verifier_accessibilite(page)
    ancienne, nouvelle = Beneficiaire.objects.tous().filter(prenom_recherche="jo").order_by("pk")
    page.get_by_role(
        "button", name=f"Garder la fiche n° {ancienne.pk} et y fusionner la fiche n° {nouvelle.pk}"
    ).click()
    assert "a été fusionnée dans « Jo, né·e en 1990, Le Mans »" in (
        page.get_by_role("status").first.inner_text()
    )
    assert page.locator("#aucun-doublon").is_visible()
    assert list(Beneficiaire.objects.tous().filter(prenom_recherche="jo")) == [ancienne]
    verifier_accessibilite(page)

    # statistics of the current month
    page.get_by_role("link", name="Mes statistiques").click()
    page.wait_for_url(re.compile(r"/conseiller/statistiques/$"))
    assert page.locator("#chiffre-personnes-accompagnees .valeur").inner_text() == "5"
    assert page.locator("#chiffre-accompagnements .valeur").inner_text() == (
        "7 (dont 2 récurrents)"
    )
    assert page.locator("#chiffre-temps .valeur").inner_text() == "2 h 45"
    assert page.locator("svg.graphique").count() == 6
    # the key figures first, each chart behind its tab: the page stays short
    hauteur = page.evaluate("document.documentElement.scrollHeight")
    print(f"hauteur de « Mes statistiques » à 1280 px : {hauteur} px")
    assert hauteur <= HAUTEUR_MAX_STATISTIQUES
    if os.environ.get("CAPTURES"):
        page.screenshot(path=Path(os.environ["CAPTURES"]) / "statistiques-1280.png", full_page=True)
    assert page.locator("#graphique-mois").is_visible()
    assert not page.locator("#graphique-thematiques").is_visible()
    page.get_by_role("tab", name="Par mois").focus()
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("tab", name="Thématiques").get_attribute("aria-selected") == "true"
    tableau = page.get_by_role("table", name="Données du graphique « Activités par thématique »")
    assert "Prévention en sécurité numérique" in tableau.inner_text()
    assert not page.locator("#graphique-mois").is_visible()
    verifier_accessibilite(page)
    page.get_by_role("link", name="Les 12 derniers mois").click()
    page.wait_for_url(re.compile(r"/conseiller/statistiques/\?du="))
    assert page.locator("#graphique-mois tbody tr").count() == 12
    verifier_accessibilite(page)

    # profile
    page.get_by_role("link", name="Mon profil").click()
    page.wait_for_url(re.compile(r"/conseiller/profil/$"))
    verifier_accessibilite(page)
