"""The coordination's account tasks of the day (see ``comptes.a_faire``)."""

from __future__ import annotations

from django.urls import reverse

from comptes.a_faire import Tache
from comptes.enums import EtatCompte

from . import permissions


def taches(user):
    if not permissions.regles.peut_gerer_comptes(user):
        return []
    invites = permissions.regles.comptes_visibles(user).dans_l_etat(EtatCompte.INVITE)
    return [
        Tache(
            60,
            invites.count(),
            "invitation sans réponse",
            "invitations sans réponse",
            f"{reverse('gestion_comptes:liste')}?etat={EtatCompte.INVITE}",
        )
    ]
