"""The coordination space's « À faire aujourd'hui »: each count within the coordinator's
territory, each linking to the list where it is done."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import services as services_ateliers
from structures.models import Signalement
from tests.ateliers.conftest import atelier, demande  # noqa: F401 (fixtures)
from tests.ateliers.factories import ConventionFactory
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

AUJOURD_HUI = timezone.localdate()


def _taches(client_de, role) -> dict[str, tuple[int, str]]:
    reponse = client_de(role).get(reverse("comptes:espace_coordination"))
    assert reponse.status_code == 200
    return {t.singulier: (t.nombre, t.url) for t in reponse.context["taches"]}


@pytest.fixture
def a_faire(atelier, demande, geographie, comptes):  # noqa: F811
    g = geographie
    # a second request, already in study
    autre = services_ateliers.deposer_demande(
        services_ateliers.NouvelleDemande(
            structure=atelier["structure"],
            version=atelier["version"],
            lieu=atelier["lieu"],
            creneaux=[timezone.now() + dt.timedelta(days=9)],
            participants_attendus=4,
            public="seniors",
        ),
        par=comptes["referent"],
    )
    services_ateliers.etudier(autre, par=comptes["coordinateur"])
    # conventions: one ends in 20 days, one in 90, one ended; one of Angers ends in 10
    for fin in (20, 90, -5):
        ConventionFactory(
            structure=StructureFactory(commune=g["le_mans"]),
            debut=AUJOURD_HUI - dt.timedelta(days=300),
            fin=AUJOURD_HUI + dt.timedelta(days=fin),
        )
    angers = StructureFactory(commune=g["angers_commune"])
    ConventionFactory(
        structure=angers,
        debut=AUJOURD_HUI - dt.timedelta(days=300),
        fin=AUJOURD_HUI + dt.timedelta(days=10),
    )
    # error reports: two new and one handled in Le Mans, one new in Angers
    lieu = atelier["lieu"]
    Signalement.objects.create(lieu=lieu, message="Horaires faux")
    Signalement.objects.create(lieu=lieu, message="Téléphone faux")
    Signalement.objects.create(lieu=lieu, message="Réglé", statut="corrige")
    Signalement.objects.create(lieu=lieu, message="Vu", statut="en_cours")
    Signalement.objects.create(
        lieu=LieuFactory(commune=g["angers_commune"], structure=angers), message="Adresse"
    )
    # advisors: Camille and Dominique (Le Mans) have no report; one active of Yvré does,
    # one of Angers has none
    ActiviteFactory(conseiller=ConseillerFactory(commune=g["yvre"]), date=AUJOURD_HUI)
    ConseillerFactory(commune=g["angers_commune"])


def test_chaque_compte_dans_son_territoire(client_de, a_faire):
    taches = _taches(client_de, "coordinateur")
    assert taches["demande d'atelier à étudier"][0] == 1
    assert taches["demande en étude à planifier ou refuser"][0] == 1
    assert taches["convention de partenariat échue dans 60\u00a0jours"][0] == 1
    assert taches["signalement d'erreur du public à traiter"][0] == 2
    assert taches["signalement d'erreur en cours"][0] == 1
    assert taches["conseiller sous contrat sans activité depuis 30\u00a0jours"][0] == 2
    angers = _taches(client_de, "coordinateur_autre_territoire")
    # …, and the imports that failed (none)
    assert [nombre for nombre, _ in angers.values()] == [0, 0, 1, 0, 1, 1, 0, 0]
    staff = _taches(client_de, "staff")
    assert staff["signalement d'erreur du public à traiter"][0] == 3
    assert staff["convention de partenariat échue dans 60\u00a0jours"][0] == 2


def test_chaque_compte_mene_a_sa_liste_filtree(client_de, a_faire):
    client = client_de("coordinateur")
    taches = _taches(client_de, "coordinateur")
    page = html.unescape(client.get(reverse("comptes:espace_coordination")).content.decode())
    assert "Signalements d'erreur du public à traiter" in page
    assert "Demande d'atelier à étudier" in page  # 1: singular
    soumises = client.get(taches["demande d'atelier à étudier"][1])
    assert [d.statut for d in soumises.context["demandes"]] == ["soumise"]
    conventions = client.get(taches["convention de partenariat échue dans 60\u00a0jours"][1])
    assert [c.fin for c in conventions.context["conventions"]] == [
        AUJOURD_HUI + dt.timedelta(days=20)
    ]
    signalements = client.get(taches["signalement d'erreur du public à traiter"][1])
    assert signalements.context["page"].paginator.count == 2
    inactifs = client.get(taches["conseiller sous contrat sans activité depuis 30\u00a0jours"][1])
    assert "Dominique" in inactifs.content.decode()


def test_le_menu_mene_a_chaque_fonction(client_de, comptes):
    page = client_de("coordinateur").get(reverse("comptes:espace_coordination")).content.decode()
    debut = page.index('id="menu-coordination"')
    menu = page[debut : page.index("</nav>", debut)]
    for nom in (
        "structures:gestion_lieux",
        "structures:creer_lieu",
        "structures:signalements",
        "conseillers:gestion_conseillers",
        "conseillers:creer_conseiller",
        "conseillers:competences_conseillers",
        "conseillers:mises_a_disposition",
        "ateliers:demandes",
        "ateliers:planification",
        "ateliers:seances",
        "ateliers:catalogue",
        "ateliers:conventions",
        "indicateurs:tableau_de_bord",
        "indicateurs:couverture",
        "indicateurs:indice",
        "comptes:jetons",
    ):
        assert f'href="{reverse(nom)}"' in menu, nom


def test_l_equipe_technique_n_est_pas_renvoyee_a_elle_meme(client_de):
    page = client_de("staff").get(reverse("comptes:espace_coordination")).content.decode()
    assert "contactez l&#x27;équipe technique" not in page
    assert "tous les territoires du portail" in page
