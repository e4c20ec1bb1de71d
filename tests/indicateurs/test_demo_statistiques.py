"""The demo's monthly statistics: two years of snapshots, equal to the reports' figures."""

import io

import pytest
from django.core.management import call_command

from comptes.models import User
from conseillers.models import Activite
from indicateurs.models import AxeStatistique, StatistiqueMensuelle
from indicateurs.statistiques import dernier_mois_clos, mois_suivant

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


def test_l_api_rend_les_chiffres_des_activites(demo, client):
    elu = User.objects.get(email="elu@demo.test")
    client.force_login(elu)
    mois = dernier_mois_clos()
    reponse = client.get(
        "/api/v1/statistiques/mensuelles/", {"du": f"{mois:%Y-%m}", "au": f"{mois:%Y-%m}"}
    )
    assert reponse.status_code == 200
    total = reponse.json()["total"]
    attendu = (
        Activite.objects.pour(elu).visibles().filter(date__gte=mois, date__lt=mois_suivant(mois))
    ).chiffres()
    for nom in ("accompagnements", "personnes_accompagnees", "ateliers", "demandes_ponctuelles"):
        assert total[nom] == attendu[nom] > 0
    assert total["beneficiaires_suivis"] == attendu["beneficiaires_suivis"]
