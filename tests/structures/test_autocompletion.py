"""Typed choices of a commune or a structure (commun/autocompletion.py): above the
threshold the back-office forms offer a text input with suggestions instead of a
<select> of every commune; the server resolves what was typed, JavaScript or not."""

from __future__ import annotations

import html
import json

import pytest
from django.urls import reverse

from structures.models import Lieu
from tests.structures.factories import StructureFactory
from tests.territoires.factories import CommuneFactory
from tests.test_formulaires_hostiles import _lieu_valide

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("structures:suggestions_communes")


@pytest.fixture
def seuil_bas(settings):
    settings.SEUIL_AUTOCOMPLETION = 1


@pytest.fixture
def saint_georges(geographie):
    epci = geographie["metropole"]
    return [
        CommuneFactory(code_insee="72262", nom="Saint-Georges-du-Bois", epci=epci),
        CommuneFactory(code_insee="72999", nom="Saint-Georges-le-Gaultier", epci=epci),
    ]


def _envoyer(client, geographie, commune_saisie, structure=None):
    structure = structure or StructureFactory(nom="CCAS du Mans", commune=geographie["le_mans"])
    donnees = _lieu_valide({"structure": structure}, geographie)
    donnees.update(
        {
            "nom": "Lieu saisi au clavier",
            "commune": commune_saisie,
            "arrets-TOTAL_FORMS": "0",
            "itinerance": ["fixe"],
        }
    )
    return client.post(reverse("structures:creer_lieu"), donnees)


def test_au_dela_du_seuil_une_saisie_et_non_une_liste(client_de, geographie, seuil_bas):
    page = client_de("coordinateur").get(reverse("structures:creer_lieu")).content.decode()
    assert 'data-autocompletion="/gestion/suggestions/communes/"' in page
    assert 'id="id_commune"' in page and '<option value="72181"' not in page
    assert "accessible-autocomplete.min.js" in page


def test_sous_le_seuil_la_liste_reste(client_de, geographie):
    page = client_de("coordinateur").get(reverse("structures:creer_lieu")).content.decode()
    assert "data-autocompletion" not in page and '<option value="72181"' in page


@pytest.mark.parametrize("saisie", ["Le Mans (72181)", "72181", "le mans", "  Le Mans  "])
def test_la_saisie_est_resolue(client_de, geographie, seuil_bas, saisie):
    reponse = _envoyer(client_de("coordinateur"), geographie, saisie)
    assert reponse.status_code == 302, html.unescape(reponse.content.decode())[:3000]
    assert Lieu.objects.tous().get(nom="Lieu saisi au clavier").commune == geographie["le_mans"]


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("Saint-Georges", "Plusieurs choix correspondent à «\u202fSaint-Georges\u202f»"),
        ("Trifouillis", "Aucun choix possible ne correspond à «\u202fTrifouillis\u202f»"),
        # a commune of another territory is unknown here, even by its code
        ("Angers (49007)", "Aucun choix possible ne correspond"),
        ("49007", "Aucun choix possible ne correspond"),
    ],
)
def test_saisie_inconnue_ou_ambigue_en_francais(
    client_de, geographie, seuil_bas, saint_georges, saisie, message
):
    reponse = _envoyer(client_de("coordinateur"), geographie, saisie)
    assert reponse.status_code == 200
    contenu = html.unescape(reponse.content.decode())
    assert message in contenu
    assert f'value="{saisie}"' in contenu  # what was typed stays in the field
    assert not Lieu.objects.tous().filter(nom="Lieu saisi au clavier").exists()


def test_le_nom_entier_leve_l_ambiguite(client_de, geographie, seuil_bas, saint_georges):
    reponse = _envoyer(client_de("coordinateur"), geographie, "saint-georges-du-bois")
    assert reponse.status_code == 302
    assert Lieu.objects.tous().get(nom="Lieu saisi au clavier").commune == saint_georges[0]


def test_la_modification_montre_le_libelle(client_de, geographie, seuil_bas):
    _envoyer(client_de("coordinateur"), geographie, "72181")
    lieu = Lieu.objects.tous().get(nom="Lieu saisi au clavier")
    page = client_de("coordinateur").get(reverse("structures:modifier_lieu", args=[lieu.pk]))
    assert 'value="Le Mans (72181)"' in html.unescape(page.content.decode())


def test_structure_saisie(client_de, geographie, seuil_bas):
    structure = StructureFactory(nom="CCAS du Mans", commune=geographie["le_mans"])
    StructureFactory(nom="CCAS d'Yvré", commune=geographie["yvre"])
    client = client_de("coordinateur")
    donnees = _lieu_valide({"structure": structure}, geographie)
    donnees.update(
        {
            "nom": "Lieu saisi au clavier",
            "structure": f"CCAS du Mans, Le Mans (n°\u00a0{structure.pk})",
            "arrets-TOTAL_FORMS": "0",
            "itinerance": ["fixe"],
        }
    )
    assert client.post(reverse("structures:creer_lieu"), donnees).status_code == 302
    assert Lieu.objects.tous().get(nom="Lieu saisi au clavier").structure == structure
    donnees["structure"] = "CCAS"
    contenu = html.unescape(client.post(reverse("structures:creer_lieu"), donnees).content.decode())
    assert "Plusieurs choix correspondent à «\u202fCCAS\u202f»" in contenu


def _suggestions(client, url, q):
    reponse = client.get(url, {"q": q})
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/json"
    return json.loads(reponse.content)["suggestions"]


def test_suggestions_dans_le_territoire(client_de, geographie, saint_georges):
    client = client_de("coordinateur")
    assert _suggestions(client, SUGGESTIONS, "saint geo") == [
        "Saint-Georges-du-Bois (72262)",
        "Saint-Georges-le-Gaultier (72999)",
    ]
    assert _suggestions(client, SUGGESTIONS, "angers") == []
    assert _suggestions(client, SUGGESTIONS, "l") == []  # two characters at least
    assert _suggestions(client_de("coordinateur_autre_territoire"), SUGGESTIONS, "angers") == [
        "Angers (49007)"
    ]
    assert _suggestions(client_de("staff"), SUGGESTIONS, "angers") == ["Angers (49007)"]


def test_suggestions_de_structures(client_de, geographie, comptes):
    ccas = StructureFactory(nom="CCAS du Mans", commune=geographie["le_mans"])
    StructureFactory(nom="CCAS d'Angers", commune=geographie["angers_commune"])
    url = reverse("structures:suggestions_structures")
    assert _suggestions(client_de("coordinateur"), url, "ccas") == [
        f"CCAS du Mans, Le Mans (n°\u00a0{ccas.pk})"
    ]
    # a referent: only its own structures
    assert _suggestions(client_de("referent"), url, "ccas") == []
    assert client_de("conseiller").get(url, {"q": "ccas"}).status_code == 403


def test_suggestions_limitees(client_de, geographie, settings):
    settings.LIMITE_SUGGESTIONS_PAR_ADRESSE = "3/m"
    client = client_de("coordinateur")
    for _ in range(3):
        assert client.get(SUGGESTIONS, {"q": "le mans"}).status_code == 200
    reponse = client.get(SUGGESTIONS, {"q": "le mans"})
    assert reponse.status_code == 429
    assert "beaucoup de suggestions" in html.unescape(reponse.content.decode())
