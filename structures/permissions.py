"""Who may do what with structures and lieux. One function per rule; views call them first.

Which rows a user may touch is decided in one place, the querysets
(``Lieu.objects.modifiables_par(user)``, ``Structure.objects.pour(user)``); the functions
below only name the rules and pick the right queryset for a role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from comptes.enums import Role
from territoires.models import Commune

from .models import Lieu, Signalement, Structure


def _exiger(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("Vous n'avez pas accès à cette page.")


def _actif(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def est_staff(user) -> bool:
    return _actif(user) and (user.is_staff or user.is_superuser)


def peut_gerer_lieux(user) -> bool:
    """Coordinators, structure referents and staff keep sites up to date."""
    return _actif(user) and (est_staff(user) or user.role in (Role.COORDINATEUR, Role.REFERENT))


def exiger_gestion_lieux(user) -> None:
    _exiger(peut_gerer_lieux(user))


def lieux_modifiables(user):
    """The sites ``user`` may edit (none for the other roles): the back-office's only way in."""
    return Lieu.objects.modifiables_par(user)


def lieu_modifiable_ou_404(user, pk) -> Lieu:
    """A site outside the user's reach does not exist for them (404, not 403)."""
    exiger_gestion_lieux(user)
    return get_object_or_404(lieux_modifiables(user).select_related("commune", "structure"), pk=pk)


def signalements_a_traiter(user):
    """Error reports on the sites ``user`` may edit: whoever corrects a site handles them."""
    return Signalement.objects.tous().filter(lieu__in=lieux_modifiables(user).values("pk"))


def structures_utilisables(user):
    """Structures a site may be attached to: the territory's, or the referent's own."""
    if est_staff(user):
        return Structure.objects.tous()
    if _actif(user) and user.role == Role.COORDINATEUR:
        return Structure.objects.pour(user).actives()
    if _actif(user) and user.role == Role.REFERENT:
        return Structure.objects.tous().geree_par(user).actives()
    return Structure.objects.none().tous()


# -- the directory of structures ----------------------------------------------------------


def peut_gerer_structures(user) -> bool:
    """The territory's coordinators and staff keep the directory of structures."""
    return _actif(user) and (est_staff(user) or user.role == Role.COORDINATEUR)


def exiger_gestion_structures(user) -> None:
    _exiger(peut_gerer_structures(user))


def structures_de_l_annuaire(user):
    """The structures of the user's territory (a structure is in it when its commune is),
    archived ones included: the directory's only way in."""
    if not peut_gerer_structures(user):
        return Structure.objects.none().tous()
    return Structure.objects.pour(user)


def structure_de_l_annuaire_ou_404(user, pk) -> Structure:
    """A structure outside the user's territory does not exist for them (404, not 403)."""
    exiger_gestion_structures(user)
    return get_object_or_404(
        structures_de_l_annuaire(user).select_related("commune", "parente", "fusionnee_dans"),
        pk=pk,
    )


def communes_de_l_annuaire(user):
    """Where a structure of the directory may be: the user's territory."""
    if est_staff(user):
        return Commune.objects.all()
    return Commune.objects.dans(user.perimetre)


def exiger_referent(user) -> None:
    """A referent edits its own structures' public fields (staff too, for support)."""
    _exiger(_actif(user) and (est_staff(user) or user.role == Role.REFERENT))


def structure_du_referent_ou_404(user, pk) -> Structure:
    """One of the referent's own active structures; any other answers 404."""
    exiger_referent(user)
    structures = (
        Structure.objects.tous() if est_staff(user) else Structure.objects.tous().geree_par(user)
    )
    return get_object_or_404(structures.actives().select_related("commune"), pk=pk)


def communes_utilisables(user):
    """Communes a site (or a stop) may be placed in.

    Coordinators: their perimeter. Referents: their territory, plus the communes of their
    structures and of their structures' sites (a structure may work outside the referent's
    own territory).
    """
    if est_staff(user):
        return Commune.objects.all()
    if _actif(user) and user.role == Role.COORDINATEUR:
        return Commune.objects.dans(user.perimetre)
    if _actif(user) and user.role == Role.REFERENT:
        return Commune.objects.filter(
            Q(pk__in=Commune.objects.dans(user.perimetre).values("pk"))
            | Q(pk__in=Structure.objects.tous().geree_par(user).values("commune"))
            | Q(pk__in=Lieu.objects.tous().filter(structure__referents=user).values("commune"))
        )
    return Commune.objects.none()


def communes_suggerees(user):
    """The communes a typed choice suggests: those the user may place a site in, or for
    the other roles (an advisor's activity, a beneficiary) their territory's."""
    if est_staff(user) or peut_gerer_lieux(user):
        return communes_utilisables(user)
    if _actif(user) and user.role:
        return Commune.objects.dans(user.perimetre)
    return Commune.objects.none()


def peut_enregistrer_lieu(user, lieu: Lieu) -> bool:
    """Saving a site from the back-office: one the user may edit (as stored), attached to a
    structure and placed in a commune the user may use."""
    if not peut_gerer_lieux(user):
        return False
    if lieu.pk is not None and not lieux_modifiables(user).filter(pk=lieu.pk).exists():
        return False
    return (
        structures_utilisables(user).filter(pk=lieu.structure_id).exists()
        and communes_utilisables(user).filter(pk=lieu.commune_id).exists()
    )
