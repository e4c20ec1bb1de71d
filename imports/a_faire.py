"""The coordination's failed imports (see ``comptes.a_faire``)."""

from __future__ import annotations

from django.urls import reverse

from comptes.a_faire import Tache

from . import permissions
from .enums import EtatImport


def taches(user):
    if not permissions.peut_importer(user):
        return []
    return [
        Tache(
            80,
            permissions.imports_visibles(user).en_echec().count(),
            "import en échec",
            "imports en échec",
            f"{reverse('imports:liste')}?etat={EtatImport.ECHEC}",
        )
    ]
