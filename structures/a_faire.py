"""The coordination's site tasks of the day (see ``comptes.a_faire``)."""

from __future__ import annotations

from django.urls import reverse

from comptes.a_faire import Tache

from . import permissions
from .enums import StatutSignalement


def taches(user):
    if not permissions.peut_gerer_lieux(user):
        return []
    nombre = permissions.signalements_a_traiter(user).filter(statut=StatutSignalement.NOUVEAU)
    return [
        Tache(
            30,
            nombre.count(),
            "signalement d'erreur du public à traiter",
            "signalements d'erreur du public à traiter",
            f"{reverse('structures:signalements')}?statut={StatutSignalement.NOUVEAU}",
        )
    ]
