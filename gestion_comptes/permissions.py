"""Who reaches the accounts' back office, and which accounts. The rules are comptes'
(``comptes.permissions``); this module names them for the views and adds the rows of the
apps above comptes (structures, advisor profiles) a manager may attach an account to."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from comptes import permissions as regles
from conseillers.models import Conseiller
from structures.models import Structure

exiger_gestion_comptes = regles.exiger_gestion_comptes
exiger_compte_modifiable = regles.exiger_compte_modifiable
compte_modifiable = regles.compte_modifiable


def compte_visible_ou_404(user, pk: int):
    """An account of the manager's territory; another territory's answers 404."""
    regles.exiger_gestion_comptes(user)
    return get_object_or_404(regles.comptes_visibles(user), pk=pk)


def structures_rattachables(user):
    """The structures of the manager's territory (a referent is attached to one of them)."""
    return Structure.objects.pour(user).actives()


def profils_rattachables(user):
    """The advisor profiles of the manager's territory that have no account yet."""
    return Conseiller.objects.pour(user).filter(user__isnull=True)
