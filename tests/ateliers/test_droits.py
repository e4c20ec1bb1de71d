"""Defence in depth: each workshop service given the acting user (``par=``) refuses an
actor without the right, with PermissionDenied and nothing written, whatever the view did
or forgot; the actors with the right go through. ``par=None`` (jobs, demonstration,
imports) is not checked: the other tests of tests/ateliers/ call the services so.

Besides the roles of tests/conftest.py: a referent of another structure and an advisor
who does not run the session.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ateliers import services
from ateliers.enums import StatutDemande, StatutFiche
from ateliers.models import Animation, DemandeAtelier
from comptes.enums import Role
from tests.ateliers.conftest import prochain
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import ConseillerFactory
from tests.test_formulaires_hostiles import _ecarts, _etat

pytestmark = pytest.mark.django_db

ACTEURS = [
    "conseiller",  # runs the sessions (Camille)
    "referent",  # of the requesting structure
    "coordinateur",
    "coordinateur_autre_territoire",
    "elu",
    "staff",
    "autre_conseiller",
    "autre_referent",
]


def sauf(*permis: str) -> list[str]:
    return [acteur for acteur in ACTEURS if acteur not in permis]


@pytest.fixture
def acteurs(comptes, geographie, atelier):
    autre_conseiller = UserFactory(role=Role.CONSEILLER, territoires=[geographie["metropole"]])
    ConseillerFactory(commune=geographie["le_mans"], user=autre_conseiller)
    return {
        **comptes,
        "autre_conseiller": autre_conseiller,
        "autre_referent": UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]]),
    }


@pytest.fixture
def planifiee(atelier, demande):
    """Planned with Camille; its session took place, with two registrants."""
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    session = demande.sessions.get()
    session.debut = timezone.now() - dt.timedelta(hours=3)
    session.fin = timezone.now() - dt.timedelta(hours=1)
    session.save(update_fields=["debut", "fin"])
    Animation.objects.filter(session=session).update(debut=session.debut, fin=session.fin)
    for nom in ("Ali B.", "Rose C."):
        services.inscrire(demande, nom)
    return DemandeAtelier.objects.tous().get(pk=demande.pk)


def refuse(appel) -> None:
    avant = _etat()
    with pytest.raises(PermissionDenied):
        appel()
    assert _ecarts(avant, _etat()) == {}


def _nouvelle(atelier) -> services.NouvelleDemande:
    return services.NouvelleDemande(
        structure=atelier["structure"],
        version=atelier["version"],
        lieu=atelier["lieu"],
        creneaux=[prochain(2, 10)],
        participants_attendus=5,
        public="seniors",
    )


def _decider(nom: str, demande, atelier, par):
    if nom == "etudier":
        return services.etudier(demande, par=par)
    if nom == "refuser":
        return services.refuser(demande, motif="Aucune salle.", par=par)
    return services.planifier(
        demande, debut=prochain(1, 14), conseillers=[atelier["dominique"]], par=par
    )


# -- requests ------------------------------------------------------------------------------


@pytest.mark.parametrize("acteur", sauf("referent"))
def test_deposer_une_demande(atelier, acteurs, acteur):
    refuse(lambda: services.deposer_demande(_nouvelle(atelier), par=acteurs[acteur]))


def test_le_referent_depose(atelier, acteurs):
    services.deposer_demande(_nouvelle(atelier), par=acteurs["referent"])


@pytest.mark.parametrize("acteur", sauf("coordinateur", "staff"))
@pytest.mark.parametrize("nom", ["etudier", "refuser", "planifier"])
def test_decider_d_une_demande(demande, atelier, acteurs, nom, acteur):
    refuse(lambda: _decider(nom, demande, atelier, acteurs[acteur]))


@pytest.mark.parametrize("acteur", ["coordinateur", "staff"])
@pytest.mark.parametrize("nom", ["etudier", "refuser", "planifier"])
def test_la_coordination_decide(demande, atelier, acteurs, nom, acteur):
    _decider(nom, demande, atelier, acteurs[acteur])
    assert DemandeAtelier.objects.tous().get(pk=demande.pk).statut != StatutDemande.SOUMISE


def test_reserver_un_conseiller_d_un_autre_territoire(demande, geographie, acteurs):
    angevin = ConseillerFactory(commune=geographie["angers_commune"])
    refuse(
        lambda: services.planifier(
            demande, debut=prochain(1, 14), conseillers=[angevin], par=acteurs["coordinateur"]
        )
    )


@pytest.mark.parametrize("acteur", sauf("referent", "coordinateur", "staff"))
def test_annuler(demande, acteurs, acteur):
    refuse(lambda: services.annuler(demande, motif="", par=acteurs[acteur]))


@pytest.mark.parametrize("acteur", ["referent", "coordinateur", "staff"])
def test_la_structure_et_la_coordination_annulent(demande, acteurs, acteur):
    services.annuler(demande, motif="Travaux.", par=acteurs[acteur])
    assert DemandeAtelier.objects.tous().get(pk=demande.pk).statut == StatutDemande.ANNULEE


# -- sessions ------------------------------------------------------------------------------

SUIVENT = ("conseiller", "referent", "coordinateur", "staff")
ANIMENT = ("conseiller", "coordinateur", "staff")


@pytest.mark.parametrize("acteur", sauf(*SUIVENT))
def test_inscrire_et_desinscrire(planifiee, acteurs, acteur):
    refuse(lambda: services.inscrire(planifiee, "Zoé D.", par=acteurs[acteur]))
    inscrit = planifiee.participants.first()
    refuse(lambda: services.desinscrire(inscrit, par=acteurs[acteur]))


@pytest.mark.parametrize("acteur", SUIVENT)
def test_ceux_qui_suivent_l_atelier_inscrivent(planifiee, acteurs, acteur):
    inscrit = services.inscrire(planifiee, "Zoé D.", par=acteurs[acteur])
    services.desinscrire(inscrit, par=acteurs[acteur])


@pytest.mark.parametrize("acteur", sauf(*ANIMENT))
def test_presences_et_cloture(planifiee, acteurs, acteur):
    session = planifiee.sessions.get()
    presents = list(planifiee.participants.values_list("pk", flat=True))
    refuse(
        lambda: services.enregistrer_presences(session, participants=presents, par=acteurs[acteur])
    )
    services.enregistrer_presences(session, participants=presents, par=None)
    refuse(lambda: services.cloturer_session(session, par=acteurs[acteur]))


@pytest.mark.parametrize("acteur", ANIMENT)
def test_les_animateurs_et_la_coordination_cloturent(planifiee, acteurs, acteur):
    session = planifiee.sessions.get()
    presents = list(planifiee.participants.values_list("pk", flat=True))
    services.enregistrer_presences(session, participants=presents, par=acteurs[acteur])
    (activite,) = services.cloturer_session(session, par=acteurs[acteur])
    assert activite.cree_par == acteurs[acteur]  # Camille's report, whoever closed


# -- catalogue -----------------------------------------------------------------------------


@pytest.mark.parametrize("acteur", sauf("coordinateur", "staff"))
def test_publier_et_archiver_une_fiche(atelier, acteurs, acteur):
    fiche = atelier["fiche"]
    fiche.objectifs = "Une nouvelle version."
    fiche.save()
    refuse(lambda: services.publier_fiche(fiche, par=acteurs[acteur]))
    refuse(lambda: services.archiver_fiche(fiche, par=acteurs[acteur]))


@pytest.mark.parametrize("acteur", ["coordinateur", "staff"])
def test_la_coordination_publie_et_archive(atelier, acteurs, acteur):
    fiche = atelier["fiche"]
    fiche.objectifs = "Une nouvelle version."
    fiche.save()
    assert services.publier_fiche(fiche, par=acteurs[acteur]).numero == 2
    services.archiver_fiche(fiche, par=acteurs[acteur])
    fiche.refresh_from_db()
    assert fiche.statut == StatutFiche.ARCHIVEE
