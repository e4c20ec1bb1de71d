"""``/api/v1/lieux/``: public reading, filters, GeoJSON, scoped writing."""

import pytest
from django.urls import reverse

from structures.enums import Itinerance, Service
from structures.models import Creneau, Lieu
from tests.structures.factories import ArretFactory, LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

LISTE = "/api/v1/lieux/"


def _detail(lieu) -> str:
    return reverse("api:lieu-detail", args=[lieu.pk])


@pytest.fixture
def lieu_le_mans(geographie):
    return LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"])


@pytest.fixture
def lieu_angers(geographie):
    return LieuFactory(
        nom="Maison Angers",
        commune=geographie["angers_commune"],
        code_postal="49000",
        latitude=47.47,
        longitude=-0.55,
        services=[Service.LOISIRS],
    )


def test_lecture_publique(client, lieu_le_mans, lieu_angers):
    reponse = client.get(LISTE)
    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["count"] == 2
    premier = donnees["results"][1]
    assert premier["nom"] == "Médiathèque Aragon"
    assert premier["commune"] == "72181"
    assert premier["commune_nom"] == "Le Mans"
    assert premier["services"] == ["demarches", "outils_quotidien"]
    assert premier["url"] == f"http://testserver/lieux/{lieu_le_mans.pk}/"
    detail = client.get(_detail(lieu_le_mans)).json()
    assert detail["structure_nom"] == lieu_le_mans.structure.nom
    assert client.get(reverse("api:lieu-detail", args=[999999])).status_code == 404


def test_memes_filtres_que_la_page(client, lieu_le_mans, lieu_angers):
    bus = LieuFactory(
        nom="Bus numérique",
        commune=lieu_angers.commune,
        code_postal="49000",
        itinerance=[Itinerance.ITINERANT],
    )
    ArretFactory(lieu=bus, commune=lieu_le_mans.commune)

    def noms(**parametres):
        return sorted(lieu["nom"] for lieu in client.get(LISTE, parametres).json()["results"])

    assert noms(commune="Le Mans") == ["Bus numérique", "Médiathèque Aragon"]
    assert noms(commune="49000") == ["Bus numérique", "Maison Angers"]
    assert noms(services="loisirs") == ["Maison Angers"]
    assert noms(itinerant="true") == ["Bus numérique"]
    assert noms(q="aragon", gratuit="1", services="demarches") == ["Médiathèque Aragon"]
    par_distance = client.get(LISTE, {"commune": "Angers", "tri": "distance"}).json()
    # the bus stands at 48.0061, 0.1996, right next to the commune's point (48.0, 0.2)
    assert par_distance["results"][0]["nom"] == "Bus numérique"


def test_filtre_invalide_400_en_francais(client, lieu_le_mans):
    reponse = client.get(LISTE, {"services": "inconnu", "commune": "Zzzyx"})
    assert reponse.status_code == 400
    erreurs = reponse.json()
    assert "Sélectionnez un choix valide" in erreurs["services"][0]
    assert "Aucune commune ne correspond à « Zzzyx »" in erreurs["commune"][0]


def test_pagination(client, geographie):
    LieuFactory.create_batch(105, commune=geographie["le_mans"])
    premiere = client.get(LISTE).json()
    assert premiere["count"] == 105
    assert len(premiere["results"]) == 100
    assert "page=2" in premiere["next"]
    assert len(client.get(premiere["next"]).json()["results"]) == 5


@pytest.mark.parametrize("nombre", [2, 25])
def test_nombre_de_requetes_constant(client, geographie, django_assert_num_queries, nombre):
    for lieu in LieuFactory.create_batch(nombre, commune=geographie["le_mans"]):
        ArretFactory(lieu=lieu)
    # count, page, stops (with their communes)
    with django_assert_num_queries(3):
        assert client.get(LISTE).status_code == 200
    with django_assert_num_queries(5):  # + the commune of the filter, the sites stopping there
        client.get(LISTE, {"commune": "Le Mans", "services": "demarches", "gratuit": "1"})


def test_la_liste_ecrit_chaque_lieu_comme_sa_fiche(client, lieu_le_mans, lieu_angers):
    """The list writes its rows from the columns' values: each is what the serializer
    writes for the site (its page in the API), every field and stop alike."""
    bus = LieuFactory(
        nom="Bus numérique « Clic » & co",
        commune=lieu_angers.commune,
        code_postal="49000",
        latitude=None,
        longitude=None,
        itinerance=[Itinerance.ITINERANT],
        services=[Service.LOISIRS, Service.DEMARCHES],
        publics=["seniors", "jeunes"],
        frais=[],
        horaires="",
        telephone="+33243474747|+33243000105",
        courriels="a@exemple.fr|b@exemple.fr",
        presentation_detail="Deux lignes\net une autre",
        wifi_public=True,
        mediateur_present=False,
    )
    ArretFactory(lieu=bus, nom="Zénith", commune=lieu_le_mans.commune)
    ArretFactory(lieu=bus, nom="Arche", commune=lieu_angers.commune, latitude=None, longitude=None)
    liste = client.get(LISTE).json()["results"]
    assert len(liste) == 3
    for ligne in liste:
        fiche = client.get(reverse("api:lieu-detail", args=[ligne["id"]])).json()
        assert ligne == fiche
        assert list(ligne) == list(fiche)  # the same order of the keys too
    du_bus = next(ligne for ligne in liste if ligne["id"] == bus.pk)
    assert [a["nom"] for a in du_bus["arrets"]] == ["Arche", "Zénith"]
    assert du_bus["latitude"] is None and du_bus["wifi_public"] is True


def test_geojson(client, lieu_le_mans, lieu_angers):
    LieuFactory(commune=lieu_le_mans.commune, latitude=None, longitude=None)
    for reponse in (
        client.get(LISTE, {"format": "geojson"}),
        client.get(LISTE, HTTP_ACCEPT="application/geo+json"),
    ):
        assert reponse.status_code == 200
        assert reponse["Content-Type"].startswith("application/geo+json")
        collection = reponse.json()
        assert collection["type"] == "FeatureCollection"
        assert collection["count"] == 3
        entite = next(f for f in collection["features"] if f["id"] == lieu_le_mans.pk)
        assert entite["type"] == "Feature"
        assert entite["geometry"] == {"type": "Point", "coordinates": [0.1996, 48.0061]}
        assert entite["properties"]["nom"] == "Médiathèque Aragon"
        assert entite["properties"]["commune_nom"] == "Le Mans"
        assert entite["properties"]["services"] == ["demarches", "outils_quotidien"]
        assert "latitude" not in entite["properties"]
        assert any(f["geometry"] is None for f in collection["features"])
    filtre = client.get(LISTE, {"format": "geojson", "services": "loisirs"}).json()
    assert [f["properties"]["nom"] for f in filtre["features"]] == ["Maison Angers"]
    un = client.get(_detail(lieu_le_mans), {"format": "geojson"}).json()
    assert un["type"] == "Feature" and un["id"] == lieu_le_mans.pk


# -- writing ------------------------------------------------------------------------


def _patch(client, lieu, donnees):
    return client.patch(_detail(lieu), donnees, content_type="application/json")


def test_anonyme_ne_modifie_pas(client, lieu_le_mans):
    assert _patch(client, lieu_le_mans, {"nom": "Piraté"}).status_code == 401
    assert client.delete(_detail(lieu_le_mans)).status_code == 401
    assert client.post(LISTE, {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("role", ["conseiller", "elu"])
def test_roles_sans_ecriture_403_en_francais(client_de, lieu_le_mans, role):
    reponse = _patch(client_de(role), lieu_le_mans, {"nom": "Modifié"})
    assert reponse.status_code == 403
    assert "ne permet pas de modifier des lieux" in reponse.json()["detail"]
    Lieu.objects.tous().get(nom="Médiathèque Aragon")


def test_coordinateur_modifie_son_territoire(client_de, lieu_le_mans):
    reponse = _patch(
        client_de("coordinateur"),
        lieu_le_mans,
        {"nom": "Médiathèque Louis-Aragon", "horaires": "Sa 10:00-12:00", "publics": ["seniors"]},
    )
    assert reponse.status_code == 200, reponse.json()
    lieu = Lieu.objects.tous().get(pk=lieu_le_mans.pk)
    assert lieu.nom == "Médiathèque Louis-Aragon"
    assert lieu.publics == ["seniors"]
    # the week's slots follow the new hours
    assert list(Creneau.objects.filter(lieu=lieu).values_list("jour", "debut", "fin")) == [
        (5, 600, 720)
    ]


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("site_web", "javascript:alert(document.cookie)", "n'est pas une adresse web valide"),
        ("site_web", "https://exemple.fr|data:text/html,x", "n'est pas une adresse web valide"),
        ("telephone", "appelez le standard", "n'est pas un numéro de téléphone valide"),
        ("courriels", "accueil@exemple.fr|pas une adresse", "pas une adresse électronique"),
        ("nom", "Médiathèque\r\nBcc: tous@exemple.fr", "sur une seule ligne"),
        ("nom", "Médiathèque\x1b[31m", "sur une seule ligne"),
    ],
)
def test_l_api_valide_comme_le_formulaire(client_de, lieu_le_mans, champ, valeur, message):
    """The API goes through the same checks as the form and the import: no ``javascript:``
    link on the public page, no free text as a phone number, one line for a name."""
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    reponse = _patch(client_de("coordinateur"), lieu_le_mans, {champ: valeur})
    assert reponse.status_code == 400
    assert message in str(reponse.json()[champ])
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant


def test_l_api_ecrit_le_telephone_au_format_du_standard(client_de, lieu_le_mans):
    reponse = _patch(
        client_de("coordinateur"), lieu_le_mans, {"telephone": "02 43 47 47 47|+33 6 12 34 56 78"}
    )
    assert reponse.status_code == 200, reponse.json()
    assert reponse.json()["telephone"] == "+33243474747|+33612345678"


def test_coordinateur_d_un_autre_territoire_ne_modifie_pas_le_mans(client_de, lieu_le_mans):
    client = client_de("coordinateur_autre_territoire")
    assert _patch(client, lieu_le_mans, {"nom": "Piraté"}).status_code == 404
    assert client.delete(_detail(lieu_le_mans)).status_code == 404
    assert Lieu.objects.tous().get(pk=lieu_le_mans.pk).nom == "Médiathèque Aragon"
    # but still reads it, like everybody
    assert client.get(_detail(lieu_le_mans)).status_code == 200


def test_referent_ne_modifie_que_les_lieux_de_sa_structure(client_de, comptes, geographie):
    sienne = StructureFactory(commune=geographie["le_mans"])
    sienne.referents.add(comptes["referent"])
    le_sien = LieuFactory(commune=geographie["le_mans"], structure=sienne)
    autre = LieuFactory(commune=geographie["le_mans"])
    client = client_de("referent")
    assert _patch(client, le_sien, {"telephone": "+33243474747"}).status_code == 200
    assert _patch(client, autre, {"telephone": "+33243474747"}).status_code == 404
    assert Lieu.objects.tous().get(pk=autre.pk).telephone == ""
    # it cannot move its site to a structure that is not its own
    reponse = _patch(client, le_sien, {"structure": autre.structure_id})
    assert reponse.status_code == 400
    assert "n'existe pas" in reponse.json()["structure"][0]


def test_validation_par_le_modele_en_francais(client_de, lieu_le_mans):
    client = client_de("coordinateur")
    reponse = _patch(
        client,
        lieu_le_mans,
        {"horaires": "lundi matin", "code_postal": "72", "services": [], "latitude": 48.0},
    )
    assert reponse.status_code == 400
    erreurs = reponse.json()
    assert "Horaires illisibles au format OpenStreetMap" in erreurs["horaires"][0]
    assert erreurs["code_postal"] == ["Le code postal doit compter 5 chiffres."]
    assert "services" in erreurs
    inchange = Lieu.objects.tous().get(pk=lieu_le_mans.pk)
    assert inchange.horaires == lieu_le_mans.horaires
    reponse = _patch(client, lieu_le_mans, {"services": ["inconnu"]})
    assert reponse.status_code == 400
    assert "n'est pas un choix valide" in reponse.json()["services"][0]


def test_creation_dans_son_territoire(client_de, lieu_le_mans, geographie):
    client = client_de("coordinateur")
    donnees = {
        "structure": lieu_le_mans.structure_id,
        "identifiant": "nouveau-1",
        "nom": "Nouvel espace",
        "adresse": "3 rue de Bretagne",
        "code_postal": "72000",
        "commune": "72181",
        "services": ["demarches"],
        "horaires": "Mo 09:00-12:00",
    }
    reponse = client.post(LISTE, donnees, content_type="application/json")
    assert reponse.status_code == 201, reponse.json()
    lieu = Lieu.objects.tous().get(identifiant="nouveau-1")
    assert Creneau.objects.filter(lieu=lieu).count() == 1
    # twice the same identifier of the same source: the model's uniqueness, in French
    reponse = client.post(LISTE, donnees, content_type="application/json")
    assert reponse.status_code == 400
    assert "existe déjà" in str(reponse.json())
    # out of its territory: Angers is not among its communes
    ailleurs = {**donnees, "identifiant": "nouveau-2", "commune": "49007", "code_postal": "49000"}
    reponse = client.post(LISTE, ailleurs, content_type="application/json")
    assert reponse.status_code == 400
    assert "commune" in reponse.json()


def test_staff_supprime(client_de, lieu_angers):
    assert client_de("staff").delete(_detail(lieu_angers)).status_code == 204
    assert not Lieu.objects.tous().filter(pk=lieu_angers.pk).exists()


def test_schema_openapi_decrit_les_lieux(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    liste = schema["paths"]["/api/v1/lieux/"]["get"]
    noms = {parametre["name"] for parametre in liste["parameters"]}
    assert {"q", "commune", "services", "gratuit", "ouvert", "tri", "page"} <= noms
    assert {"get", "put", "patch", "delete"} <= set(schema["paths"]["/api/v1/lieux/{id}/"])


def test_un_point_loin_de_sa_commune_est_refuse(client_de, lieu_le_mans):
    """A site of Le Mans placed in Angers (or at 0,0) is refused with the distance, by the
    model: the API and the form alike."""
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    from territoires.models import Commune

    Commune.objects.filter(pk="72181").update(latitude=48.0061, longitude=0.1996)
    reponse = _patch(
        client_de("coordinateur"), lieu_le_mans, {"latitude": 47.47, "longitude": -0.55}
    )
    assert reponse.status_code == 400
    assert "km du centre de Le Mans" in str(reponse.json()["latitude"])
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant
    proche = _patch(client_de("coordinateur"), lieu_le_mans, {"latitude": 48.02, "longitude": 0.21})
    assert proche.status_code == 200, proche.json()


def test_un_lieu_mal_place_n_est_pas_une_offre_ailleurs(geographie):
    """points_plausibles: a site whose point lies far from its commune is left out of the
    coverage offers and of the index map; overseas communes and sites without point stay."""
    from territoires.models import Commune

    Commune.objects.filter(pk="72181").update(latitude=48.0061, longitude=0.1996)
    Commune.objects.filter(pk="49007").update(latitude=47.4784, longitude=-0.5632)
    bien = LieuFactory(commune=geographie["le_mans"], latitude=48.01, longitude=0.2)
    # an Angers site whose point was typed in Le Mans
    egare = LieuFactory(
        commune=geographie["angers_commune"], code_postal="49000", latitude=48.0, longitude=0.2
    )
    sans_point = LieuFactory(commune=geographie["angers_commune"], latitude=None, longitude=None)
    gardes = set(Lieu.objects.tous().points_plausibles().values_list("pk", flat=True))
    assert gardes == {bien.pk, sans_point.pk}
    assert egare.pk not in gardes


def test_un_code_de_commune_avec_un_nul_est_refuse_sans_erreur_serveur(client_de, lieu_le_mans):
    """Found by schemathesis: a NUL in a commune's code reached PostgreSQL (DataError, 500)."""
    reponse = _patch(client_de("coordinateur"), lieu_le_mans, {"commune": "72\x00181"})
    assert reponse.status_code == 400
    assert "commune" in reponse.json()


def test_un_code_postal_que_la_commune_n_a_pas_est_refuse(client_de, lieu_le_mans):
    """400 with a French message naming the commune's postal codes; nothing written."""
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    reponse = _patch(client_de("coordinateur"), lieu_le_mans, {"code_postal": "49000"})
    assert reponse.status_code == 400
    assert reponse.json()["code_postal"] == [
        "Le code postal 49000 n'est pas celui du Mans (72000, 72100)\u00a0: corrigez le code "
        "postal ou la commune."
    ]
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant
    loin = _patch(
        client_de("coordinateur"), lieu_le_mans, {"latitude": -22.23, "longitude": 166.52}
    )
    assert loin.status_code == 400
    assert loin.json()["latitude"] == [
        "Ce point est à 16\u202f902\u00a0km du centre de Le Mans (30\u00a0km au plus)\u00a0: "
        "vérifiez la commune ou les coordonnées."
    ]
    bon = _patch(client_de("coordinateur"), lieu_le_mans, {"code_postal": "72100"})
    assert bon.status_code == 200, bon.json()


def test_un_point_hors_du_contour_de_sa_commune_est_refuse(client_de, geographie, lieu_le_mans):
    """Where the commune's outline is known (fixtures/geo), the point must lie inside it
    (2 km of tolerance): a site of Yvré-l'Évêque placed in the centre of Le Mans is
    refused, though within 30 km of Yvré's centre."""
    import json

    from django.conf import settings

    from indicateurs.enums import Niveau
    from indicateurs.models import Contour

    geojson = json.loads(
        (settings.BASE_DIR / "fixtures" / "geo" / "communes-72.geojson").read_text("utf-8")
    )
    for entite in geojson["features"]:
        if entite["properties"]["code_insee"] in ("72386", "72181"):
            Contour.objects.create(
                niveau=Niveau.COMMUNE,
                code=entite["properties"]["code_insee"],
                nom=entite["properties"]["nom"],
                commune_id=entite["properties"]["code_insee"],
                geometrie=entite["geometry"],
            )
    lieu_le_mans.commune = geographie["yvre"]
    lieu_le_mans.code_postal = "72530"
    lieu_le_mans.save()
    reponse = _patch(
        client_de("coordinateur"), lieu_le_mans, {"latitude": 48.0061, "longitude": 0.1996}
    )
    assert reponse.status_code == 400
    assert reponse.json()["latitude"] == [
        "Ce point est à 3\u00a0km hors du contour d'Yvré-l'Évêque (2\u00a0km au plus)\u00a0: "
        "vérifiez la commune ou les coordonnées."
    ]
    dedans = _patch(client_de("coordinateur"), lieu_le_mans, {"latitude": 48.02, "longitude": 0.27})
    assert dedans.status_code == 200, dedans.json()


def test_filtre_commune_par_code_d_arrondissement_ou_d_ancienne_commune(client, geographie):
    """``commune=`` takes a municipal district's or a former commune's code and searches
    today's commune, as the imports resolve them; an unknown code gets a French error."""
    from territoires.enums import TypeZone
    from territoires.models import AncienneCommune
    from tests.territoires.factories import ZoneFactory

    le_mans = geographie["le_mans"]
    ZoneFactory(commune=le_mans, type=TypeZone.ARRONDISSEMENT, code="72199", nom="Centre")
    AncienneCommune.objects.create(
        code_insee="72999", nom="Ancienne", type="deleguee", commune=le_mans
    )
    dans_la_commune = LieuFactory(commune=le_mans)
    LieuFactory(commune=geographie["yvre"])
    for code in ("72181", "72199", "72999"):
        reponse = client.get("/api/v1/lieux/", {"commune": code})
        assert reponse.status_code == 200, (code, reponse.content)
        assert [lieu["id"] for lieu in reponse.json()["results"]] == [dans_la_commune.pk], code
    reponse = client.get("/api/v1/lieux/", {"commune": "72998"})
    assert reponse.status_code == 400
    assert "Aucune commune ne correspond à « 72998 »" in reponse.json()["commune"][0]
