import pytest
from django.urls import reverse

from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_espace_coordination_montre_son_territoire_seulement(client_de, comptes, geographie):
    reponse = client_de("coordinateur").get(reverse("comptes:espace_coordination"))
    contenu = reponse.content.decode()
    assert "CU Le Mans Métropole" in contenu
    assert "Yvré-l&#x27;Évêque" in contenu
    assert "Angers" not in contenu
    assert comptes["conseiller"].email in contenu
    assert comptes["coordinateur_autre_territoire"].email not in contenu
    assert reponse.context["nombre_communes"] == 2
    assert reponse.context["population"] == 145004 + 4181
    assert reponse.context["nombre_zones"] == 2


def test_espace_coordination_nombre_de_requetes_constant(
    client_de, comptes, geographie, django_assert_num_queries
):
    client = client_de("coordinateur")
    client.get(reverse("comptes:espace_coordination"))
    for _ in range(10):
        UserFactory(territoires=[geographie["metropole"]])
    # session, user, territories (perimeter), territories (display), totals, zones,
    # accounts, communes; what waits: requests, conventions, error reports, advisors
    # without a report for 30 days, invitations without answer, imports that failed
    with django_assert_num_queries(14):
        client.get(reverse("comptes:espace_coordination"))


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("conseiller", "comptes:espace_conseiller"),
        ("referent", "comptes:espace_structure"),
        ("elu", "comptes:espace_elu"),
    ],
)
def test_espaces_montrent_la_coordination(
    client_de, comptes, role, url, django_assert_max_num_queries
):
    client = client_de(role)
    with django_assert_max_num_queries(8):
        reponse = client.get(reverse(url))
    contenu = reponse.content.decode()
    assert comptes["coordinateur"].email in contenu
    assert comptes["coordinateur_autre_territoire"].email not in contenu


def test_compte_sans_territoire(client, db):
    client.force_login(UserFactory(role="elu"))
    contenu = client.get(reverse("comptes:espace_elu")).content.decode()
    assert "Aucun territoire ne vous est encore rattaché" in contenu


def test_l_espace_structure_dit_quelle_structure_il_represente(client_de, comptes, geographie):
    from tests.structures.factories import StructureFactory

    client = client_de("referent")
    vide = client.get(reverse("comptes:espace_structure")).content.decode()
    assert "Aucune structure ne vous est encore rattachée" in vide
    StructureFactory(
        nom="CCAS du Mans", commune=geographie["le_mans"], referents=[comptes["referent"]]
    )
    StructureFactory(
        nom="Médiathèque Aragon", commune=geographie["le_mans"], referents=[comptes["referent"]]
    )
    StructureFactory(nom="Maison de quartier", commune=geographie["le_mans"])
    page = client.get(reverse("comptes:espace_structure")).content.decode()
    assert (
        "Vous représentez <strong>CCAS du Mans</strong> (Le Mans) et "
        "<strong>Médiathèque Aragon</strong> (Le Mans)." in page
    )
    assert "Maison de quartier" not in page
