"""``/api/v1/activites/`` (scoped CRUD, French validation, soft delete) and
``/api/v1/conseillers/`` (coordination, filters)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conseillers.enums import Canal, SourceActivite, Thematique, TypeActivite
from conseillers.models import Activite
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db

LISTE = "/api/v1/activites/"
CONSEILLERS = "/api/v1/conseillers/"
HIER = timezone.localdate() - dt.timedelta(days=1)


def _detail(activite) -> str:
    return reverse("api:activite-detail", args=[activite.pk])


@pytest.fixture
def reseau(comptes, geographie):
    """The logged-in advisor (Le Mans, one site), a colleague, an advisor of Angers."""
    lieu = LieuFactory(
        nom="Médiathèque Aragon", commune=geographie["le_mans"], zone=geographie["zones"][0]
    )
    moi = ConseillerFactory(user=comptes["conseiller"], commune=geographie["le_mans"], lieux=[lieu])
    collegue = ConseillerFactory(
        email="collegue@exemple.test", nom="Collègue", commune=geographie["yvre"]
    )
    angevin = ConseillerFactory(
        email="angevin@exemple.test", nom="Angevin", commune=geographie["angers_commune"]
    )
    return {
        "lieu": lieu,
        "moi": moi,
        "collegue": collegue,
        "angevin": angevin,
        "a_moi": ActiviteFactory(conseiller=moi),
        "au_collegue": ActiviteFactory(conseiller=collegue, type=TypeActivite.PONCTUEL),
        "a_angers": ActiviteFactory(conseiller=angevin),
    }


def _donnees(**autres) -> dict:
    donnees = {
        "date": HIER.isoformat(),
        "duree_minutes": 45,
        "type": "individuel",
        "canal": "distance",
        "thematiques": ["email", "navigation_internet"],
        "materiel": ["telephone"],
        "autonomie": "partiellement_autonome",
    }
    donnees.update(autres)
    return donnees


# -- an advisor's CRUD ------------------------------------------------------------------


def test_un_conseiller_cree_lit_modifie_et_supprime_son_activite(client_de, reseau):
    client = client_de("conseiller")
    reponse = client.post(
        LISTE,
        _donnees(
            canal="lieu_activite",
            lieu=reseau["lieu"].pk,
            conseiller=reseau["collegue"].pk,  # ignored: always the advisor's own profile
            source="import",  # read-only
            age_60_69=1,
            statut_retraite=1,
        ),
        content_type="application/json",
    )
    assert reponse.status_code == 201, reponse.json()
    creee = reponse.json()
    assert creee["conseiller"] == reseau["moi"].pk
    assert creee["source"] == "api"
    assert creee["commune"] == "72181"  # derived from the site
    assert creee["zone"] == reseau["lieu"].zone_id
    assert creee["thematiques"] == ["navigation_internet", "email"]  # vocabulary order
    activite = Activite.objects.tous().get(pk=creee["id"])
    assert activite.conseiller == reseau["moi"]
    assert activite.source == SourceActivite.API
    assert activite.cree_par == reseau["moi"].user
    assert activite.history.first().history_user == reseau["moi"].user

    assert client.get(_detail(activite)).json()["duree_minutes"] == 45

    complet = _donnees(duree_minutes=90, type="collectif", nb_participants=8, autonomie="")
    complet.update(age_60_69=8, statut_retraite=8, commune=None)
    complet.update(titre_atelier="Premiers pas sur la tablette", niveau_atelier="debutant")
    reponse = client.put(_detail(activite), complet, content_type="application/json")
    assert reponse.status_code == 200, reponse.json()
    assert reponse.json()["nb_participants"] == 8
    assert reponse.json()["commune"] is None  # at distance now: no site, no commune
    assert reponse.json()["source"] == "api"

    reponse = client.patch(_detail(activite), {"notes": "Revenir"}, content_type="application/json")
    assert reponse.status_code == 200
    activite.refresh_from_db()
    assert (activite.notes, activite.duree_minutes, activite.titre_atelier) == (
        "Revenir",
        90,
        "Premiers pas sur la tablette",
    )

    assert client.delete(_detail(activite)).status_code == 204
    activite.refresh_from_db()
    assert activite.supprime_le is not None  # soft delete: still in the table
    assert activite.history.first().history_change_reason == "suppression"
    assert client.get(_detail(activite)).status_code == 404
    assert (
        client.patch(_detail(activite), {"notes": "x"}, content_type="application/json").status_code
        == 404
    )
    assert activite.pk not in [a["id"] for a in client.get(LISTE).json()["results"]]


def test_beneficiaires_suivis_du_conseiller_seulement(client_de, reseau):
    client = client_de("conseiller")
    mien = BeneficiaireFactory(conseiller=reseau["moi"])
    autre = BeneficiaireFactory(conseiller=reseau["collegue"])
    reponse = client.post(LISTE, _donnees(beneficiaires=[mien.pk]), content_type="application/json")
    assert reponse.status_code == 201, reponse.json()
    assert reponse.json()["beneficiaires"] == [mien.pk]
    mien.refresh_from_db()
    assert mien.derniere_activite == HIER

    reponse = client.post(
        LISTE, _donnees(beneficiaires=[autre.pk]), content_type="application/json"
    )
    assert reponse.status_code == 400
    assert reponse.json()["beneficiaires"] == [
        f"Le bénéficiaire « {autre.pk} » ne fait pas partie des personnes que vous suivez."
    ]


def test_un_lieu_de_mise_a_disposition_est_un_lieu_d_activite(client_de, reseau, geographie):
    mise = MiseADispositionFactory(
        structure__commune=geographie["yvre"], conseillers=[reseau["moi"]]
    )
    reponse = client_de("conseiller").post(
        LISTE, _donnees(canal="lieu_activite", lieu=mise.lieu_id), content_type="application/json"
    )
    assert reponse.status_code == 201, reponse.json()
    assert reponse.json()["commune"] == "72386"


# -- validation: the model's rules, in French, per field --------------------------------


@pytest.mark.parametrize(
    ("modifications", "champ", "message"),
    [
        (
            {"type": "individuel", "nb_participants": 3},
            "nb_participants",
            "Un accompagnement individuel ou une demande ponctuelle concerne une seule personne.",
        ),
        (
            {"type": "collectif", "nb_participants": 101, "autonomie": ""},
            "nb_participants",
            "Assurez-vous que cette valeur est inférieure ou égale à 100.",
        ),
        (
            {"thematiques": ["logement", "email"]},
            "thematiques",
            "Les thèmes de démarches (logement, impôts…) vont avec la thématique "
            "« démarches administratives ».",
        ),
        (
            {"date": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
            "date",
            "La date ne peut pas être dans le futur.",
        ),
        (
            {"date": "2019-12-31"},
            "date",
            "La date ne peut pas être antérieure au 1er janvier 2020.",
        ),
        (
            {"age_25_39": 1, "age_40_59": 1},
            "age_moins_12",
            "La répartition par âge totalise 2 au lieu de 1 participant(s)\u00a0: corrigez-la ou "
            "laissez-la vide.",
        ),
        ({"canal": "autre_lieu"}, "commune", "Choisissez la commune de l'activité."),
        ({"canal": "lieu_activite"}, "lieu", "Choisissez le lieu de l'activité."),
        (
            {"type": "ponctuel"},
            "autonomie",
            "L'autonomie ne se note que pour un accompagnement individuel.",
        ),
        ({"thematiques": []}, "thematiques", "Cette sélection ne peut être vide."),
        (
            {"thematiques": ["astrologie"]},
            "thematiques",
            "«\u00a0astrologie\u00a0» n'est pas un choix valide.",
        ),
    ],
)
def test_erreurs_de_validation_en_francais(client_de, reseau, modifications, champ, message):
    avant = Activite.objects.tous().count()
    reponse = client_de("conseiller").post(
        LISTE, _donnees(**modifications), content_type="application/json"
    )
    assert reponse.status_code == 400
    assert message in reponse.json()[champ], reponse.json()
    assert Activite.objects.tous().count() == avant


def test_le_lieu_doit_etre_un_lieu_d_activite_du_conseiller(client_de, reseau, geographie):
    ailleurs = LieuFactory(commune=geographie["le_mans"], nom="Lieu d'un autre")
    reponse = client_de("conseiller").post(
        LISTE, _donnees(canal="lieu_activite", lieu=ailleurs.pk), content_type="application/json"
    )
    assert reponse.status_code == 400
    assert reponse.json()["lieu"] == [
        f"Le lieu « {ailleurs.pk} » ne fait pas partie de vos lieux d'activité."
    ]


def test_la_commune_doit_etre_dans_le_territoire_du_conseiller(client_de, reseau, geographie):
    """As the form: an advisor of Le Mans Métropole cannot record an activity in Angers
    through the API; a commune of its territory is accepted."""
    avant = Activite.objects.tous().count()
    client = client_de("conseiller")
    reponse = client.post(LISTE, _donnees(commune="49007"), content_type="application/json")
    assert reponse.status_code == 400
    assert reponse.json()["commune"] == ["La commune « 49007 » n'est pas dans votre territoire."]
    reponse = client.patch(
        _detail(reseau["a_moi"]), {"commune": "49007"}, content_type="application/json"
    )
    assert reponse.status_code == 400
    assert Activite.objects.tous().count() == avant
    reponse = client.post(LISTE, _donnees(commune="72386"), content_type="application/json")
    assert reponse.status_code == 201, reponse.json()
    assert reponse.json()["commune"] == "72386"


def test_une_modification_invalide_ne_change_rien(client_de, reseau):
    activite = reseau["a_moi"]
    reponse = client_de("conseiller").patch(
        _detail(activite), {"nb_participants": 4, "notes": "x"}, content_type="application/json"
    )
    assert reponse.status_code == 400
    assert "nb_participants" in reponse.json()
    activite.refresh_from_db()
    assert (activite.nb_participants, activite.notes) == (1, "")


# -- scoping, role by role --------------------------------------------------------------

VISIBLES = {
    "conseiller": {"a_moi"},
    "coordinateur": {"a_moi", "au_collegue"},
    "coordinateur_autre_territoire": {"a_angers"},
    "referent": set(),
    "elu": set(),
    "staff": {"a_moi", "au_collegue", "a_angers"},
}


@pytest.mark.parametrize("role", sorted(VISIBLES))
def test_chaque_role_lit_son_perimetre(client_de, reseau, role):
    client = client_de(role)
    reponse = client.get(LISTE)
    assert reponse.status_code == 200
    attendues = {reseau[nom].pk for nom in VISIBLES[role]}
    assert {a["id"] for a in reponse.json()["results"]} == attendues
    for nom in ("a_moi", "au_collegue", "a_angers"):
        statut = client.get(_detail(reseau[nom])).status_code
        assert statut == (200 if nom in VISIBLES[role] else 404), (nom, statut)


def test_anonyme_401(client, reseau):
    assert client.get(LISTE).status_code == 401
    assert client.get(_detail(reseau["a_moi"])).status_code == 401
    assert client.post(LISTE, _donnees(), content_type="application/json").status_code == 401


@pytest.mark.parametrize("role", ["coordinateur", "referent", "elu"])
def test_les_autres_roles_n_ecrivent_pas(client_de, reseau, role):
    client = client_de(role)
    reponse = client.post(LISTE, _donnees(), content_type="application/json")
    assert reponse.status_code == 403
    assert "seuls les conseillers numériques enregistrent" in reponse.json()["detail"]
    for methode in (client.patch, client.put):
        reponse = methode(
            _detail(reseau["au_collegue"]), {"notes": "x"}, content_type="application/json"
        )
        assert reponse.status_code == 403
    assert client.delete(_detail(reseau["au_collegue"])).status_code == 403
    assert Activite.objects.tous().visibles().count() == 3
    reseau["au_collegue"].refresh_from_db()
    assert reseau["au_collegue"].notes == ""


def test_un_conseiller_ne_touche_pas_aux_activites_d_un_autre(client_de, reseau):
    client = client_de("conseiller")
    cible = _detail(reseau["au_collegue"])
    assert client.patch(cible, {"notes": "x"}, content_type="application/json").status_code == 404
    assert client.delete(cible).status_code == 404
    assert Activite.objects.tous().get(pk=reseau["au_collegue"].pk).supprime_le is None


def test_staff_corrige_mais_ne_cree_pas(client_de, reseau):
    client = client_de("staff")
    reponse = client.patch(
        _detail(reseau["a_angers"]), {"duree_minutes": 60}, content_type="application/json"
    )
    assert reponse.status_code == 200
    assert reponse.json()["conseiller"] == reseau["angevin"].pk
    reponse = client.post(LISTE, _donnees(), content_type="application/json")
    assert reponse.status_code == 403
    assert reponse.json()["detail"] == (
        "Seuls les conseillers numériques créent des activités, pour leur propre profil."
    )


# -- filters, paging, queries -----------------------------------------------------------


def test_filtres(client_de, reseau, geographie):
    moi = reseau["moi"]
    atelier = ActiviteFactory(
        conseiller=moi,
        date=dt.date(2025, 3, 10),
        type=TypeActivite.COLLECTIF,
        nb_participants=6,
        canal=Canal.AUTRE_LIEU,
        commune=geographie["yvre"],
        thematiques=[Thematique.INTELLIGENCE_ARTIFICIELLE],
    )
    client = client_de("coordinateur")

    def ids(**parametres):
        return {a["id"] for a in client.get(LISTE, parametres).json()["results"]}

    assert ids(du="2025-03-01", au="2025-03-31") == {atelier.pk}
    assert ids(type="collectif") == {atelier.pk}
    assert ids(type="ponctuel") == {reseau["au_collegue"].pk}
    assert ids(canal="autre_lieu") == {atelier.pk}
    assert ids(thematique="intelligence_artificielle") == {atelier.pk}
    assert ids(commune="72386") == {atelier.pk}
    assert ids(conseiller=reseau["collegue"].pk) == {reseau["au_collegue"].pk}
    assert ids(conseiller=reseau["angevin"].pk) == set()  # another territory: nothing

    reponse = client.get(LISTE, {"type": "inconnu", "du": "hier"})
    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in reponse.json()["type"][0]
    assert "Saisissez une date valide" in reponse.json()["du"][0]


def test_pagination(client_de, reseau):
    ActiviteFactory.create_batch(100, conseiller=reseau["moi"])
    premiere = client_de("conseiller").get(LISTE).json()
    assert premiere["count"] == 101
    assert len(premiere["results"]) == 100
    assert "page=2" in premiere["next"]


@pytest.mark.parametrize("nombre", [1, 20])
def test_nombre_de_requetes_constant(client_de, reseau, django_assert_num_queries, nombre):
    beneficiaire = BeneficiaireFactory(conseiller=reseau["moi"])
    for activite in ActiviteFactory.create_batch(nombre, conseiller=reseau["moi"]):
        activite.beneficiaires.add(beneficiaire)
    client = client_de("conseiller")
    client.get(LISTE)
    # session, user, count, page, beneficiaries
    with django_assert_num_queries(5):
        assert client.get(LISTE).status_code == 200


# -- the advisors' list -----------------------------------------------------------------


def test_conseillers_pour_la_coordination(client_de, reseau):
    reseau["moi"].competences = [Thematique.INTELLIGENCE_ARTIFICIELLE]
    reseau["moi"].save()
    reseau["collegue"].thematiques_favorites = [Thematique.INTELLIGENCE_ARTIFICIELLE]
    reseau["collegue"].save()
    ancienne = reseau["au_collegue"]
    ancienne.date = timezone.localdate() - dt.timedelta(days=45)
    ancienne.save()
    client = client_de("coordinateur")

    reponse = client.get(CONSEILLERS)
    assert reponse.status_code == 200
    par_id = {c["id"]: c for c in reponse.json()["results"]}
    assert set(par_id) == {reseau["moi"].pk, reseau["collegue"].pk}
    moi = par_id[reseau["moi"].pk]
    assert moi["derniere_activite"] == HIER.isoformat()
    assert moi["competences"] == ["intelligence_artificielle"]
    assert moi["commune"] == "72181"
    assert moi["lieux"] == [reseau["lieu"].pk]
    assert moi["a_un_compte"] is True
    assert par_id[reseau["collegue"].pk]["a_un_compte"] is False

    def ids(**parametres):
        return {c["id"] for c in client.get(CONSEILLERS, parametres).json()["results"]}

    assert ids(competence="intelligence_artificielle") == {
        reseau["moi"].pk,
        reseau["collegue"].pk,
    }
    assert ids(competence="logement") == set()
    assert ids(inactifs=30) == {reseau["collegue"].pk}
    assert ids(inactifs=60) == set()
    reponse = client.get(CONSEILLERS, {"inactifs": "0", "competence": "x"})
    assert reponse.status_code == 400
    assert "supérieure ou égale à 1" in reponse.json()["inactifs"][0]
    assert "Sélectionnez un choix valide" in reponse.json()["competence"][0]

    detail_angevin = reverse("api:conseiller-detail", args=[reseau["angevin"].pk])
    assert client.get(detail_angevin).status_code == 404
    autre = client_de("coordinateur_autre_territoire")  # the same client, logged in again
    assert [c["id"] for c in autre.get(CONSEILLERS).json()["results"]] == [reseau["angevin"].pk]
    assert autre.get(detail_angevin).status_code == 200


@pytest.mark.parametrize(
    ("role", "statut"),
    [("anonyme", 401), ("conseiller", 403), ("referent", 403), ("elu", 403), ("staff", 200)],
)
def test_conseillers_reserves_a_la_coordination(client_de, reseau, role, statut):
    reponse = client_de(role).get(CONSEILLERS)
    assert reponse.status_code == statut
    if statut == 403:
        assert "réservée à la coordination" in reponse.json()["detail"]
    if role == "staff":
        assert reponse.json()["count"] == 3


def test_schema_decrit_les_activites(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert {"/api/v1/activites/", "/api/v1/activites/{id}/", "/api/v1/conseillers/"} <= set(
        schema["paths"]
    )
    composants = schema["components"]["schemas"]
    competences = composants["Conseiller"]["properties"]["competences"]
    assert competences["items"]["$ref"] == "#/components/schemas/ThematiquesEnum"
    assert "intelligence_artificielle" in composants["ThematiquesEnum"]["enum"]
    parametres = {p["name"] for p in schema["paths"]["/api/v1/activites/"]["get"]["parameters"]}
    assert {"du", "au", "type", "canal", "thematique", "commune", "conseiller"} <= parametres


def test_les_notes_ne_sont_lues_que_par_leur_auteur(client_de, reseau):
    """An advisor's free-text notes: its own in the API; never for the coordination nor
    the technical team (docs/securite.md, « Décisions »)."""
    reseau["a_moi"].notes = "Rappeler jeudi pour le dossier CAF."
    reseau["a_moi"].save(update_fields=["notes"])
    mienne = client_de("conseiller").get(_detail(reseau["a_moi"])).json()
    assert mienne["notes"] == "Rappeler jeudi pour le dossier CAF."
    for role in ("coordinateur", "staff"):
        lue = client_de(role).get(_detail(reseau["a_moi"])).json()
        assert "notes" not in lue, role
        liste = client_de(role).get(LISTE).json()["results"]
        assert all("notes" not in activite for activite in liste), role


def test_une_activite_saisie_ne_vide_pas_le_cache_des_pages_publiques(client_de, reseau):
    """An advisor's report changes no public site: the cached searches stay valid (the
    load test's advisors post while the public searches)."""
    from structures import cache_public

    avant = cache_public.generation()
    client = client_de("conseiller")
    reponse = client.post(
        LISTE,
        _donnees(canal="lieu_activite", lieu=reseau["lieu"].pk),
        content_type="application/json",
    )
    assert reponse.status_code == 201, reponse.json()
    assert cache_public.generation() == avant
    # a change of a site does move it on
    reseau["lieu"].save()
    assert cache_public.generation() != avant
