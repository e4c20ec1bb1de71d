"""Who may read and compute the fragility index. One function per rule.

The index and its indicators are territorial statistics, not personal data. Every
logged-in role reads the units of its own territories (élus and funders for their
dashboards, coordinators to plan, advisors and structure referents to see where the need
is); the rows are scoped by the querysets (``.pour(user)``). Computing a new result or
loading a published table is for coordinators, on a reference territory within their own
perimeter, and for staff, on any territory or the whole level.
"""

from __future__ import annotations

from comptes.enums import Role
from territoires.models import Commune
from territoires.perimetres import perimetre_de

from .services import Territoire


def peut_lire_indices(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def peut_calculer_indice(user, reference: Territoire | None = None) -> bool:
    """Staff on anything; a coordinator on a reference territory inside its perimeter."""
    if not peut_lire_indices(user):
        return False
    if user.is_staff:
        return True
    if user.role != Role.COORDINATEUR or reference is None:
        return False
    communes = reference.communes()
    hors_perimetre = communes.exclude(pk__in=Commune.objects.dans(perimetre_de(user)).values("pk"))
    return communes.exists() and not hors_perimetre.exists()
