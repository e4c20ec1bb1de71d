"""Rows of the access matrix (tests/test_acces.py) for the workshop pages.

The agenda is public. Requests: the structure's referent and the territory's coordinators
(another territory's coordinator: 404 on the request); advisors and élus are refused. The
sessions: the advisors who run them, the coordinators and the structure's referent.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES

TOUS_200 = dict.fromkeys(ROLES, 200)


def _attendu(*autorises: str, **autres: int) -> dict:
    attendu = dict.fromkeys(ROLES, 403)
    attendu.update(anonyme=302, **dict.fromkeys(autorises, 200), **autres)
    return attendu


def _demande_du_mans(geo):
    """A planned request of a Le Mans structure whose referent is the ``referent`` account,
    run by the ``conseiller`` account."""
    from ateliers import services
    from ateliers.models import DemandeAtelier
    from comptes.models import User
    from tests.ateliers.factories import ConventionFactory, FicheFactory
    from tests.conseillers.factories import ConseillerFactory
    from tests.structures.test_gestion import lieu_le_mans_du_referent

    # one planned request for every row that asks (the phone test builds them all in one
    # base, where a second one would overlap the first in the advisor's week)
    planifiees = DemandeAtelier.objects.tous().filter(sessions__isnull=False)
    if deja := planifiees.filter(lieu__commune=geo["le_mans"]).distinct().first():
        return deja
    lieu = lieu_le_mans_du_referent(geo)
    ConventionFactory(structure=lieu.structure)
    version = services.publier_fiche(FicheFactory(commune=geo["le_mans"]))
    demande = services.deposer_demande(
        services.NouvelleDemande(
            structure=lieu.structure,
            version=version,
            lieu=lieu,
            creneaux=[timezone.now() + dt.timedelta(days=10)],
            participants_attendus=5,
            public="seniors",
        ),
        par=None,
    )
    from conseillers.models import Conseiller

    compte = User.objects.get(role="conseiller")
    # the account's advisor, made once (the phone test builds every row in one base)
    conseiller = Conseiller.objects.tous().filter(user=compte).first() or ConseillerFactory(
        commune=geo["le_mans"], user=compte
    )
    services.planifier(
        demande, debut=timezone.now() + dt.timedelta(days=10), conseillers=[conseiller], par=None
    )
    return demande


def _url_demande(geo) -> str:
    return reverse("ateliers:demande", args=[_demande_du_mans(geo).pk])


def _url_seance(geo) -> str:
    return reverse("ateliers:seance", args=[_demande_du_mans(geo).sessions.get().pk])


LIGNES: dict = {
    "ateliers:agenda": (lambda g: reverse("ateliers:agenda"), TOUS_200),
    "ateliers:agenda_ics": (lambda g: reverse("ateliers:agenda_ics"), TOUS_200),
    "ateliers:demandes": (
        lambda g: reverse("ateliers:demandes"),
        _attendu("referent", "coordinateur", "coordinateur_autre_territoire", "staff"),
    ),
    "ateliers:nouvelle_demande": (
        lambda g: reverse("ateliers:nouvelle_demande"),
        _attendu("referent"),
    ),
    "ateliers:demande": (
        _url_demande,
        _attendu("referent", "coordinateur", "staff", coordinateur_autre_territoire=404),
    ),
    "ateliers:planification": (
        lambda g: reverse("ateliers:planification"),
        _attendu("coordinateur", "coordinateur_autre_territoire", "staff"),
    ),
    "ateliers:seances": (
        lambda g: reverse("ateliers:seances"),
        _attendu(
            "conseiller", "referent", "coordinateur", "coordinateur_autre_territoire", "staff"
        ),
    ),
    "ateliers:seance": (
        _url_seance,
        _attendu(
            "conseiller", "referent", "coordinateur", "staff", coordinateur_autre_territoire=404
        ),
    ),
}


def _convention_du_mans(geo):
    from tests.ateliers.factories import ConventionFactory
    from tests.structures.test_gestion import lieu_le_mans_du_referent

    return ConventionFactory(structure=lieu_le_mans_du_referent(geo).structure)


def _fiche_du_mans(geo):
    from ateliers import services
    from tests.ateliers.factories import FicheFactory
    from tests.structures.test_gestion import lieu_le_mans_du_referent

    lieu_le_mans_du_referent(geo)  # the catalogue is offered to the referent's structure
    fiche = FicheFactory(commune=geo["le_mans"])
    services.publier_fiche(fiche)
    return fiche


COORDINATION = ("coordinateur", "coordinateur_autre_territoire", "staff")

LIGNES.update(
    {
        "ateliers:programme": (lambda g: reverse("ateliers:programme"), TOUS_200),
        "ateliers:catalogue": (
            lambda g: reverse("ateliers:catalogue"),
            _attendu(*(r for r in ROLES if r != "anonyme")),
        ),
        "ateliers:fiche_nouvelle": (
            lambda g: reverse("ateliers:fiche_nouvelle"),
            _attendu(*COORDINATION),
        ),
        # published and offered to the referent's structure; read by the territory's advisors
        # and élus; another territory's coordinator does not find it
        "ateliers:fiche": (
            lambda g: reverse("ateliers:fiche", args=[_fiche_du_mans(g).pk]),
            _attendu(
                "conseiller",
                "referent",
                "coordinateur",
                "elu",
                "staff",
                coordinateur_autre_territoire=404,
            ),
        ),
        "ateliers:fiche_modifier": (
            lambda g: reverse("ateliers:fiche_modifier", args=[_fiche_du_mans(g).pk]),
            _attendu("coordinateur", "staff", coordinateur_autre_territoire=404),
        ),
        "ateliers:conventions": (
            lambda g: reverse("ateliers:conventions"),
            _attendu("referent", *COORDINATION),
        ),
        "ateliers:convention_nouvelle": (
            lambda g: reverse("ateliers:convention_nouvelle"),
            _attendu(*COORDINATION),
        ),
        "ateliers:convention": (
            lambda g: reverse("ateliers:convention", args=[_convention_du_mans(g).pk]),
            _attendu("referent", "coordinateur", "staff", coordinateur_autre_territoire=404),
        ),
        "ateliers:convention_document": (
            lambda g: reverse("ateliers:convention_document", args=[_convention_du_mans(g).pk]),
            _attendu("referent", "coordinateur", "staff", coordinateur_autre_territoire=404),
        ),
    }
)
