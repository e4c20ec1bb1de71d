"""The workshops' part of ``load_demo``: a catalogue, conventions in every state, requests at
each step, closed sessions turned into reports; twice, nothing added."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ateliers import services
from ateliers.enums import StatutDemande, StatutFiche
from ateliers.models import Animation, Convention, DemandeAtelier, FicheAtelier, SessionAtelier
from comptes.models import User
from tests.conseillers.test_demo import territoires  # noqa: F401 (module fixture)


def etat():
    return (
        sorted(FicheAtelier.objects.tous().values_list("titre", "statut", "version")),
        sorted(DemandeAtelier.objects.tous().values_list("version__fiche__titre", "statut")),
        Convention.objects.tous().count(),
        SessionAtelier.objects.tous().count(),
        Animation.objects.filter(activite__isnull=False).count(),
    )


@pytest.mark.django_db
def test_load_demo_ateliers(territoires, capsys, monkeypatch, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("inclusion.management.commands.load_demo.MOIS_DEMO", 1)
    call_command("load_demo")
    premier = etat()
    call_command("load_demo")
    sortie = capsys.readouterr().out
    assert etat() == premier
    assert "ateliers\u00a0: 11 fiches, 5 conventions, 9 demandes" in sortie
    assert "le catalogue de démonstration est déjà chargé" in sortie

    fiches, demandes, *_ = premier
    assert len(fiches) == 11
    assert sum(statut == StatutFiche.BROUILLON for _, statut, _ in fiches) == 1
    assert ("Déjouer les arnaques en ligne", StatutFiche.PUBLIEE, 2) in fiches
    assert {statut for _, statut in demandes} == set(StatutDemande.values)
    # the request made before the sheet was republished keeps its version
    etude = DemandeAtelier.objects.tous().get(version__fiche__titre="Déjouer les arnaques en ligne")
    assert etude.version.numero == 1
    assert {c.statut for c in Convention.objects.tous()} == {
        "brouillon",
        "signée",
        "expirée",
    }
    assert all(c.document.name.endswith(".pdf") for c in Convention.objects.tous() if c.signee_le)
    # held workshops became collective reports; a full one shows demand to schedule again
    for animation in Animation.objects.filter(activite__isnull=False).select_related("activite"):
        assert animation.activite.type == "collectif"
        assert animation.activite.nb_participants >= 1
    assert services.demande_a_reprogrammer(DemandeAtelier.objects.tous())[0].en_attente == 3
    # the demo referent follows its structure's requests
    referent = User.objects.get(email="structure@demo.test")
    from ateliers.permissions import demandes_visibles

    assert demandes_visibles(referent).count() >= 5
    assert services.conventions_a_rappeler().count() == 1  # the City's, ending in 20 days
