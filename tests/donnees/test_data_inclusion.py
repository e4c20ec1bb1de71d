"""The sites and their services in the data·inclusion schema, checked against the
schema's own published models (``data-inclusion-schema``)."""

import datetime as dt
import json

import pytest
from data_inclusion.schema import v1
from django.urls import reverse
from django.utils import timezone

from structures.enums import (
    Frais,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Programme,
    Public,
    Service,
    Typologie,
)
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

SOURCE = "inclusion-numerique-le-mans-metropole"


@pytest.fixture(autouse=True)
def _territoire(settings):
    settings.PORTAIL_TERRITOIRE = "Le Mans Métropole"
    settings.PORTAIL_URL = "https://inclusion.exemple.fr"


@pytest.fixture
def mediatheque(geographie):
    structure = StructureFactory(
        nom="Ville du Mans", pivot="21720181000017", commune=geographie["le_mans"]
    )
    return LieuFactory(
        nom="Médiathèque Louis-Aragon",
        structure=structure,
        commune=geographie["le_mans"],
        telephone="+33243000101|+33243000102",
        courriels="mediatheque@lemans.fr",
        site_web="https://www.lemans.fr/mediatheques",
        typologies=[Typologie.BIB, Typologie.CCAS],
        programmes=[Programme.CONSEILLERS_NUMERIQUES, Programme.FRANCE_SERVICES],
        services=[Service.DEMARCHES, Service.ACCES_MATERIEL, Service.MATERIEL_SOLIDAIRE],
        publics=[Public.SENIORS, Public.JEUNES],
        prise_en_charge=[PriseEnCharge.SURDITE, PriseEnCharge.ILLETTRISME],
        frais=[Frais.GRATUIT_SOUS_CONDITION],
        modalites_acces=[ModaliteAcces.TELEPHONER, ModaliteAcces.RDV_EN_LIGNE],
        modalites_accompagnement=[
            ModaliteAccompagnement.COLLECTIF,
            ModaliteAccompagnement.DISTANCE,
        ],
        prise_rdv="https://rdv.lemans.fr/mediatheque",
        presentation_detail="Postes en libre accès, Wi-Fi et ateliers d'initiation.",
    )


def _charger(client, genre):
    reponse = client.get(reverse(f"donnees:data_inclusion_{genre}"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json"
    return json.loads(reponse.content)


def test_chaque_lieu_est_une_structure_valide(client, mediatheque):
    structures = _charger(client, "structures")
    assert len(structures) == 1
    structure = structures[0]
    # the schema's own model reads it back without an error
    v1.Structure.model_validate(structure)
    assert structure["source"] == SOURCE
    assert structure["id"] == f"{SOURCE}--{mediatheque.pk}"
    assert structure["nom"] == "Médiathèque Louis-Aragon"
    assert structure["siret"] == "21720181000017"
    assert structure["code_insee"] == "72181"
    assert structure["telephone"] == "+33243000101"  # one number, as the schema wants
    assert structure["courriel"] == "mediatheque@lemans.fr"
    assert structure["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-17:30"
    assert structure["lien_source"] == f"https://inclusion.exemple.fr/lieux/{mediatheque.pk}/"
    assert structure["reseaux_porteurs"] == [
        "ccas-cias",
        "conseillers-numeriques",
        "france-service",
    ]


def test_chaque_service_du_lieu_est_un_service_valide(client, mediatheque):
    services = {s["id"].rsplit("--", 1)[1]: s for s in _charger(client, "services")}
    assert set(services) == {"demarches", "acces_materiel", "materiel_solidaire"}
    for service in services.values():
        v1.Service.model_validate(service)
        assert service["structure_id"] == f"{SOURCE}--{mediatheque.pk}"
        assert service["frais"] == "gratuit"
        assert service["frais_precisions"] == "Gratuit sous condition"
        assert service["publics"] == ["jeunes", "personnes-en-situation-de-handicap", "seniors"]
        assert service["publics_precisions"] == "Surdité, Illettrisme"
        assert service["modes_accueil"] == ["a-distance", "en-presentiel"]
        assert service["modes_mobilisation"] == ["telephoner", "utiliser-lien-mobilisation"]
        assert service["lien_mobilisation"] == "https://rdv.lemans.fr/mediatheque"
        assert service["mobilisable_par"] == ["usagers"]
    assert services["demarches"]["thematiques"] == ["numerique--acceder-a-des-services-en-ligne"]
    assert services["demarches"]["type"] == "atelier"  # collective only
    assert services["demarches"]["nom"] == "Aide aux démarches administratives"
    assert services["demarches"]["description"] == (
        "Aide aux démarches administratives. Lieu\u00a0: Médiathèque Louis-Aragon, Le Mans. "
        "Modalités\u00a0: dans un atelier collectif, à distance."
    )
    assert services["acces_materiel"]["thematiques"] == [
        "numerique--acceder-a-une-connexion-internet"
    ]
    assert services["materiel_solidaire"]["type"] == "aide-materielle"
    assert services["materiel_solidaire"]["thematiques"] == ["numerique--acquerir-un-equipement"]


def test_sans_public_precise_tous_publics_et_sur_prescription_les_professionnels(
    client, geographie
):
    LieuFactory(
        commune=geographie["le_mans"],
        modalites_acces=[ModaliteAcces.PRESCRIPTION, ModaliteAcces.RDV_EN_LIGNE],
        modalites_accompagnement=[ModaliteAccompagnement.INDIVIDUEL],
    )
    service = _charger(client, "services")[0]
    assert service["publics"] == ["tous-publics"]
    assert service["mobilisable_par"] == ["professionnels", "usagers"]
    # an online appointment without its link: nothing to follow
    assert service["modes_mobilisation"] == ["envoyer-un-courriel"]
    assert service["type"] == "accompagnement"


def test_ce_que_le_schema_refuse_est_laisse_de_cote(client, geographie):
    trop_court = LieuFactory(nom="EP", commune=geographie["le_mans"])
    demain = LieuFactory(
        nom="Espace numérique de demain",
        commune=geographie["le_mans"],
        fiche_acces_libre="https://",
        date_maj=timezone.localdate() + dt.timedelta(days=3),
        structure=StructureFactory(pivot="W723000123", commune=geographie["le_mans"]),
    )
    structures = _charger(client, "structures")
    # a name of 2 characters: the structure and its services are left out
    assert [s["id"] for s in structures] == [f"{SOURCE}--{demain.pk}"]
    assert not [
        s for s in _charger(client, "services") if s["structure_id"].endswith(f"--{trop_court.pk}")
    ]
    # an optional field refused is left out of a record that is kept
    assert "accessibilite_lieu" not in structures[0]
    # a date in the future (a slip in a source file) is today's
    assert structures[0]["date_maj"] == timezone.localdate().isoformat()
    # an RNA number is not a SIRET
    assert "siret" not in structures[0]


def test_requetes_conditionnelles_et_catalogue(client, mediatheque):
    adresse = reverse("donnees:data_inclusion_services")
    premiere = client.get(adresse)
    assert client.get(adresse, HTTP_IF_NONE_MATCH=premiere["ETag"]).status_code == 304
    catalogue = json.loads(client.get(reverse("donnees:catalogue")).content)
    annuaire = next(j for j in catalogue["dcat:dataset"] if j["dct:identifier"] == "annuaire")
    assert {
        d["dcat:downloadURL"]["@id"].rsplit("/", 1)[1] for d in annuaire["dcat:distribution"]
    } == {
        "structures.json",
        "services.json",
    }
