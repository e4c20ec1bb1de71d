"""Who reaches the network's back office: the coordinators (their territory) and staff.
One function per rule; the views call them first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from comptes import permissions as regles_comptes
from structures.models import Structure

from .models import Contact, Envoi, Groupe


def peut_gerer_reseau(user) -> bool:
    """The same people as the accounts: coordinators and the technical team."""
    return regles_comptes.peut_gerer_comptes(user)


def exiger_gestion_reseau(user) -> None:
    if not peut_gerer_reseau(user):
        raise PermissionDenied("Vous n'avez pas accès à cette page.")


def contacts_visibles(user):
    exiger_gestion_reseau(user)
    return Contact.objects.pour(user)


def contact_ou_404(user, pk: int) -> Contact:
    return get_object_or_404(contacts_visibles(user).select_related("structure"), pk=pk)


def groupes_visibles(user):
    exiger_gestion_reseau(user)
    return Groupe.objects.pour(user)


def groupe_ou_404(user, pk: int) -> Groupe:
    return get_object_or_404(groupes_visibles(user), pk=pk)


def envois_visibles(user):
    exiger_gestion_reseau(user)
    return Envoi.objects.pour(user)


def structures_du_reseau(user):
    """The structures a contact may belong to: those of the user's territory."""
    return Structure.objects.pour(user)


def referents_visibles(user):
    """The active referents' accounts of the user's territory."""
    from comptes.enums import Role

    return regles_comptes.comptes_visibles(user).actifs().du_role(Role.REFERENT)
