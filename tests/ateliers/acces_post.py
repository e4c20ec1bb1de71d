"""Rows of the POST matrix (tests/test_acces_post.py) for the workshops.

Requests: the structure's referent files them and may cancel; the territory's coordinators
(and staff) study, refuse, schedule and cancel; another territory's coordinator does not
find the request (404); advisors and élus are refused. Sessions: whoever follows one (its
advisors, the structure's referent, the territory's coordination) registers people; its
advisors and the coordination record attendance and close it, not the referent; an advisor
does not find a session it does not run (404). Catalogue and conventions: coordination,
on its territory.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ateliers import services
from ateliers.enums import StatutDemande, StatutFiche
from ateliers.models import Animation, Convention, DemandeAtelier, FicheAtelier, Participant
from comptes.models import User
from tests.ateliers.conftest import prochain
from tests.ateliers.factories import PDF, ConventionFactory, FicheFactory
from tests.conseillers.factories import ConseillerFactory
from tests.matrice_post import OK, Cas, Envoi, attendus
from tests.structures.test_gestion import lieu_le_mans_du_referent

NOTE = "écrit par la matrice des POST"

# a request: coordination decides; the referent is refused, another territory's 404
DECISION = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)
# a session: those who follow it register people (élus: 403)
INSCRIPTION = attendus(
    conseiller=OK, referent=OK, coordinateur=OK, staff=OK, coordinateur_autre_territoire=404
)
# attendance and closing: the session's advisor and the coordination, not the referent
ANIMATION = attendus(conseiller=OK, coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)
# the catalogue and the conventions, on a Le Mans object
COORDINATION_OBJET = DECISION
# creating one in Le Mans: another territory's coordinator is refused by the form
COORDINATION_CREATION = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=400)


def _fiche_publiee(geo) -> FicheAtelier:
    """A published sheet of Le Mans, offered to the referent's structure."""
    lieu_le_mans_du_referent(geo)
    fiche = FicheFactory(commune=geo["le_mans"])
    services.publier_fiche(fiche)
    return fiche


def _demande(geo, *, planifiee: bool, conseiller_du_compte: bool = True) -> DemandeAtelier:
    """A request of a Le Mans structure whose referent is the ``referent`` account; when
    planned, run by the ``conseiller`` account (or by another advisor)."""
    lieu = lieu_le_mans_du_referent(geo)
    ConventionFactory(structure=lieu.structure)
    version = services.publier_fiche(FicheFactory(commune=geo["le_mans"]))
    demande = services.deposer_demande(
        services.NouvelleDemande(
            structure=lieu.structure,
            version=version,
            lieu=lieu,
            creneaux=[prochain(1, 14)],
            participants_attendus=5,
            public="seniors",
        ),
        par=None,
    )
    if planifiee:
        compte = User.objects.get(role="conseiller") if conseiller_du_compte else None
        conseiller = ConseillerFactory(commune=geo["le_mans"], user=compte)
        services.planifier(demande, debut=prochain(1, 14), conseillers=[conseiller], par=None)
    return demande


def _statut(demande: DemandeAtelier, statut: str):
    return lambda: DemandeAtelier.objects.tous().get(pk=demande.pk).statut == statut


# -- requests ----------------------------------------------------------------------------


def _nouvelle_demande(e: Envoi) -> Cas:
    fiche = _fiche_publiee(e.geo)
    lieu = lieu_le_mans_du_referent(e.geo)
    ConventionFactory(structure=lieu.structure)
    return Cas(
        reverse("ateliers:nouvelle_demande"),
        {
            "fiche": str(fiche.pk),
            "lieu": str(lieu.pk),
            "creneau_1": prochain(1, 14).strftime("%Y-%m-%dT%H:%M"),
            "participants_attendus": "6",
            "public": "habitants du quartier",
            "notes": NOTE,
        },
        lambda: DemandeAtelier.objects.tous().filter(lieu=lieu, notes=NOTE).exists(),
    )


def _action_sur_demande(action: str):
    def construire(e: Envoi) -> Cas:
        demande = _demande(e.geo, planifiee=False)
        url = reverse("ateliers:demande", args=[demande.pk])
        if action == "etudier":
            return Cas(url, {"action": "etudier"}, _statut(demande, StatutDemande.EN_ETUDE))
        if action == "refuser":
            return Cas(
                url,
                {"action": "refuser", "refus-motif": "Aucune salle équipée."},
                _statut(demande, StatutDemande.REFUSEE),
            )
        if action == "planifier":
            conseiller = ConseillerFactory(commune=e.geo["le_mans"])
            return Cas(
                url,
                {
                    "action": "planifier",
                    "plan-debut": prochain(1, 14).strftime("%Y-%m-%dT%H:%M"),
                    "plan-conseillers": [str(conseiller.pk)],
                    "plan-intervalle_jours": "7",
                    "plan-publique": "on",
                },
                _statut(demande, StatutDemande.PLANIFIEE),
            )
        if action == "annuler":
            return Cas(
                url, {"action": "annuler", "motif": NOTE}, _statut(demande, StatutDemande.ANNULEE)
            )
        return Cas(url, {"action": action})

    return construire


# -- sessions ----------------------------------------------------------------------------


def _seance(e: Envoi, *, conseiller_du_compte: bool = True):
    """A past session with two registrants, run by the ``conseiller`` account (or not)."""
    demande = _demande(e.geo, planifiee=True, conseiller_du_compte=conseiller_du_compte)
    session = demande.sessions.get()
    session.debut = timezone.now() - dt.timedelta(hours=3)
    session.fin = timezone.now() - dt.timedelta(hours=1)
    session.save(update_fields=["debut", "fin"])
    Animation.objects.filter(session=session).update(debut=session.debut, fin=session.fin)
    inscrits = [services.inscrire(demande, nom) for nom in ("Ali B.", "Rose C.")]
    return session, inscrits


def _action_sur_seance(action: str, *, conseiller_du_compte: bool = True):
    def construire(e: Envoi) -> Cas:
        session, inscrits = _seance(e, conseiller_du_compte=conseiller_du_compte)
        url = reverse("ateliers:seance", args=[session.pk])
        participants = Participant.objects.filter(demande=session.demande_id)
        if action == "inscrire":
            return Cas(
                url,
                {"action": "inscrire", "inscription-nom": "Zoé D."},
                lambda: participants.filter(nom="Zoé D.").exists(),
            )
        if action == "desinscrire":
            return Cas(
                url,
                {"action": "desinscrire", "participant": inscrits[0].pk},
                lambda: not participants.filter(pk=inscrits[0].pk).exists(),
            )
        presents = {"presences-participants": [str(p.pk) for p in inscrits]}
        if action == "presences":
            return Cas(
                url,
                {"action": "presences", **presents},
                lambda: session.presences.count() == 2,
            )
        return Cas(
            url,
            {"action": "cloturer", **presents},
            lambda: type(session).objects.tous().get(pk=session.pk).cloturee_le is not None,
        )

    return construire


# -- catalogue ---------------------------------------------------------------------------


def _fiche(geo, titre: str) -> dict:
    return {
        "titre": titre,
        "commune": geo["le_mans"].pk,
        "thematiques": ["prendre_en_main_materiel"],
        "niveau": "debutant",
        "format": "parcours_court",
        "nombre_seances": "3",
        "duree_minutes": "90",
        "participants_min": "4",
        "participants_max": "8",
        "public_cible": "seniors",
        "objectifs": "Prendre en main son smartphone.",
        "contenu": "Réglages, applications, appels vidéo.",
        "prerequis": "",
        "moyens": ["salle", "connexion"],
    }


def _fiche_nouvelle(action: str):
    def construire(e: Envoi) -> Cas:
        lieu_le_mans_du_referent(e.geo)  # staff picks among the communes with a partner
        statut = StatutFiche.PUBLIEE if action == "publier" else StatutFiche.BROUILLON
        return Cas(
            reverse("ateliers:fiche_nouvelle"),
            {**_fiche(e.geo, NOTE), "action": action},
            lambda: FicheAtelier.objects.tous().filter(titre=NOTE, statut=statut).exists(),
        )

    return construire


def _fiche_modifier(e: Envoi) -> Cas:
    fiche = _fiche_publiee(e.geo)
    return Cas(
        reverse("ateliers:fiche_modifier", args=[fiche.pk]),
        {**_fiche(e.geo, NOTE), "action": "enregistrer"},
        lambda: FicheAtelier.objects.tous().get(pk=fiche.pk).titre == NOTE,
    )


def _action_sur_fiche(action: str):
    """A published sheet changed since: publishing makes its version 2."""

    def construire(e: Envoi) -> Cas:
        fiche = _fiche_publiee(e.geo)
        fiche.objectifs = NOTE
        fiche.save()
        relue = FicheAtelier.objects.tous().filter(pk=fiche.pk)
        fait = {
            "publier": lambda: relue.get().versions.count() == 2,
            "archiver": lambda: relue.get().statut == StatutFiche.ARCHIVEE,
        }.get(action, lambda: True)
        return Cas(reverse("ateliers:fiche", args=[fiche.pk]), {"action": action}, fait)

    return construire


# -- conventions -------------------------------------------------------------------------


def _convention_nouvelle(e: Envoi) -> Cas:
    """A signed convention of the referent's structure, with its PDF."""
    structure = lieu_le_mans_du_referent(e.geo).structure
    aujourd_hui = timezone.localdate()
    return Cas(
        reverse("ateliers:convention_nouvelle"),
        {
            "structure": structure.pk,
            "debut": aujourd_hui.isoformat(),
            "fin": (aujourd_hui + dt.timedelta(days=365)).isoformat(),
            "signee_le": aujourd_hui.isoformat(),
            "document": SimpleUploadedFile("signee.pdf", PDF, "application/pdf"),
            "obligations": NOTE,
        },
        lambda: Convention.objects.tous().filter(structure=structure, obligations=NOTE).exists(),
    )


def _convention(e: Envoi) -> Cas:
    """The convention sent back with new obligations (its PDF kept)."""
    convention = ConventionFactory(structure=lieu_le_mans_du_referent(e.geo).structure)
    return Cas(
        reverse("ateliers:convention", args=[convention.pk]),
        {
            "structure": convention.structure_id,
            "debut": convention.debut.isoformat(),
            "fin": convention.fin.isoformat(),
            "signee_le": convention.signee_le.isoformat(),
            "obligations": NOTE,
        },
        lambda: Convention.objects.tous().get(pk=convention.pk).obligations == NOTE,
    )


LIGNES: dict = {
    ("ateliers:nouvelle_demande", ""): (_nouvelle_demande, attendus(referent=OK)),
    **{
        ("ateliers:demande", action): (_action_sur_demande(action), DECISION)
        for action in ("etudier", "refuser", "planifier")
    },
    ("ateliers:demande", "annuler"): (_action_sur_demande("annuler"), {**DECISION, "referent": OK}),
    ("ateliers:demande", "inconnue"): (
        _action_sur_demande("inconnue"),
        {**DECISION, "coordinateur": 400, "staff": 400},
    ),
    **{
        ("ateliers:seance", action): (_action_sur_seance(action), INSCRIPTION)
        for action in ("inscrire", "desinscrire")
    },
    **{
        ("ateliers:seance", action): (_action_sur_seance(action), ANIMATION)
        for action in ("presences", "cloturer")
    },
    **{
        ("ateliers:seance", f"{action} d'une séance d'un autre conseiller"): (
            _action_sur_seance(action, conseiller_du_compte=False),
            {**ANIMATION, "conseiller": 404},
        )
        for action in ("presences", "cloturer")
    },
    **{
        ("ateliers:fiche_nouvelle", action): (_fiche_nouvelle(action), COORDINATION_CREATION)
        for action in ("enregistrer", "publier")
    },
    ("ateliers:fiche_modifier", ""): (_fiche_modifier, COORDINATION_OBJET),
    **{
        ("ateliers:fiche", action): (_action_sur_fiche(action), COORDINATION_OBJET)
        for action in ("publier", "archiver")
    },
    ("ateliers:fiche", "inconnue"): (
        _action_sur_fiche("inconnue"),
        {**COORDINATION_OBJET, "coordinateur": 400, "staff": 400},
    ),
    ("ateliers:convention_nouvelle", ""): (_convention_nouvelle, COORDINATION_CREATION),
    ("ateliers:convention", ""): (_convention, COORDINATION_OBJET),
}
