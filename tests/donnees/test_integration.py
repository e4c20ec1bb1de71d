"""Embedding the map and the agenda in partners' websites: the builder, the embedded
pages, and the list of the websites allowed to frame them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ateliers import services
from donnees.models import OrigineIntegration, normaliser_origine
from structures.enums import Service
from tests.ateliers.conftest import prochain
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db


def _frame_ancestors(reponse) -> str:
    politique = reponse["Content-Security-Policy"]
    return next(p.strip() for p in politique.split(";") if "frame-ancestors" in p)


@pytest.mark.parametrize(
    ("saisie", "origine"),
    [
        ("https://www.Ville-Exemple.fr/agenda?x=1", "https://www.ville-exemple.fr"),
        ("  https://ville.fr:443/ ", "https://ville.fr"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("https://ville.fr:8443", "https://ville.fr:8443"),
    ],
)
def test_l_origine_d_un_site(saisie, origine):
    assert normaliser_origine(saisie) == origine


@pytest.mark.parametrize(
    "saisie", ["www.ville.fr", "ftp://ville.fr", "https://*.ville.fr", "https://a@ville.fr", ""]
)
def test_une_adresse_qui_n_est_pas_un_site_est_refusee(saisie):
    with pytest.raises(ValidationError):
        normaliser_origine(saisie)


@pytest.fixture
def lieux(geographie):
    g = geographie
    return [
        LieuFactory(nom="Médiathèque Aragon", commune=g["le_mans"], services=[Service.DEMARCHES]),
        LieuFactory(nom="Mairie d'Yvré", commune=g["yvre"], services=[Service.ACCES_MATERIEL]),
        LieuFactory(nom="Centre social Angers", commune=g["angers_commune"]),
    ]


def test_le_coordinateur_autorise_puis_retire_un_site(client_de, lieux):
    coordinateur = client_de("coordinateur")
    page = client_de("anonyme").get(reverse("donnees:integrer_lieux"))
    assert _frame_ancestors(page) == "frame-ancestors 'self'"

    reponse = coordinateur.post(
        reverse("donnees:integration"),
        {"origine": "https://www.Yvre-LEveque.fr/ateliers", "partenaire": "Mairie d'Yvré"},
    )
    assert reponse.status_code == 302
    origine = OrigineIntegration.objects.get()
    assert origine.origine == "https://www.yvre-leveque.fr"
    assert origine.history.count() == 1  # in the audit trail
    liste = coordinateur.get(reverse("donnees:integration")).content.decode()
    assert "https://www.yvre-leveque.fr" in liste and "Mairie d&#x27;Yvré" in liste
    for nom in ("donnees:integrer_lieux", "donnees:integrer_agenda"):
        reponse = client_de("anonyme").get(reverse(nom))
        assert _frame_ancestors(reponse) == "frame-ancestors 'self' https://www.yvre-leveque.fr"
        assert "X-Frame-Options" not in reponse.headers
        assert "Set-Cookie" not in reponse.headers  # no cookie in a partner's page
        assert '<base target="_blank">' in reponse.content.decode()
    # the rest of the portal stays unframable
    ailleurs = client_de("anonyme").get(reverse("structures:lieux"))
    assert _frame_ancestors(ailleurs) == "frame-ancestors 'none'"
    assert ailleurs["X-Frame-Options"] == "DENY"

    doublon = coordinateur.post(
        reverse("donnees:integration"),
        {"origine": "https://www.yvre-leveque.fr", "partenaire": "Encore"},
    )
    assert doublon.status_code == 400
    assert "Ce site est déjà autorisé." in doublon.content.decode()
    assert OrigineIntegration.objects.count() == 1

    assert (
        coordinateur.post(reverse("donnees:retirer_origine", args=[origine.pk])).status_code == 302
    )
    page = client_de("anonyme").get(reverse("donnees:integrer_lieux"))
    assert _frame_ancestors(page) == "frame-ancestors 'self'"


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"origine": "www.ville.fr", "partenaire": "Ville"}, "commençant par https://"),
        ({"origine": "https://ville.fr", "partenaire": ""}, "Nommez le partenaire"),
    ],
)
def test_un_site_mal_donne_est_refuse_en_francais(client_de, donnees, message):
    reponse = client_de("coordinateur").post(reverse("donnees:integration"), donnees)
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert not OrigineIntegration.objects.exists()


def _noms(contenu: str) -> list[str]:
    return re.findall(r'<a class="fw-semibold" href="/lieux/\d+/">([^<]+)<', contenu)


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ("", ["Centre social Angers", "Mairie d&#x27;Yvré", "Médiathèque Aragon"]),
        ("?commune=72386", ["Mairie d&#x27;Yvré"]),
        ("?epci=247200132", ["Mairie d&#x27;Yvré", "Médiathèque Aragon"]),
        ("?epci=247200132&services=demarches", ["Médiathèque Aragon"]),
    ],
)
def test_la_liste_integree_suit_ses_filtres(client, lieux, parametres, attendus):
    reponse = client.get(reverse("donnees:integrer_lieux") + parametres)
    assert reponse.status_code == 200
    assert _noms(reponse.content.decode()) == attendus
    carte = client.get(reverse("donnees:integrer_lieux_carte") + parametres).json()
    assert len(carte["lieux"]) == len(attendus)


def test_la_liste_integree_se_pagine_dans_le_cadre(client, geographie):
    for n in range(12):
        LieuFactory(nom=f"Espace {n:02d}", commune=geographie["le_mans"])
    contenu = client.get(reverse("donnees:integrer_lieux") + "?commune=72181").content.decode()
    assert "12 lieux, page 1 sur 2." in contenu
    assert 'target="_self" href="?commune=72181&amp;page=2">Page suivante</a>' in contenu
    # the links that stay in the page do not follow <base target="_blank">
    assert 'href="#liste-lieux" target="_self">Passer la carte</a>' in contenu
    suite = client.get(reverse("donnees:integrer_lieux") + "?commune=72181&page=2")
    assert _noms(suite.content.decode()) == ["Espace 10", "Espace 11"]


@pytest.mark.parametrize(
    ("adresse", "message"),
    [
        ("donnees:integrer_lieux", "?epci=123456789"),
        ("donnees:integrer_lieux", "?commune=Atlantide"),
        ("donnees:integrer_agenda", "?thematique=astrologie"),
    ],
)
def test_un_contenu_mal_parametre_le_dit(client, lieux, adresse, message):
    reponse = client.get(reverse(adresse) + message)
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Ce contenu intégré est mal paramétré" in contenu
    assert any(
        texte in contenu for texte in ("Intercommunalité", "Aucune commune ne correspond", "Thème")
    )


def test_l_agenda_integre(client, demande, atelier, geographie):
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    contenu = client.get(reverse("donnees:integrer_agenda") + "?commune=72181").content.decode()
    assert demande.version.titre in contenu
    assert "1 séance à venir." in contenu
    ailleurs = client.get(reverse("donnees:integrer_agenda") + "?commune=49007").content.decode()
    assert "Aucune séance à venir." in ailleurs


def test_le_generateur_donne_le_code_et_l_apercu(client, lieux):
    reponse = client.get(
        reverse("donnees:integrer"),
        {
            "contenu": "lieux",
            "commune": "Yvré-l'Évêque",
            "services": ["demarches"],
            "apparence": "neutre",
            "hauteur": "700",
        },
    )
    assert reponse.status_code == 200
    code = reponse.context["code"]
    assert code == (
        '<iframe src="http://testserver/integrer/lieux/?commune=72386&amp;services=demarches'
        '&amp;apparence=neutre" title="Lieux d\'aide au numérique — Yvré-l\'Évêque" '
        'width="100%" height="700" style="border:0" loading="lazy"></iframe>'
    )
    assert (
        '<iframe src="/integrer/lieux/?commune=72386&amp;services=demarches&amp;apparence=neutre"'
        in reponse.content.decode()
    )


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        (
            {"contenu": "lieux", "commune": "Atlantide", "hauteur": "600", "apparence": "marque"},
            "Aucune commune ne correspond",
        ),
        ({"contenu": "agenda", "hauteur": "90", "apparence": "marque"}, "au moins 300 pixels"),
    ],
)
def test_le_generateur_refuse_en_francais(client, lieux, donnees, message):
    reponse = client.get(reverse("donnees:integrer"), donnees)
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert reponse.context["code"] is None
