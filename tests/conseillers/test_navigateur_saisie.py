"""An advisor records a day's work in headless Chromium; every interaction is counted."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from comptes.models import User
from conseillers.enums import Canal, Thematique, TypeActivite
from conseillers.models import Activite
from conseillers.services import profil_conseiller
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTERACTIONS_MAXIMUM_INDIVIDUEL = 6


class Compteur:
    """Each click, fill, choice or key press on the page counts as one interaction."""

    def __init__(self, page):
        self.page = page
        self.nombre = 0

    def cliquer(self, locator):
        self.nombre += 1
        locator.click()

    def remplir(self, locator, valeur):
        self.nombre += 1
        locator.fill(valeur)

    def choisir(self, locator, valeur):
        self.nombre += 1
        locator.select_option(valeur)

    def touche(self, locator, touche):
        self.nombre += 1
        locator.press(touche)

    def remettre_a_zero(self):
        self.nombre = 0


def _ouvrir_le_formulaire(page):
    page.goto("/conseiller/activites/nouvelle/")
    page.wait_for_selector("#saisie-activite")


def _enregistrer(page, compteur):
    with page.expect_navigation():
        compteur.cliquer(page.get_by_role("button", name="Enregistrer l'activité"))
    erreurs = page.locator(".errorlist")
    assert not erreurs.count(), [e.get_attribute("id") for e in erreurs.all()]
    assert "Activité enregistrée" in page.get_by_role("status").first.inner_text()


def test_journee_d_un_conseiller(page, comptes, geographie):
    user = User.objects.get(pk=comptes["conseiller"].pk)
    conseiller = profil_conseiller(user=user)
    lieu = LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon")
    conseiller.lieux.add(lieu)
    conseiller.thematiques_favorites = [Thematique.DEMARCHES_ADMINISTRATIVES, Thematique.EMAIL]
    conseiller.save()
    se_connecter(page, user.email)
    compteur = Compteur(page)

    # 1. the first individual report of the day
    _ouvrir_le_formulaire(page)
    verifier_accessibilite(page)
    compteur.remettre_a_zero()
    assert page.get_by_label("Accompagnement individuel").is_checked()
    # a workshop's fields stay hidden until "atelier collectif" is chosen
    assert not page.get_by_label("Titre de l'atelier").is_visible()
    assert not page.get_by_label("Logement", exact=True).is_visible()
    compteur.cliquer(page.get_by_text("30 min", exact=True))
    compteur.cliquer(page.get_by_text("Dans un de mes lieux d'activité"))
    compteur.choisir(page.get_by_label("Lieu", exact=True), str(lieu.pk))
    compteur.cliquer(page.get_by_label("Démarches administratives", exact=True))
    compteur.cliquer(page.get_by_label("Logement", exact=True))
    _enregistrer(page, compteur)
    assert compteur.nombre <= INTERACTIONS_MAXIMUM_INDIVIDUEL, compteur.nombre
    premiere = Activite.objects.tous().get()
    assert (premiere.type, premiere.canal, premiere.lieu, premiere.duree_minutes) == (
        TypeActivite.INDIVIDUEL,
        Canal.LIEU_ACTIVITE,
        lieu,
        30,
    )
    assert premiere.thematiques == [Thematique.DEMARCHES_ADMINISTRATIVES, Thematique.LOGEMENT]
    assert premiere.date == timezone.localdate()

    # 2. the next one: pre-filled from the last, a typical report takes three interactions
    compteur.remettre_a_zero()
    assert page.get_by_label("30 min").is_checked()
    assert page.get_by_label("Lieu", exact=True).input_value() == str(lieu.pk)
    compteur.cliquer(page.get_by_label("Courriels", exact=True))
    compteur.cliquer(page.get_by_label("Téléphone", exact=True))
    _enregistrer(page, compteur)
    assert compteur.nombre <= 3

    # 3. a one-off request, keyboard only for the duration
    compteur.remettre_a_zero()
    compteur.cliquer(page.get_by_text("Demande ponctuelle", exact=True))
    assert not page.get_by_label("Autonomie de la personne").first.is_visible()
    compteur.cliquer(page.get_by_text("Autre durée", exact=True))
    compteur.remplir(page.get_by_label("Autre durée (en minutes)"), "10")
    compteur.cliquer(page.get_by_label("Naviguer sur internet"))
    _enregistrer(page, compteur)
    ponctuelle = Activite.objects.tous().latest("pk")
    assert (ponctuelle.type, ponctuelle.duree_minutes) == (TypeActivite.PONCTUEL, 10)

    # 4. a workshop with an error first: the data stays, nothing is written
    compteur.remettre_a_zero()
    compteur.cliquer(page.get_by_text("Atelier collectif", exact=True))
    assert page.get_by_label("Titre de l'atelier").is_visible()
    compteur.remplir(page.get_by_label("Nombre de participants"), "6")
    compteur.remplir(page.get_by_label("Dont personnes déjà accompagnées"), "8")
    compteur.remplir(page.get_by_label("Titre de l'atelier"), "Premiers pas sur la tablette")
    compteur.cliquer(page.get_by_text("2 h", exact=True))
    compteur.cliquer(page.get_by_label("Prendre en main du matériel"))
    with page.expect_navigation():
        compteur.cliquer(page.get_by_role("button", name="Enregistrer l'activité"))
    alerte = page.locator("#erreurs-formulaire")
    assert "L'activité n'a pas été enregistrée" in alerte.inner_text()
    assert "plus de personnes déjà accompagnées que de participants" in page.content()
    assert page.get_by_label("Titre de l'atelier").input_value() == "Premiers pas sur la tablette"
    assert Activite.objects.tous().count() == 3
    verifier_accessibilite(page)
    compteur.remplir(page.get_by_label("Dont personnes déjà accompagnées"), "2")
    with page.expect_navigation():
        compteur.touche(page.get_by_label("Dont personnes déjà accompagnées"), "Enter")
    assert "Activité enregistrée" in page.get_by_role("status").first.inner_text()
    atelier = Activite.objects.tous().latest("pk")
    assert (atelier.type, atelier.nb_participants, atelier.nb_participants_recurrents) == (
        TypeActivite.COLLECTIF,
        6,
        2,
    )

    # 5. the history, duplicate the workshop, edit the one-off request
    page.get_by_role("link", name="Voir mon historique").click()
    page.wait_for_url(re.compile(r"/conseiller/activites/$"))
    assert "4 activités" in page.locator("#nombre-activites").inner_text()
    verifier_accessibilite(page)
    page.get_by_role("link", name=f"Dupliquer l'activité n° {atelier.pk}").click()
    assert page.get_by_label("Titre de l'atelier").input_value() == "Premiers pas sur la tablette"
    page.get_by_label("Nombre de participants").fill("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l'activité").click()
    copie = Activite.objects.tous().latest("pk")
    assert (copie.titre_atelier, copie.nb_participants) == ("Premiers pas sur la tablette", 5)

    page.goto("/conseiller/activites/")
    page.get_by_role("link", name=f"Modifier l'activité n° {ponctuelle.pk}").click()
    assert page.get_by_label("Autre durée (en minutes)").input_value() == "10"
    page.get_by_text("15 min", exact=True).click()
    assert page.get_by_label("Autre durée (en minutes)").input_value() == ""
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_url(re.compile(r"/conseiller/activites/$"))
    assert "Activité modifiée" in page.get_by_role("status").first.inner_text()
    ponctuelle.refresh_from_db()
    assert ponctuelle.duree_minutes == 15

    # 6. the audit trail of the edited report
    page.get_by_role("link", name=f"Modifications de l'activité n° {ponctuelle.pk}").click()
    journal = page.locator("#journal").inner_text()
    assert "10 min" in journal
    assert "15 min" in journal
    assert "Durée (minutes)" in journal
    verifier_accessibilite(page)
