"""The public journey in headless Chromium: search, filter, open a site, report an error."""

import re

import pytest
from playwright.sync_api import expect

from comptes.enums import Role
from structures.enums import Frais, Itinerance, Service
from structures.models import Signalement
from structures.services import recalculer_creneaux
from tests.comptes.factories import UserFactory
from tests.conftest import verifier_accessibilite
from tests.structures.factories import ArretFactory, LieuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lieux_publics(geographie):
    le_mans = geographie["le_mans"]
    lieux = [
        LieuFactory(nom="Médiathèque Aragon", commune=le_mans, services=[Service.DEMARCHES]),
        LieuFactory(
            nom="CCAS du Mans",
            commune=le_mans,
            latitude=48.01,
            longitude=0.21,
            frais=[Frais.PAYANT],
        ),
        LieuFactory(
            nom="Maison Angers",
            commune=geographie["angers_commune"],
            code_postal="49000",
            latitude=47.47,
            longitude=-0.55,
        ),
    ]
    bus = LieuFactory(
        nom="Bus numérique", commune=le_mans, itinerance=[Itinerance.ITINERANT], latitude=48.02
    )
    ArretFactory(lieu=bus, nom="Place des Jacobins", latitude=47.99, longitude=0.19)
    recalculer_creneaux(lieux=[*lieux, bus])
    UserFactory(role=Role.COORDINATEUR, territoires=[geographie["metropole"]])
    return lieux


@pytest.fixture
def page_surveillee(page, live_server):
    """The page, with tiles answered locally and every other external request recorded."""
    externes, erreurs_csp = [], []
    page.route(
        re.compile(r"^https://tile\.openstreetmap\.org/.*"),
        lambda route: route.fulfill(status=204, body=""),
    )

    def noter_requete(requete):
        if not requete.url.startswith((live_server.url, "data:", "https://tile.openstreetmap.org")):
            externes.append(requete.url)

    def noter_console(message):
        grave = "Content Security Policy" in message.text or message.type == "error"
        if grave and "tile.openstreetmap.org" not in message.text:
            erreurs_csp.append(message.text)

    page.on("request", noter_requete)
    page.on("console", noter_console)
    page.on("pageerror", lambda erreur: erreurs_csp.append(str(erreur)))
    yield page
    assert not externes, externes
    assert not erreurs_csp, erreurs_csp


def test_recherche_fiche_et_signalement(page_surveillee, lieux_publics):
    page = page_surveillee
    page.goto("/lieux/")
    assert page.locator("h1").inner_text() == "Trouver un lieu d'aide au numérique"
    page.get_by_label("Commune ou code postal").fill("Le Mans")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"commune=Le\+Mans"))
    statut = page.locator("#nombre-resultats")
    assert "3 lieux correspondent à votre recherche" in statut.inner_text()
    # the map drew the three sites and the bus stop, clustered or not
    carte = page.locator("#carte-lieux")
    # a selector, not wait_for_function: polling a string predicate evaluates it in
    # the page, which the content security policy (no 'unsafe-eval') refuses
    page.locator("#carte-lieux[data-marqueurs-affiches='4']").wait_for()
    assert carte.locator(".leaflet-marker-icon").count() >= 1
    assert page.get_by_role("link", name="Passer la carte").count() == 1
    verifier_accessibilite(page)

    page.get_by_label("Gratuit", exact=True).check()
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"gratuit=on"))
    liste = page.locator("ol.liste-lieux")
    assert "2 lieux correspondent" in page.locator("#nombre-resultats").inner_text()
    assert "CCAS du Mans" not in liste.inner_text()

    liste.get_by_role("link", name="Médiathèque Aragon").click()
    page.wait_for_url(re.compile(r"/lieux/\d+/$"))
    assert page.locator("h1").inner_text() == "Médiathèque Aragon"
    page.locator("#carte-lieux[data-marqueurs-affiches='1']").wait_for()
    verifier_accessibilite(page)

    page.get_by_role("button", name="Envoyer le signalement").click()
    assert "Décrivez l'erreur constatée." in page.locator("#signalement").inner_text()
    verifier_accessibilite(page)
    page.get_by_label("Quelle information est erronée ou manquante\u202f?").fill(
        "Le lieu est fermé le mercredi après-midi."
    )
    page.get_by_label("Votre adresse électronique").fill("habitant@exemple.fr")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_role("status").filter(has_text="Votre signalement est enregistré").wait_for()
    verifier_accessibilite(page)
    signalement = Signalement.objects.tous().get()
    assert signalement.message == "Le lieu est fermé le mercredi après-midi."


def test_signalement_refuse_au_dela_de_la_limite(
    page, lieux_publics, settings, horloge_des_limites
):
    """Past the limit of the address: the site's page again (429), the refusal announced
    and the text kept, nothing stored."""
    settings.LIMITE_SIGNALEMENTS_PAR_ADRESSE = "1/h"
    page.goto(f"/lieux/{lieux_publics[0].pk}/")
    champ = page.get_by_label("Quelle information est erronée ou manquante\u202f?")
    champ.fill("Le lieu est fermé le mercredi après-midi.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_role("status").filter(has_text="Votre signalement est enregistré").wait_for()
    champ.fill("Le numéro de téléphone a changé.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    refus = page.locator("#signalement").get_by_role("alert")
    refus.filter(has_text="Votre signalement n'a pas été enregistré").wait_for()
    assert "réessayez dans" in refus.inner_text()
    assert champ.input_value() == "Le numéro de téléphone a changé."
    verifier_accessibilite(page)
    assert Signalement.objects.tous().count() == 1


def test_carte_au_clavier_sans_piege(page_surveillee, lieux_publics):
    page = page_surveillee
    page.goto("/lieux/?commune=72181")
    page.locator("#carte-lieux[data-marqueurs-affiches]").wait_for()
    page.locator("#id_tri").focus()
    vus = []
    for _ in range(40):
        page.keyboard.press("Tab")
        vus.append(page.evaluate("document.activeElement.closest('#carte-lieux') !== null"))
        if vus[-1] is False and True in vus:
            break
    assert True in vus, "la carte n'est pas atteignable au clavier"
    assert vus[-1] is False, "le clavier reste piégé dans la carte"


def test_les_groupes_de_la_carte_ont_un_nom(page_surveillee, geographie):
    """A cluster of markers is a button named « Groupe de 3 lieux\u00a0: zoomer pour les voir »,
    not just « 3 »."""
    for numero in range(3):
        LieuFactory(nom=f"Lieu groupé {numero}", commune=geographie["le_mans"])
    page = page_surveillee
    page.goto("/lieux/")
    page.locator("#carte-lieux[data-marqueurs-affiches='3']").wait_for()
    groupe = page.get_by_role(
        "button", name=re.compile(r"^Groupe de 3 lieux\s: zoomer pour les voir$")
    )
    groupe.first.wait_for()
    verifier_accessibilite(page)


def test_sur_un_telephone_le_nombre_de_resultats_vient_d_abord(page_surveillee, lieux_publics):
    """At 390×844, after a search, the first screen says how many sites were found and
    leads to them; the filters are folded behind a button (aria-expanded), which unfolds
    them by keyboard. On a wide screen the filters stay open and the button is not shown."""
    page = page_surveillee
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/lieux/")
    filtres = page.locator("#filtres-recherche")
    bouton = page.get_by_role("button", name="Filtres de la recherche")
    # no search yet: the form is open
    assert page.get_by_label("Commune ou code postal").is_visible()
    assert bouton.get_attribute("aria-expanded") == "true"
    page.get_by_label("Commune ou code postal").fill("Le Mans")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"commune=Le\+Mans"))

    nombre = page.locator("#nombre-resultats")
    assert "3 lieux correspondent à votre recherche" in nombre.inner_text()
    boite = nombre.bounding_box()
    assert boite["y"] + boite["height"] <= 844, boite  # on the first screen, unscrolled
    lien = page.get_by_role("link", name="Aller à la liste des lieux")
    assert lien.bounding_box()["y"] + lien.bounding_box()["height"] <= 844
    assert not filtres.is_visible()
    assert bouton.get_attribute("aria-expanded") == "false"
    assert bouton.get_attribute("aria-controls") == "filtres-recherche"
    verifier_accessibilite(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    lien.click()
    page.wait_for_url(re.compile(r"#liste-lieux$"))
    # Bootstrap scrolls smoothly: the heading reaches the screen after a moment
    expect(page.locator("#liste-lieux")).to_be_in_viewport()

    bouton.focus()
    page.keyboard.press("Enter")
    assert bouton.get_attribute("aria-expanded") == "true"
    assert page.get_by_label("Commune ou code postal").is_visible()
    assert page.get_by_label("Commune ou code postal").input_value() == "Le Mans"
    verifier_accessibilite(page)
    page.keyboard.press("Shift+Tab")  # back on the button, which folds them again
    page.keyboard.press("Space")
    assert bouton.get_attribute("aria-expanded") == "false"
    assert not filtres.is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    assert filtres.is_visible()
    assert not bouton.is_visible()
    verifier_accessibilite(page)
