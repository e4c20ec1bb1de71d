"""User journeys in headless Chromium, with axe-core accessibility checks."""

import re

import pytest

from tests.comptes.factories import MOT_DE_PASSE
from tests.conftest import verifier_accessibilite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ESPACES = {
    "coordinateur": ("/espace/coordination/", "Espace coordination"),
    "conseiller": ("/espace/conseiller/", "Espace conseiller numérique"),
    "referent": ("/espace/structure/", "Espace structure partenaire"),
    "elu": ("/espace/elu/", "Espace élus et financeurs"),
    "staff": ("/admin/", "Administration"),
}


def _se_connecter(page, email, mot_de_passe):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()


def test_accueil_et_connexion_accessibles(page):
    page.goto("/")
    assert page.locator("h1").inner_text() == "Portail de l'inclusion numérique"
    assert page.locator("html").get_attribute("lang") == "fr"
    verifier_accessibilite(page)
    page.goto("/connexion/")
    verifier_accessibilite(page)
    page.goto("/mot-de-passe/oublie/")
    verifier_accessibilite(page)


@pytest.mark.parametrize("role", sorted(ESPACES))
def test_chaque_role_arrive_dans_son_espace(page, comptes, role):
    url, titre = ESPACES[role]
    _se_connecter(page, comptes[role].email, MOT_DE_PASSE)
    page.wait_for_url(re.compile(re.escape(url) + "$"))
    assert titre in page.locator("h1, #site-name").first.inner_text()
    if role != "staff":
        verifier_accessibilite(page)
        page.get_by_role("button", name=re.compile("Se déconnecter")).click()
        page.wait_for_url(re.compile(r"/$"))
        menu = page.get_by_role("navigation", name="Navigation principale")
        assert menu.get_by_role("link", name="Se connecter").is_visible()


def test_erreur_de_connexion_en_francais_et_accessible(page, comptes):
    _se_connecter(page, comptes["elu"].email, "mauvais")
    alerte = page.get_by_role("alert")
    assert "mot de passe incorrect" in alerte.inner_text()
    verifier_accessibilite(page)


def test_verrouillage_apres_cinq_echecs(page, comptes):
    for _ in range(5):
        _se_connecter(page, comptes["conseiller"].email, "mauvais")
    assert "Compte temporairement bloqué" in page.locator("h1").inner_text()
    verifier_accessibilite(page)


def test_menu_mobile(page, comptes):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")
    menu = page.get_by_role("navigation", name="Navigation principale")
    assert not menu.get_by_role("link", name="Se connecter").is_visible()
    page.get_by_role("button", name="Ouvrir le menu").click()
    menu.get_by_role("link", name="Se connecter").wait_for(state="visible")
    verifier_accessibilite(page)


def test_documentation_de_l_api_s_affiche_sans_ressource_externe(page, live_server):
    externes, erreurs_csp = [], []

    def noter_requete(requete):
        if not requete.url.startswith((live_server.url, "data:")):
            externes.append(requete.url)

    def noter_console(message):
        if "Content Security Policy" in message.text:
            erreurs_csp.append(message.text)

    page.on("request", noter_requete)
    page.on("console", noter_console)
    page.goto("/api/v1/documentation/")
    assert page.locator("h1").inner_text() == "API du portail de l'inclusion numérique"
    page.get_by_text("/api/v1/communes/", exact=True).first.wait_for()
    assert not externes
    assert not erreurs_csp
    # Swagger UI inside the portal's page: its contrasts, landmarks and headings pass axe
    verifier_accessibilite(page)
    page.set_viewport_size({"width": 390, "height": 844})
    verifier_accessibilite(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_les_listes_tiennent_sur_un_telephone(page, comptes, geographie):
    """At 390 px the tables scroll inside their box: the text for screen readers in their
    cells no longer widens the page (it did to 588–833 px), nor does the dashboard's
    comparison table."""
    from conseillers.services import profil_conseiller
    from tests.conseillers.factories import ActiviteFactory, MiseADispositionFactory
    from tests.structures.factories import LieuFactory

    lieu = LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Louis-Aragon du Mans")
    conseiller = profil_conseiller(user=comptes["conseiller"])
    MiseADispositionFactory(structure=lieu.structure, lieu=lieu, conseillers=[conseiller])
    for _ in range(3):
        ActiviteFactory(conseiller=conseiller, lieu=lieu, commune=geographie["le_mans"])
    page.set_viewport_size({"width": 390, "height": 844})
    pages = {
        "coordinateur": ["/gestion/lieux/", "/gestion/mises-a-disposition/", "/tableau-de-bord/"],
        "conseiller": ["/conseiller/activites/"],
    }
    for role, adresses in pages.items():
        page.context.clear_cookies()
        _se_connecter(page, comptes[role].email, MOT_DE_PASSE)
        page.wait_for_url(re.compile(r"/espace/"))
        for adresse in adresses:
            page.goto(adresse)
            largeur = page.evaluate("document.documentElement.scrollWidth")
            assert largeur <= 390, (adresse, largeur)


def test_pages_legales_accessibles(page):
    for adresse in ("/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"):
        for largeur in (390, 1280):
            page.set_viewport_size({"width": largeur, "height": 900})
            page.goto(adresse)
            verifier_accessibilite(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= largeur
    page.goto("/")
    page.get_by_role("link", name="Mentions légales").click()
    page.wait_for_url(re.compile(r"/mentions-legales/$"))
