"""The demo's monthly statistics: two years of snapshots, equal to the reports' figures."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from comptes.models import User
from conseillers.enums import TypeActivite
from conseillers.models import Activite
from indicateurs.statistiques.calcul import dernier_mois_clos, mois_precedent, mois_suivant
from indicateurs.statistiques.models import AxeStatistique, StatistiqueMensuelle

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The real geography and the demo, once for the module."""
    with django_db_blocker.unblock():
        call_command("import_territoires", verbosity=0)
        sortie = io.StringIO()
        call_command("load_demo", stdout=sortie)
    yield sortie.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


def test_vingt_quatre_mois_d_instantanes(demo):
    assert "Statistiques calculées pour 24 mois" in demo
    mois = set(
        StatistiqueMensuelle.objects.tous()
        .filter(axe=AxeStatistique.TERRITOIRE)
        .values_list("mois", flat=True)
    )
    assert len(mois) == 24
    assert max(mois) == dernier_mois_clos()
    # every axis is there
    axes = set(StatistiqueMensuelle.objects.tous().values_list("axe", flat=True))
    assert axes == set(AxeStatistique.values)


@pytest.mark.parametrize("rang", [0, 11, 23])  # the first, a middle and the last closed month
def test_l_api_rend_les_chiffres_des_activites(demo, client, rang):
    elu = User.objects.get(email="elu@demo.test")
    client.force_login(elu)
    mois = dernier_mois_clos()
    for _ in range(23 - rang):
        mois = mois_precedent(mois)
    reponse = client.get(
        "/api/v1/statistiques/mensuelles/", {"du": f"{mois:%Y-%m}", "au": f"{mois:%Y-%m}"}
    )
    assert reponse.status_code == 200
    total = reponse.json()["total"]
    # counted from the reports directly, without the statistics' aggregation
    activites = Activite.objects.pour(elu).filter(
        date__gte=mois, date__lt=mois_suivant(mois), supprime_le__isnull=True
    )
    sommes = activites.aggregate(p=Sum("nb_participants"), r=Sum("nb_participants_recurrents"))
    ateliers = activites.filter(type=TypeActivite.COLLECTIF)
    attendu = {
        "accompagnements": sommes["p"],
        "accompagnements_recurrents": sommes["r"],
        "personnes_accompagnees": sommes["p"] - sommes["r"],
        "ateliers": ateliers.count(),
        "participants_ateliers": ateliers.aggregate(p=Sum("nb_participants"))["p"],
        "accompagnements_individuels": activites.filter(type=TypeActivite.INDIVIDUEL).count(),
        "demandes_ponctuelles": activites.filter(type=TypeActivite.PONCTUEL).count(),
        "duree_minutes": activites.aggregate(d=Sum("duree_minutes"))["d"],
    }
    assert {nom: total[nom] for nom in attendu} == attendu
    assert min(attendu.values()) > 0
    suivis = Activite.beneficiaires.through.objects.filter(activite__in=activites)
    assert total["beneficiaires_suivis"] == suivis.values("beneficiaire").distinct().count()
