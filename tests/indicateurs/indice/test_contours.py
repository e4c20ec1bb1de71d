"""Outlines: GeoJSON checks, writing all or nothing, the fixtures, the command, the upload."""

from __future__ import annotations

import html
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from indicateurs.indice.contours import (
    TAILLE_MAX,
    GeoJSONInvalide,
    charger_contours_communes,
    enregistrer_contours,
    lire_geojson,
)
from indicateurs.indice.models import Contour
from territoires.models import Zone

CARRE = [[[0.1, 47.9], [0.3, 47.9], [0.3, 48.1], [0.1, 48.1], [0.1, 47.9]]]
# a U open to the north: its centroid (0.2, ~48.03) lies in the notch, outside the shape
U = [
    [
        [0.1, 47.9],
        [0.3, 47.9],
        [0.3, 48.1],
        [0.25, 48.1],
        [0.25, 47.95],
        [0.15, 47.95],
        [0.15, 48.1],
        [0.1, 48.1],
        [0.1, 47.9],
    ]
]
NOEUD = [[[0.1, 47.9], [0.3, 48.1], [0.3, 47.9], [0.1, 48.1], [0.1, 47.9]]]


def objet(proprietes: dict, coordonnees=CARRE, type_="Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": proprietes,
        "geometry": {"type": type_, "coordinates": coordonnees},
    }


def fichier(*objets, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(objets), **extra}).encode()


def erreurs(contenu: bytes, niveau: str) -> list[str]:
    with pytest.raises(GeoJSONInvalide) as refus:
        lire_geojson(contenu, niveau=niveau)
    return refus.value.erreurs


# -- reading ---------------------------------------------------------------------------------


def test_iris_lu_avec_point_representatif_dans_une_forme_concave():
    (contour,) = lire_geojson(
        fichier(objet({"code_iris": "721810101", "nom": "Bellevue", "population": "2104"}, U)),
        niveau="iris",
    )
    assert (contour.code, contour.nom, contour.commune_code, contour.population) == (
        "721810101",
        "Bellevue",
        "72181",
        2104,
    )
    forme = shape(contour.geometrie)
    assert not forme.contains(forme.centroid)  # the centroid is in the notch
    assert forme.contains(Point(contour.longitude, contour.latitude))


def test_commune_et_quartier_lus():
    (commune,) = lire_geojson(
        "\ufeff".encode() + fichier(objet({"code_insee": "72181", "population": 145004})),
        niveau="commune",
    )
    assert (commune.code, commune.population) == ("72181", 145004)
    (quartier,) = lire_geojson(
        fichier(objet({"commune": "72181", "nom": "Les Sablons"}, [CARRE], "MultiPolygon")),
        niveau="quartier",
    )
    assert (quartier.commune_code, quartier.nom, quartier.population) == (
        "72181",
        "Les Sablons",
        None,
    )


@pytest.mark.parametrize(
    ("contenu", "niveau", "message"),
    [
        (
            b"x" * (TAILLE_MAX + 1),
            "iris",
            "fichier trop volumineux\u00a0: 5,0\u00a0Mo, au plus 5,0",
        ),
        (b"\xff\xfe{}", "iris", "le fichier n'est pas un texte UTF-8"),
        (b'{"type": "FeatureCollection", ', "iris", "le fichier n'est pas du JSON valide"),
        (b'{"type": "Feature"}', "iris", "le fichier doit être une FeatureCollection GeoJSON"),
        (fichier(), "iris", "la FeatureCollection ne contient aucun objet"),
        (
            fichier(
                objet({"code_insee": "72181"}),
                crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
            ),
            "commune",
            "système de coordonnées « urn:ogc:def:crs:EPSG::2154 » refusé",
        ),
        (
            fichier(objet({"code_insee": "72181"}, [0.2, 48.0], "Point")),
            "commune",
            "objet 1 (72181)\u00a0: géométrie de type « Point »\u00a0: un contour est un Polygon",
        ),
        (
            fichier(objet({"code_insee": "72181"}, NOEUD)),
            "commune",
            "objet 1 (72181)\u00a0: géométrie invalide (auto-intersection)",
        ),
        (
            fichier(
                objet(
                    {"code_insee": "72181"},
                    [[[488000, 6650000], [489000, 6650000], [489000, 6651000], [488000, 6650000]]],
                )
            ),
            "commune",
            "le fichier semble projeté (Lambert-93 ?)",
        ),
        (
            fichier(objet({"nom": "Sans code"})),
            "iris",
            "objet 1 (Sans code)\u00a0: code IRIS absent",
        ),
        (
            fichier(
                objet({"code_iris": "721810101", "nom": "A"}),
                objet({"code": "721810101", "nom": "B"}),
            ),
            "iris",
            "objet 2 (B)\u00a0: même code que l'objet 1",
        ),
        (
            fichier(objet({"code_insee": "72181", "population": -3})),
            "commune",
            "la population ne peut pas être négative",
        ),
        (
            fichier(objet({"code_insee": "72181", "population": "beaucoup"})),
            "commune",
            "population « beaucoup »\u00a0: un nombre entier d'habitants est attendu",
        ),
        (fichier(objet({"commune": "72181"})), "quartier", "nom du quartier absent"),
    ],
)
def test_refus_avec_un_message(contenu, niveau, message):
    assert any(message in e for e in erreurs(contenu, niveau)), erreurs(contenu, niveau)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
            lambda enfants: (
                st.lists(enfants, max_size=5)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "type",
                            "features",
                            "geometry",
                            "coordinates",
                            "properties",
                            "code_insee",
                            "code_iris",
                            "nom",
                            "commune",
                            "population",
                            "crs",
                        ]
                    ),
                    enfants,
                    max_size=5,
                )
            ),
            max_leaves=30,
        ).map(lambda v: json.dumps(v).encode()),
    ),
    st.sampled_from(["commune", "iris", "quartier"]),
)
def test_propriete_jamais_d_autre_exception(contenu, niveau):
    """Whatever the bytes, the reading returns outlines or refuses with French messages."""
    try:
        contours = lire_geojson(contenu, niveau=niveau)
    except GeoJSONInvalide as refus:
        assert refus.erreurs and all(isinstance(e, str) and e for e in refus.erreurs)
    else:
        assert all(shape(c.geometrie).is_valid for c in contours)


# -- writing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_quartier_rejoint_sa_zone_et_iris_cree_la_sienne(geographie):
    bellevue = geographie["zones"][0]
    nombre = enregistrer_contours(
        lire_geojson(
            fichier(objet({"commune": "72181", "nom": "BELLEVUE", "population": 5000})),
            niveau="quartier",
        ),
        niveau="quartier",
        source="essai",
    )
    assert nombre == 1
    contour = Contour.objects.tous().get(niveau="quartier")
    assert (contour.code, contour.zone, contour.population) == (str(bellevue.pk), bellevue, 5000)

    enregistrer_contours(
        lire_geojson(
            fichier(objet({"code_iris": "721810199", "nom": "Nouvel IRIS"})), niveau="iris"
        ),
        niveau="iris",
        source="essai",
    )
    zone = Zone.objects.tous().get(code="721810199")
    assert (zone.type, zone.nom, zone.commune_id) == ("iris", "Nouvel IRIS", "72181")
    assert Contour.objects.tous().get(niveau="iris").zone == zone


@pytest.mark.django_db
def test_reimport_remplace(geographie):
    for population in (100, 200):
        enregistrer_contours(
            lire_geojson(
                fichier(objet({"code_insee": "72181", "population": population})), niveau="commune"
            ),
            niveau="commune",
            source=f"version {population}",
        )
    contour = Contour.objects.tous().get()
    assert (contour.population, contour.source) == (200, "version 200")


@pytest.mark.django_db
def test_tout_ou_rien_hors_territoire(geographie):
    contours = lire_geojson(
        fichier(
            objet({"code_iris": "721810150", "nom": "Nouveau"}),
            objet({"code_iris": "490070101", "nom": "Roseraie"}),
        ),
        niveau="iris",
    )
    with pytest.raises(GeoJSONInvalide) as refus:
        enregistrer_contours(
            contours, niveau="iris", source="essai", communes_autorisees={"72181", "72386"}
        )
    assert refus.value.erreurs == [
        "objet 2 (Roseraie)\u00a0: commune 49007 hors de votre territoire"
    ]
    assert not Contour.objects.tous().exists()
    assert not Zone.objects.tous().filter(code="721810150").exists()


@pytest.mark.django_db
def test_iris_homonyme_d_un_quartier(geographie):
    """Le Mans has a district "Bellevue" without IRIS code: a new IRIS of that name is refused."""
    with pytest.raises(GeoJSONInvalide) as refus:
        enregistrer_contours(
            lire_geojson(
                fichier(objet({"code_iris": "721810101", "nom": "Bellevue"})), niveau="iris"
            ),
            niveau="iris",
            source="essai",
        )
    assert refus.value.erreurs == [
        "objet 1 (Bellevue)\u00a0: la commune 72181 a déjà une zone « Bellevue » sans ce code "
        "IRIS ; "
        "chargez ce contour au niveau quartier, ou renommez l'IRIS"
    ]
    assert not Zone.objects.tous().filter(code="721810101").exists()


@pytest.mark.django_db
def test_commune_inconnue(geographie):
    with pytest.raises(GeoJSONInvalide, match="commune 99999 inconnue"):
        enregistrer_contours(
            lire_geojson(fichier(objet({"code_insee": "99999"})), niveau="commune"),
            niveau="commune",
            source="essai",
        )


@pytest.mark.django_db
def test_fixtures_de_la_sarthe(geographie):
    assert charger_contours_communes(["72"]) == 2  # Le Mans and Yvré, the communes in base
    le_mans = Contour.objects.tous().get(code="72181")
    assert le_mans.population > 140_000
    assert le_mans.geometrie["type"] == "MultiPolygon"
    assert shape(le_mans.geometrie).contains(Point(le_mans.longitude, le_mans.latitude))
    assert charger_contours_communes(["72"]) == 2
    assert Contour.objects.tous().count() == 2


# -- command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_commande(geographie, tmp_path):
    chemin = tmp_path / "iris.geojson"
    chemin.write_bytes(fichier(objet({"code_iris": "721810101", "nom": "Gare"})))
    sortie = io.StringIO()
    call_command("import_contours", str(chemin), "--niveau", "iris", stdout=sortie)
    assert "1 contour(s) enregistré(s)." in sortie.getvalue()
    assert Contour.objects.tous().get().source == "iris.geojson"

    chemin.write_bytes(fichier(objet({"code_iris": "721810102", "nom": "X"}, NOEUD)))
    erreurs_ = io.StringIO()
    with pytest.raises(CommandError, match="aucun contour n'a été écrit"):
        call_command("import_contours", str(chemin), "--niveau", "iris", stderr=erreurs_)
    assert "auto-intersection" in erreurs_.getvalue()
    assert Contour.objects.tous().count() == 1

    call_command("import_contours", "--departement", "72", stdout=io.StringIO())
    assert Contour.objects.tous().filter(niveau="commune").count() == 2


# -- upload ----------------------------------------------------------------------------------


def _envoyer(client, contenu: bytes, niveau="iris", nom="iris.geojson"):
    return client.post(
        reverse("indicateurs:contours_importer"),
        {"niveau": niveau, "fichier": SimpleUploadedFile(nom, contenu), "source": "INSEE 2024"},
    )


@pytest.mark.django_db
def test_envoi_par_un_coordinateur(client_de):
    client = client_de("coordinateur")
    assert client.get(reverse("indicateurs:contours_importer")).status_code == 200
    reponse = _envoyer(
        client, fichier(objet({"code_iris": "721810101", "nom": "Gare", "population": 2104}))
    )
    assert reponse.status_code == 302
    contour = Contour.objects.tous().get()
    assert (contour.code, contour.population, contour.source) == ("721810101", 2104, "INSEE 2024")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contenu", "nom", "message"),
    [
        (b"%PDF-1.4", "convention.pdf", "Le fichier doit être au format GeoJSON"),
        (b"%PDF-1.4", "faux.geojson", "le fichier n'est pas du JSON valide"),
        (
            fichier(objet({"code_iris": "490070101", "nom": "Roseraie"})),
            "iris.geojson",
            "objet 1 (Roseraie)\u00a0: commune 49007 hors de votre territoire",
        ),
    ],
)
def test_envoi_refuse(client_de, contenu, nom, message):
    reponse = _envoyer(client_de("coordinateur"), contenu, nom=nom)
    assert reponse.status_code == 400
    assert message in html.unescape(reponse.content.decode())
    assert not Contour.objects.tous().exists()


@pytest.mark.django_db
def test_envoi_du_staff_partout(client_de):
    reponse = _envoyer(
        client_de("staff"), fichier(objet({"code_iris": "490070101", "nom": "Roseraie"}))
    )
    assert reponse.status_code == 302
    assert Contour.objects.tous().get().commune_id == "49007"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["elu", "conseiller", "referent"])
def test_envoi_refuse_aux_autres_roles(client_de, role):
    reponse = _envoyer(
        client_de(role), fichier(objet({"code_iris": "721810101", "nom": "Bellevue"}))
    )
    assert reponse.status_code == 403
    assert not Contour.objects.tous().exists()
