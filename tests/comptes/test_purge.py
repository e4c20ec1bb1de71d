"""Retention of accounts: unused for longer than COMPTES_CONSERVATION_MOIS, an account is
deleted; what it entered stays without author; the technical team is kept."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings as reglages
from django.core.management import CommandError, call_command
from django.utils import timezone

from comptes.enums import Role
from comptes.models import User
from comptes.purge import purger_comptes_inactifs
from conseillers.models import Activite, Conseiller
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory

pytestmark = pytest.mark.django_db


def _il_y_a(jours: int):
    return timezone.now() - dt.timedelta(days=jours)


@pytest.fixture
def comptes_dates(geographie):
    return {
        "actif": UserFactory(last_login=_il_y_a(40), date_joined=_il_y_a(2000)),
        "ancien": UserFactory(
            role=Role.REFERENT, last_login=_il_y_a(800), date_joined=_il_y_a(900)
        ),
        "jamais": UserFactory(role=Role.ELU, last_login=None, date_joined=_il_y_a(800)),
        "recent": UserFactory(role=Role.ELU, last_login=None, date_joined=_il_y_a(10)),
        "staff": UserFactory(
            role="", is_staff=True, last_login=_il_y_a(2000), date_joined=_il_y_a(2000)
        ),
    }


def test_purge_des_comptes_inactifs(comptes_dates, geographie):
    conseiller_user = UserFactory(last_login=_il_y_a(1000), date_joined=_il_y_a(1100))
    profil = ConseillerFactory(commune=geographie["le_mans"], user=conseiller_user)
    activite = ActiviteFactory(conseiller=profil, cree_par=conseiller_user)

    simulation = purger_comptes_inactifs(simulation=True)
    assert simulation.nombre == 3 and User.objects.count() == 6
    resultat = purger_comptes_inactifs()
    assert resultat.nombre == 3
    restants = set(User.objects.values_list("email", flat=True))
    assert restants == {comptes_dates[c].email for c in ("actif", "recent", "staff")}
    # the advisor's profile and its report stay, without login nor author
    profil.refresh_from_db()
    assert profil.user is None
    assert Activite.objects.tous().get(pk=activite.pk).cree_par is None
    assert Conseiller.objects.tous().count() == 1


def test_commande_et_tache(comptes_dates, monkeypatch):
    sortie = io.StringIO()
    call_command("purger_comptes", "--dry-run", stdout=sortie)
    assert "2 comptes sans connexion depuis le" in sortie.getvalue()
    assert "simulation, rien n'a été modifié" in sortie.getvalue()
    assert User.objects.count() == 5
    with pytest.raises(CommandError, match="au moins un mois"):
        call_command("purger_comptes", "--mois", "0")
    from comptes.tasks import purger_comptes_inactifs as tache

    assert tache.apply().get().startswith("2 comptes sans connexion")
    assert User.objects.count() == 3
    taches = {e["task"] for e in reglages.CELERY_BEAT_SCHEDULE.values()}
    assert "comptes.tasks.purger_comptes_inactifs" in taches


def test_duree_reglable(comptes_dates, settings):
    settings.COMPTES_CONSERVATION_MOIS = 60
    assert purger_comptes_inactifs(simulation=True).nombre == 0
    assert purger_comptes_inactifs(mois=1, simulation=True).nombre == 3  # actif: 40 days


def test_la_purge_efface_l_historique_du_compte(comptes_dates):
    """The audit trail of an account (its names and address) goes with it."""
    ancien, actif = comptes_dates["ancien"], comptes_dates["actif"]
    ancien.nom = "Ancien nom"
    ancien.save()
    assert User.history.filter(id=ancien.pk).exists()
    purger_comptes_inactifs()
    assert not User.history.filter(id=ancien.pk).exists()
    assert not User.history.filter(email=ancien.email).exists()
    assert User.history.filter(id=actif.pk).exists()
