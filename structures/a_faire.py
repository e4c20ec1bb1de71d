"""The coordination's site tasks of the day (see ``comptes.a_faire``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from comptes.a_faire import Tache

from . import permissions
from .enums import StatutSignalement


def taches(user):
    if not permissions.peut_gerer_lieux(user):
        return []
    nombres = permissions.signalements_a_traiter(user).aggregate(
        nouveaux=Count("pk", filter=Q(statut=StatutSignalement.NOUVEAU)),
        en_cours=Count("pk", filter=Q(statut=StatutSignalement.EN_COURS)),
    )
    liste = reverse("structures:signalements")
    return [
        Tache(
            30,
            nombres["nouveaux"],
            "signalement d'erreur du public à traiter",
            "signalements d'erreur du public à traiter",
            f"{liste}?statut={StatutSignalement.NOUVEAU}",
        ),
        Tache(
            31,
            nombres["en_cours"],
            "signalement d'erreur en cours",
            "signalements d'erreur en cours",
            f"{liste}?statut={StatutSignalement.EN_COURS}",
        ),
    ]
