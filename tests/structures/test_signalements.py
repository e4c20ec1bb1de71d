"""The back-office list of the public's error reports: whoever keeps a site handles them."""

import html

import pytest
from django.urls import reverse

from structures.models import Signalement
from tests.structures.factories import LieuFactory
from tests.structures.test_gestion import lieu_le_mans_du_referent

pytestmark = pytest.mark.django_db

LISTE = reverse("structures:signalements")


@pytest.fixture
def signalements(geographie):
    du_referent = lieu_le_mans_du_referent(geographie)
    autre_du_mans = LieuFactory(commune=geographie["le_mans"], nom="Mairie annexe")
    angers = LieuFactory(commune=geographie["angers_commune"], nom="Bibliothèque d'Angers")
    return {
        "referent": Signalement.objects.create(lieu=du_referent, message="Horaires faux"),
        "mans": Signalement.objects.create(lieu=autre_du_mans, message="Adresse\nincomplète"),
        "traite": Signalement.objects.create(lieu=autre_du_mans, message="Vu", statut="traite"),
        "angers": Signalement.objects.create(lieu=angers, message="Fermé"),
    }


def _vus(reponse) -> set[int]:
    return {s.pk for s in reponse.context["page"]}


def test_chacun_voit_les_signalements_des_lieux_qu_il_tient(client_de, signalements):
    s = signalements
    assert _vus(client_de("coordinateur").get(LISTE)) == {s["referent"].pk, s["mans"].pk}
    assert _vus(client_de("referent").get(LISTE)) == {s["referent"].pk}
    assert _vus(client_de("coordinateur_autre_territoire").get(LISTE)) == {s["angers"].pk}
    traites = client_de("coordinateur").get(LISTE, {"statut": "traite"})
    assert _vus(traites) == {s["traite"].pk}
    tous = client_de("coordinateur").get(LISTE, {"statut": "tous"})
    assert _vus(tous) == {s["referent"].pk, s["mans"].pk, s["traite"].pk}


def test_marquer_comme_traite(client_de, signalements):
    client = client_de("coordinateur")
    page = html.unescape(client.get(LISTE).content.decode())
    assert "2 signalements" in page and "Adresse<br>incomplète" in page
    url = reverse("structures:traiter_signalement", args=[signalements["mans"].pk])
    reponse = client.post(url, follow=True)
    assert "Le signalement sur «\u202fMairie annexe\u202f» est traité." in html.unescape(
        reponse.content.decode()
    )
    assert Signalement.objects.tous().get(pk=signalements["mans"].pk).statut == "traite"
    again = client.post(url, follow=True)
    assert "Ce signalement était déjà traité." in html.unescape(again.content.decode())
    # another territory's report does not exist for this coordinator
    angers = reverse("structures:traiter_signalement", args=[signalements["angers"].pk])
    assert client.post(angers).status_code == 404
    assert Signalement.objects.tous().get(pk=signalements["angers"].pk).statut == "nouveau"
