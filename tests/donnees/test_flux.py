"""The open-data feeds: the sites in the national standard, the agenda in iCalendar and
JSON, the DCAT catalogue, and the conditional requests of a harvester."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.urls import reverse

from ateliers import services
from tests.ateliers.conftest import prochain
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db

SCHEMA = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / ("schema-lieux-mediation-numerique-v1.0.2.json")
)


@pytest.fixture
def lieux(geographie):
    g = geographie
    return [
        LieuFactory(nom="Médiathèque Louis-Aragon", commune=g["le_mans"]),
        LieuFactory(nom="France Services d'Yvré", commune=g["yvre"]),
        LieuFactory(nom="Centre social de la Roseraie", commune=g["angers_commune"]),
    ]


def _noms_csv(reponse) -> list[str]:
    return sorted(r["nom"] for r in csv.DictReader(io.StringIO(reponse.content.decode())))


def test_les_lieux_au_standard_national_valident_contre_son_schema(client, lieux, tmp_path):
    from frictionless import Resource, Schema

    reponse = client.get(reverse("donnees:lieux_csv"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert _noms_csv(reponse) == sorted(lieu.nom for lieu in lieux)
    (tmp_path / "lieux.csv").write_bytes(reponse.content)
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    rapport = Resource(path="lieux.csv", basepath=str(tmp_path), schema=schema).validate()
    assert [e.message for t in rapport.tasks for e in t.errors] == []
    assert rapport.valid

    objets = json.loads(client.get(reverse("donnees:lieux_json")).content)
    assert sorted(o["nom"] for o in objets) == sorted(lieu.nom for lieu in lieux)


@pytest.mark.parametrize(
    ("parametre", "attendus"),
    [
        ("commune=72386", ["France Services d'Yvré"]),
        ("epci=247200132", ["France Services d'Yvré", "Médiathèque Louis-Aragon"]),
        ("departement=49", ["Centre social de la Roseraie"]),
    ],
)
def test_les_lieux_filtres_par_territoire(client, lieux, parametre, attendus):
    reponse = client.get(reverse("donnees:lieux_csv") + "?" + parametre)
    assert reponse.status_code == 200
    assert _noms_csv(reponse) == attendus


@pytest.mark.parametrize(
    ("parametre", "message"),
    [
        ("commune=99999", "commune «\u202f99999\u202f» inconnue\u00a0: donnez son code INSEE"),
        ("epci=123", "intercommunalité «\u202f123\u202f» inconnue\u00a0: donnez son SIREN"),
        ("departement=Sarthe", "département «\u202fSarthe\u202f» inconnu\u00a0: donnez son code"),
    ],
)
def test_un_filtre_inconnu_est_refuse_en_francais(client, lieux, parametre, message):
    for nom in ("donnees:lieux_csv", "donnees:lieux_json"):
        reponse = client.get(reverse(nom) + "?" + parametre)
        assert reponse.status_code == 400
        assert reponse.content.decode() == f"Filtre refusé\u00a0: {message}.\n"


def test_un_moissonneur_qui_a_deja_les_lieux_recoit_304(client, lieux):
    adresse = reverse("donnees:lieux_csv")
    premiere = client.get(adresse)
    etag, date = premiere["ETag"], premiere["Last-Modified"]
    assert etag.startswith('"') and date
    assert premiere["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in premiere.headers

    deja = client.get(adresse, HTTP_IF_NONE_MATCH=etag)
    assert deja.status_code == 304 and deja.content == b""
    assert deja["ETag"] == etag
    assert client.get(adresse, HTTP_IF_MODIFIED_SINCE=date).status_code == 304
    # another ETag (another filter's, or an old one): the whole file
    assert client.get(adresse, HTTP_IF_NONE_MATCH='"autre"').status_code == 200


def test_une_modification_d_un_lieu_change_le_flux_aussitot(
    client, lieux, django_capture_on_commit_callbacks
):
    adresse = reverse("donnees:lieux_csv")
    avant = client.get(adresse)
    with django_capture_on_commit_callbacks(execute=True):
        lieux[0].nom = "Médiathèque Aragon"
        lieux[0].save()
    apres = client.get(adresse, HTTP_IF_NONE_MATCH=avant["ETag"])
    assert apres.status_code == 200
    assert apres["ETag"] != avant["ETag"]
    assert "Médiathèque Aragon" in _noms_csv(apres)
    # a site deleted: the bytes change, the dates stored on the rows would not say so
    with django_capture_on_commit_callbacks(execute=True):
        lieux[1].delete()
    sans = client.get(adresse, HTTP_IF_NONE_MATCH=apres["ETag"])
    assert sans.status_code == 200
    assert "France Services d'Yvré" not in _noms_csv(sans)


def test_les_memes_octets_gardent_leur_date(client, lieux):
    """Built again (cache emptied), the same content keeps its ETag and Last-Modified."""
    from django.core.cache import cache

    from structures import cache_public

    adresse = reverse("donnees:lieux_csv")
    premiere = client.get(adresse)
    # the built feed leaves the cache; the record of its fingerprint stays
    assert cache.delete(cache_public.cle("donnees-lieux-csv", ""))
    seconde = client.get(adresse)
    assert seconde["ETag"] == premiere["ETag"]
    assert seconde["Last-Modified"] == premiere["Last-Modified"]


@pytest.fixture
def seances(demande, atelier):
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    services.inscrire(demande, "Dominique A.")
    return demande


def test_l_agenda_en_icalendar_et_en_json(client, seances, atelier):
    from icalendar import Calendar

    ics = client.get(reverse("donnees:agenda_ics"))
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar; charset=utf-8"
    evenements = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(evenements) == seances.sessions.count() >= 1
    assert all(str(e["SUMMARY"]).startswith(seances.version.titre) for e in evenements)

    objet = json.loads(client.get(reverse("donnees:agenda_json")).content)
    assert [s["id"] for s in objet["seances"]] == list(
        seances.sessions.order_by("debut", "pk").values_list("pk", flat=True)
    )
    premiere = objet["seances"][0]
    assert premiere["lieu"]["nom"] == atelier["lieu"].nom
    assert premiere["lieu"]["code_insee"] == "72181"
    assert premiere["places_restantes"] == premiere["places"] - 1
    assert premiere["lieu"]["url"].endswith(f"/lieux/{atelier['lieu'].pk}/")


def test_l_agenda_sans_les_seances_privees(client, demande, atelier):
    services.planifier(
        demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None, publique=False
    )
    assert json.loads(client.get(reverse("donnees:agenda_json")).content) == {"seances": []}


def test_l_agenda_deja_recu_repond_304_et_change_a_chaque_inscription(client, seances):
    adresse = reverse("donnees:agenda_json")
    premiere = client.get(adresse)
    assert client.get(adresse, HTTP_IF_NONE_MATCH=premiere["ETag"]).status_code == 304
    ics = client.get(reverse("donnees:agenda_ics"))
    assert (
        client.get(reverse("donnees:agenda_ics"), HTTP_IF_NONE_MATCH=ics["ETag"]).status_code == 304
    )
    services.inscrire(seances, "Camille B.")
    assert client.get(adresse, HTTP_IF_NONE_MATCH=premiere["ETag"]).status_code == 200


def test_le_catalogue_dcat_decrit_chaque_fichier(client, lieux, settings):
    settings.PORTAIL_CONTACT = "inclusion@exemple.fr"
    client.get(reverse("donnees:lieux_csv"))  # its date is known once served
    reponse = client.get(reverse("donnees:catalogue"))
    assert reponse.status_code == 200
    deja = client.get(reverse("donnees:catalogue"), HTTP_IF_NONE_MATCH=reponse["ETag"])
    assert deja.status_code == 304
    assert reponse["Content-Type"] == "application/ld+json"
    catalogue = json.loads(reponse.content)
    assert catalogue["@type"] == "dcat:Catalog"
    jeux = {j["dct:identifier"]: j for j in catalogue["dcat:dataset"]}
    assert set(jeux) == {"lieux", "agenda", "statistiques", "annuaire"}
    for jeu in jeux.values():
        assert (
            jeu["dct:license"]["@id"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        )
        assert jeu["dcat:contactPoint"]["vcard:hasEmail"] == "mailto:inclusion@exemple.fr"
        assert jeu["dct:accrualPeriodicity"]["@id"] == "http://purl.org/cld/freq/continuous"
        for distribution in jeu["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            assert url.startswith("http://testserver/donnees/")
            fichier = client.get(url.removeprefix("http://testserver"))
            assert fichier.status_code == 200
            assert fichier["Content-Type"].startswith(distribution["dcat:mediaType"])
    csv_ = next(d for d in jeux["lieux"]["dcat:distribution"] if d["dct:format"] == "CSV")
    assert csv_["dct:conformsTo"]["@id"].endswith("standard-mediation-num/v1.0.2/schema.json")
    assert "dct:modified" in csv_


def test_la_page_des_donnees_ouvertes(client, lieux):
    contenu = client.get(reverse("donnees:accueil")).content.decode()
    for nom in (
        "lieux_csv",
        "lieux_json",
        "agenda_ics",
        "agenda_json",
        "data_inclusion_structures",
        "data_inclusion_services",
        "catalogue",
    ):
        assert f'href="{reverse("donnees:" + nom)}"' in contenu
    assert "Licence Ouverte / Open Licence version 2.0" in contenu
    # linked from every page's footer
    assert (
        'href="/donnees/">Données ouvertes</a>' in client.get(reverse("accueil")).content.decode()
    )
