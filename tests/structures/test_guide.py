"""The printable guide of a territory's digital offer (PDF)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.test import override_settings
from django.urls import reverse

from structures.guide import generer_guide, horaires_compacts
from structures.models import Lieu
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db

URL = reverse("structures:guide")


@pytest.fixture
def lieux(geographie):
    bellevue = geographie["zones"][0]
    return {
        "wifi": LieuFactory(
            commune=geographie["le_mans"],
            zone=bellevue,
            nom="Cyberbase Bellevue",
            wifi_public=True,
            mediateur_present=False,
            telephone="+33243474747",
        ),
        "materiel": LieuFactory(
            commune=geographie["le_mans"],
            nom="Mediatheque Aragon",
            materiel_libre_acces=True,
            mediateur_present=True,
        ),
        "yvre": LieuFactory(commune=geographie["yvre"], nom="Mairie Yvre", mediateur_present=True),
        "angers": LieuFactory(
            commune=geographie["angers_commune"], nom="Maison Angers", mediateur_present=True
        ),
    }


def test_horaires_compacts():
    lundi = dt.date(2026, 3, 2)
    assert horaires_compacts("Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00", lundi) == (
        "lundi – vendredi\u00a0: 9\u00a0h – 12\u00a0h, 14\u00a0h – 17\u00a0h\u00a030 ; "
        "samedi\u00a0: 9\u00a0h – 12\u00a0h"
    )
    assert horaires_compacts("", lundi) == ""
    assert horaires_compacts("illisible", lundi) == ""


@override_settings(GUIDE_PDF_COMPRESSE=False)
def test_guide_d_un_epci(client, lieux):
    reponse = client.get(URL, {"epci": "247200132"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"].startswith('inline; filename="guide-numerique-247200132')
    contenu = reponse.content
    assert contenu.startswith(b"%PDF")
    for cle in ("wifi", "materiel", "yvre"):
        assert lieux[cle].nom.encode() in contenu
    assert b"Maison Angers" not in contenu
    assert b"Bellevue" in contenu  # the district heading
    assert b"02 43 47 47 47" in contenu
    assert b"Points d'acc" in contenu
    assert b"Mat\\351riel en libre-service" in contenu  # WinAnsi octal escape


@override_settings(GUIDE_PDF_COMPRESSE=False)
def test_guide_d_une_commune(client, lieux):
    reponse = client.get(URL, {"commune": "72386"})
    assert reponse.status_code == 200
    assert b"Mairie Yvre" in reponse.content
    assert b"Cyberbase Bellevue" not in reponse.content


def test_guide_compresse_par_defaut(client, lieux):
    reponse = client.get(URL, {"commune": "72181"})
    assert reponse.content.startswith(b"%PDF")
    assert b"Cyberbase Bellevue" not in reponse.content  # compressed streams


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({}, "Précisez le territoire du guide"),
        ({"commune": "72181", "epci": "247200132"}, "Précisez le territoire du guide"),
        ({"commune": "99999"}, "Aucune commune n'a le code INSEE « 99999 »."),
        ({"commune": "72181x"}, "Aucune commune n'a le code INSEE « 72181x »."),
        ({"epci": "123"}, "Aucune intercommunalité n'a le SIREN « 123 »."),
        # a NUL character is refused by PostgreSQL: it must not reach the query
        ({"commune": "7218\x00"}, "Aucune commune n'a le code INSEE"),
        ({"epci": "24720013\x00"}, "Aucune intercommunalité n'a le SIREN"),
        ({"epci": "２４７２００１３２"}, "Aucune intercommunalité n'a le SIREN"),
    ],
)
def test_guide_mauvais_parametre(client, geographie, parametres, message):
    reponse = client.get(URL, parametres)
    assert reponse.status_code == 400
    assert reponse["Content-Type"].startswith("text/html")
    assert message in html.unescape(reponse.content.decode())


def test_guide_nombre_de_requetes_borne(client, geographie, django_assert_max_num_queries):
    for rang in range(15):
        LieuFactory(commune=geographie["le_mans"], zone=geographie["zones"][rang % 2])
    with django_assert_max_num_queries(2):
        reponse = client.get(URL, {"epci": "247200132"})
    assert reponse.status_code == 200


def test_guide_sans_lieu():
    contenu = generer_guide(titre="Guide", lieux=Lieu.objects.none().tous(), compression=False)
    assert b"Aucun lieu n'est r" in contenu


@override_settings(GUIDE_PDF_COMPRESSE=False)
def test_guide_servi_par_le_cache_jusqu_au_changement_d_un_lieu(client, lieux, monkeypatch):
    """Same territory, same day, same public sites: generated once. A site's change moves
    the public sites' generation on (structures.cache_public): the next guide shows it."""
    from structures.views import gestion

    generations = []
    generer = gestion.generer_guide
    monkeypatch.setattr(
        gestion, "generer_guide", lambda **k: generations.append(k["titre"]) or generer(**k)
    )
    premier = client.get(URL, {"epci": "247200132"})
    assert client.get(URL, {"epci": "247200132"}).content == premier.content
    assert len(generations) == 1
    client.get(URL, {"commune": "72386"})  # another territory: its own entry
    assert len(generations) == 2
    lieux["yvre"].nom = "Mairie Yvre renovee"
    lieux["yvre"].save()
    apres = client.get(URL, {"epci": "247200132"})
    assert len(generations) == 3
    assert b"Mairie Yvre renovee" in apres.content
    LieuFactory(commune=lieux["yvre"].commune, nom="Nouvel espace Yvre")
    assert b"Nouvel espace Yvre" in client.get(URL, {"commune": "72386"}).content
    assert len(generations) == 4


def test_guide_limite_par_adresse(client, lieux, settings, horloge_des_limites):
    settings.LIMITE_PDF_PAR_ADRESSE = "2/h"
    for _ in range(2):
        assert client.get(URL, {"commune": "72181"}).status_code == 200
    reponse = client.get(URL, {"commune": "72386"})  # another guide counts as well
    assert reponse.status_code == 429
    assert reponse["Content-Type"].startswith("text/html")
    texte = html.unescape(reponse.content.decode())
    assert "Trop de demandes" in texte
    assert "Vous avez demandé beaucoup de guides en peu de temps." in texte
    assert "Réessayez dans" in texte
    assert 1 <= int(reponse["Retry-After"]) <= 3600
    assert client.get(URL, {"commune": "72181"}, REMOTE_ADDR="198.51.100.8").status_code == 200
    horloge_des_limites["t"] += 3600
    assert client.get(URL, {"commune": "72181"}).status_code == 200
