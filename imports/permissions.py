"""Who imports files in the back office: coordinators (into their territory) and staff."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from comptes.enums import Role

from .models import Import


def peut_importer(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser or user.role == Role.COORDINATEUR)
    )


def exiger_import(user) -> None:
    if not peut_importer(user):
        raise PermissionDenied("Les imports de fichiers sont réservés à la coordination.")


def imports_visibles(user):
    """The imports of the territory (staff: all)."""
    if not peut_importer(user):
        return Import.objects.tous().none()
    return Import.objects.pour(user)


def import_visible_ou_404(user, pk: int) -> Import:
    """An import of another territory does not exist for the user (404)."""
    exiger_import(user)
    return get_object_or_404(imports_visibles(user).select_related("cree_par"), pk=pk)
