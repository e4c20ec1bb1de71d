"""Who sees and does what with workshops. One function per rule.

- the public reads the agenda of sessions open to the public;
- a structure referent requests workshops for its structures and follows those requests
  only (another structure's request is a 404);
- a coordinator reads its territory's requests, decides, schedules, and manages the
  catalogue and the conventions;
- an advisor sees the sessions it runs, records attendance and closes them;
- staff everything. Élus read the agenda like the public.

The rules of the writes (``peut_decider``, ``peut_animer_session``…) are called by the views
and again by the services given the acting user.
"""

from __future__ import annotations

from comptes.enums import Role
from conseillers.models import Conseiller

from .models import Convention, DemandeAtelier, FicheAtelier, SessionAtelier


def _connecte(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def est_coordination(user) -> bool:
    return _connecte(user) and (user.is_staff or user.role == Role.COORDINATEUR)


def est_referent(user) -> bool:
    return _connecte(user) and user.role == Role.REFERENT


def peut_suivre_demandes(user) -> bool:
    return est_coordination(user) or est_referent(user)


def demandes_visibles(user):
    if user.is_staff:
        return DemandeAtelier.objects.tous()
    if user.role == Role.COORDINATEUR:
        return DemandeAtelier.objects.pour(user)
    if user.role == Role.REFERENT:
        return DemandeAtelier.objects.tous().filter(structure__referents=user)
    return DemandeAtelier.objects.tous().none()


def sessions_visibles(user):
    """Coordinators: their territory's; advisors: the sessions they run."""
    if user.is_staff:
        return SessionAtelier.objects.tous()
    if user.role == Role.COORDINATEUR:
        return SessionAtelier.objects.pour(user)
    if user.role == Role.CONSEILLER:
        return SessionAtelier.objects.tous().filter(animations__conseiller__user=user)
    return SessionAtelier.objects.tous().none()


def peut_animer(user) -> bool:
    return _connecte(user) and (user.is_staff or user.role in (Role.CONSEILLER, Role.COORDINATEUR))


# -- the rules of the writes (views and services both call them) --------------------------


def peut_demander(user, structure) -> bool:
    """Filing a request: a referent of the structure."""
    return est_referent(user) and structure.referents.filter(pk=user.pk).exists()


def peut_decider(user, demande) -> bool:
    """Studying, refusing, scheduling: the coordination of the request's territory, staff."""
    return est_coordination(user) and demandes_visibles(user).filter(pk=demande.pk).exists()


def peut_annuler(user, demande) -> bool:
    """Cancelling: the coordination of its territory, or a referent of the structure."""
    return peut_suivre_demandes(user) and demandes_visibles(user).filter(pk=demande.pk).exists()


def peut_reserver(user, conseillers) -> bool:
    """Booking advisors: those of the coordinator's territory (staff: any)."""
    identifiants = {c.pk for c in conseillers}
    return conseillers_planifiables(user).filter(pk__in=identifiants).count() == len(identifiants)


def peut_inscrire(user, demande) -> bool:
    """Registering people to a workshop: whoever follows one of its sessions (a referent of
    the structure, its advisors, the coordination of its territory, staff)."""
    if est_referent(user):
        return demande.structure.referents.filter(pk=user.pk).exists()
    return peut_animer(user) and sessions_visibles(user).filter(demande=demande).exists()


def peut_animer_session(user, session) -> bool:
    """Attendance and closing: the advisors who run the session, the coordination of its
    territory, staff; not the structure's referent."""
    return peut_animer(user) and sessions_visibles(user).filter(pk=session.pk).exists()


def conseillers_planifiables(user):
    """The advisors a coordinator may book: those of its territory."""
    if user.is_staff:
        return Conseiller.objects.tous()
    return Conseiller.objects.pour(user)


def peut_lire_catalogue(user) -> bool:
    return _connecte(user) and (user.is_staff or bool(user.role))


def peut_gerer_fiche(user, fiche) -> bool:
    """Publishing or archiving a sheet: the coordination of its territory, staff."""
    return est_coordination(user) and fiches_visibles(user).filter(pk=fiche.pk).exists()


def fiches_visibles(user):
    """Coordination: every sheet of its territory, drafts included; referents: the
    published sheets offered to their structures; advisors and élus: the published sheets
    of their territory."""
    if user.is_staff:
        return FicheAtelier.objects.tous()
    if user.role == Role.COORDINATEUR:
        return FicheAtelier.objects.pour(user)
    if user.role == Role.REFERENT:
        return FicheAtelier.objects.proposees_a(user)
    return FicheAtelier.objects.pour(user).publiees()


def peut_lire_conventions(user) -> bool:
    return est_coordination(user) or est_referent(user)


def conventions_visibles(user):
    """Coordination: its territory's; a referent: those of its structures."""
    if user.is_staff:
        return Convention.objects.tous()
    if user.role == Role.COORDINATEUR:
        return Convention.objects.pour(user)
    if user.role == Role.REFERENT:
        return Convention.objects.tous().filter(structure__referents=user)
    return Convention.objects.tous().none()
