"""The migration of the error reports' follow-up keeps the reports: « traité » becomes
« corrigé » (closed when received), « nouveau » stays; and it goes back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

AVANT = [("structures", "0005_signalements_notifies")]
APRES = [("structures", "0006_signalements_suivi")]


def _migrer(cible):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cible)
    return executor.loader.project_state(cible).apps


def test_traite_devient_corrige(geographie):
    from tests.structures.factories import LieuFactory

    lieu = LieuFactory(commune=geographie["le_mans"])
    executor = MigrationExecutor(connection)
    feuilles = executor.loader.graph.leaf_nodes()
    try:
        apps = _migrer(AVANT)
        Signalement = apps.get_model("structures", "Signalement")
        traite = Signalement._base_manager.create(lieu_id=lieu.pk, message="Vu", statut="traite")
        nouveau = Signalement._base_manager.create(lieu_id=lieu.pk, message="Faux")
        apps = _migrer(APRES)
        Signalement = apps.get_model("structures", "Signalement")
        apres = Signalement._base_manager.get(pk=traite.pk)
        assert apres.statut == "corrige" and apres.clos_le == apres.cree_le
        assert Signalement._base_manager.get(pk=nouveau.pk).statut == "nouveau"
        Signalement._base_manager.filter(pk=nouveau.pk).update(statut="en_cours")
        apps = _migrer(AVANT)
        Signalement = apps.get_model("structures", "Signalement")
        assert Signalement._base_manager.get(pk=traite.pk).statut == "traite"
        assert Signalement._base_manager.get(pk=nouveau.pk).statut == "nouveau"
    finally:
        _migrer(feuilles)
