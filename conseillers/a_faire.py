"""The coordination's advisor tasks of the day (see ``comptes.a_faire``)."""

from __future__ import annotations

from django.urls import reverse

from comptes.a_faire import Tache

from . import permissions
from .forms.gestion import JOURS_SANS_ACTIVITE


def taches(user):
    if not permissions.peut_gerer_conseillers(user):
        return []
    nombre = (
        permissions.conseillers_geres(user)
        .actifs()
        .sans_activite_depuis(JOURS_SANS_ACTIVITE)
        .count()
    )
    return [
        Tache(
            50,
            nombre,
            f"conseiller sous contrat sans activité depuis {JOURS_SANS_ACTIVITE}\u00a0jours",
            f"conseillers sous contrat sans activité depuis {JOURS_SANS_ACTIVITE}\u00a0jours",
            f"{reverse('conseillers:gestion_conseillers')}?sans_activite=on&sous_contrat=on",
        )
    ]
