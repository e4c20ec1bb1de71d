"""Who may do what with advisors, assignments, reports and beneficiaries.

One function per rule; views and API viewsets call them on their first lines. Which rows a
user reaches is decided by the querysets (``Activite.objects.consultables_par(user)``,
``Conseiller.objects.pour(user)``...); the functions below name the rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from comptes.enums import Role

from .models import Activite, Beneficiaire, Conseiller, MiseADisposition

MESSAGE_SANS_PROFIL = (
    "Votre compte n'est relié à aucun profil de conseiller de votre territoire\u00a0: demandez à "
    "votre coordinateur de l'y rattacher ou de relier votre compte à votre profil."
)


def _exiger(condition: bool, message: str = "Vous n'avez pas accès à cette page.") -> None:
    if not condition:
        raise PermissionDenied(message)


def _actif(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def est_staff(user) -> bool:
    return _actif(user) and (user.is_staff or user.is_superuser)


# -- advisors' own space ----------------------------------------------------------------


def peut_saisir_activites(user) -> bool:
    """Only advisors record reports (their own)."""
    return _actif(user) and user.role == Role.CONSEILLER


def exiger_conseiller(user) -> Conseiller:
    """The advisor's profile (linked or created on first use), or 403 for other roles."""
    from .services import profil_conseiller

    _exiger(peut_saisir_activites(user))
    conseiller = profil_conseiller(user=user)
    _exiger(conseiller is not None, MESSAGE_SANS_PROFIL)
    return conseiller


def activite_modifiable_ou_404(user, pk) -> Activite:
    """One of the user's own reports (deleted ones included, to restore them); else 404."""
    _exiger(peut_saisir_activites(user) or est_staff(user))
    return get_object_or_404(
        Activite.objects.modifiables_par(user).select_related("lieu", "commune", "conseiller"),
        pk=pk,
    )


def beneficiaires_du_conseiller(conseiller: Conseiller):
    """The followed beneficiaries an advisor works with: their own."""
    return Beneficiaire.objects.tous().du_conseiller(conseiller)


# -- coordination -----------------------------------------------------------------------


def peut_gerer_conseillers(user) -> bool:
    """Coordinators (their territory) and staff manage advisors and assignments."""
    return _actif(user) and (est_staff(user) or user.role == Role.COORDINATEUR)


def exiger_gestion_conseillers(user) -> None:
    _exiger(peut_gerer_conseillers(user))


def conseillers_geres(user):
    if not peut_gerer_conseillers(user):
        return Conseiller.objects.tous().none()
    return Conseiller.objects.pour(user)


def conseiller_gere_ou_404(user, pk) -> Conseiller:
    exiger_gestion_conseillers(user)
    return get_object_or_404(conseillers_geres(user).select_related("commune", "user"), pk=pk)


def mises_a_disposition_gerees(user):
    if not peut_gerer_conseillers(user):
        return MiseADisposition.objects.tous().none()
    return MiseADisposition.objects.pour(user)


def mise_a_disposition_geree_ou_404(user, pk) -> MiseADisposition:
    exiger_gestion_conseillers(user)
    return get_object_or_404(
        mises_a_disposition_gerees(user).select_related("structure", "lieu"), pk=pk
    )


# -- API of the reports -----------------------------------------------------------------


def peut_ecrire_activites(user) -> bool:
    """Advisors write their own reports; staff may correct or delete any (support)."""
    return peut_saisir_activites(user) or est_staff(user)


def peut_modifier_activite(user, activite: Activite) -> bool:
    """Deleting, restoring or editing a stored report: its advisor, staff."""
    return (
        peut_ecrire_activites(user)
        and Activite.objects.modifiables_par(user).filter(pk=activite.pk).exists()
    )


def peut_enregistrer_activite(user, activite: Activite) -> bool:
    """Saving a report: an advisor, its own (new, or stored and still its own); staff, any."""
    if not peut_ecrire_activites(user):
        return False
    if not est_staff(user) and activite.conseiller.user_id != user.pk:
        return False
    return activite._state.adding or peut_modifier_activite(user, activite)


def activites_modifiables(user):
    """The reports ``user`` may edit or delete: their own (advisors), any (staff)."""
    return Activite.objects.modifiables_par(user).visibles()
