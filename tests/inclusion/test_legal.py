"""The legal pages a public body's site carries, linked from the footer of every page."""

import pytest
from django.urls import reverse

from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db

LIENS = ['href="/mentions-legales/"', 'href="/accessibilite/"', 'href="/donnees-personnelles/"']


def test_chaque_page_publique_renvoie_aux_trois_pages_legales(client, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"])
    pages = [
        reverse("accueil"),
        reverse("structures:lieux"),
        reverse("structures:lieu", args=[lieu.pk]),
        reverse("ateliers:agenda"),
        reverse("comptes:connexion"),
        reverse("comptes:reinitialisation"),
        reverse("mentions_legales"),
        reverse("accessibilite"),
        reverse("donnees_personnelles"),
        "/page-qui-n-existe-pas/",
    ]
    for adresse in pages:
        contenu = client.get(adresse).content.decode()
        assert all(lien in contenu for lien in LIENS), adresse
        assert "Accessibilité&nbsp;: non conforme" in contenu, adresse


def test_chaque_page_publique_de_la_matrice_renvoie_aux_pages_legales(client, geographie):
    """Every page of the access matrix that the public may open (tests/test_acces.py),
    HTML ones: files and the API's JSON are not pages."""
    from tests.test_acces import MATRICE

    vues = []
    for nom, (construire, attendus) in sorted(MATRICE.items()):
        if attendus["anonyme"] != 200:
            continue
        reponse = client.get(construire(geographie), HTTP_ACCEPT="text/html")
        if not reponse["Content-Type"].startswith("text/html"):
            continue
        contenu = reponse.content.decode()
        manquants = [lien for lien in LIENS if lien not in contenu]
        assert not manquants, (nom, manquants)
        vues.append(nom)
    # the site search, a site, the agenda, the programme, the API's documentation…
    for attendu in ("structures:lieux", "structures:lieu", "ateliers:agenda", "api:documentation"):
        assert attendu in vues, vues


def test_mentions_legales(client, settings):
    settings.PORTAIL_EDITEUR = "Le Mans Métropole"
    settings.PORTAIL_EDITEUR_ADRESSE = "16 avenue François-Mitterrand, 72000 Le Mans"
    settings.PORTAIL_DIRECTION_PUBLICATION = "Le président de Le Mans Métropole"
    settings.PORTAIL_HEBERGEUR = "Hébergeur SAS, 2 rue du Serveur, 75000 Paris"
    contenu = client.get(reverse("mentions_legales")).content.decode()
    for attendu in (
        "est édité par Le Mans Métropole, 16 avenue François-Mitterrand, 72000 Le Mans.",
        "Le président de Le Mans Métropole.",
        "Hébergeur SAS, 2 rue du Serveur, 75000 Paris.",
        "GNU Affero General Public License",
    ):
        assert attendu in contenu


@pytest.mark.parametrize(
    ("taux", "etat"),
    [
        (None, "non conforme"),
        (42.0, "non conforme"),
        (75.5, "partiellement conforme"),
        (100.0, "totalement conforme"),
    ],
)
def test_declaration_d_accessibilite(client, settings, taux, etat):
    settings.PORTAIL_ACCESSIBILITE_TAUX = taux
    contenu = client.get(reverse("accessibilite")).content.decode()
    assert f"est <strong>{etat}</strong> avec le référentiel général" in contenu
    assert f"Accessibilité&nbsp;: {etat}" in contenu  # the footer says the same
    assert "Défenseur des droits" in contenu and "Libre réponse 71120" in contenu
    if taux is None:
        assert "Aucun audit de conformité n'a encore été réalisé" in contenu
    else:
        assert "des critères du RGAA 4.1 sont respectés" in contenu


def test_donnees_personnelles_reprend_le_registre(client):
    contenu = client.get(reverse("donnees_personnelles")).content.decode()
    assert "Vos droits" in contenu and "CNIL" in contenu
    # docs/rgpd.md, rendered: its sections and their tables
    assert "<h2>3. Bénéficiaires suivis</h2>" in contenu
    assert "24 mois après la dernière activité" in contenu
    assert '<table class="table table-sm">' in contenu


def test_mentions_legales_incompletes_signalees_en_production(settings):
    from inclusion.checks import verifier_mentions_legales

    settings.PORTAIL_HEBERGEUR = ""
    settings.PORTAIL_DIRECTION_PUBLICATION = "Le président"
    avertissements = verifier_mentions_legales(None)
    assert [a.id for a in avertissements] == ["inclusion.W002"]
    assert "PORTAIL_HEBERGEUR" in avertissements[0].msg
