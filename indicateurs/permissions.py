"""Who may read and compute the fragility index, analyse coverage, read the dashboard. One
function per rule.

The index and its indicators are territorial statistics, not personal data; they are read
by those who steer a territory, coordinators and élus (pages and API alike: see
docs/securite.md, "Décisions"), for the units of their own territories; the rows are scoped
by the querysets (``.pour(user)``). Computing a new result or
loading a published table is for coordinators, on a reference territory within their own
perimeter, and for staff, on any territory or the whole level.
"""

from __future__ import annotations

from comptes.enums import Role
from territoires.models import Commune, Departement, Epci
from territoires.perimetres import perimetre_de

from .territoire import Territoire


def peut_lire_indices(user) -> bool:
    """The ranking pages and ``/api/v1/indices/``: coordinators and élus, staff."""
    return peut_analyser_couverture(user)


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


def peut_analyser_couverture(user) -> bool:
    """Coordinators and élus (their territories), staff (any)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_staff or user.role in (Role.COORDINATEUR, Role.ELU)


def territoires_analysables(user) -> list[Territoire]:
    """The territories ``user`` may analyse: its own; every département and EPCI for staff."""
    if user.is_staff:
        return [
            *(
                Territoire("departement", code, f"{nom} ({code})")
                for code, nom in Departement.objects.order_by("code").values_list("code", "nom")
            ),
            *(
                Territoire("epci", siren, nom)
                for siren, nom in Epci.objects.order_by("nom").values_list("siren", "nom")
            ),
        ]
    territoires = []
    for lien in user.territoires.select_related("commune", "epci", "departement"):
        if lien.commune_id:
            territoires.append(Territoire("commune", lien.commune_id, lien.commune.nom))
        elif lien.epci_id:
            territoires.append(Territoire("epci", lien.epci_id, lien.epci.nom))
        elif lien.departement_id:
            nom = f"{lien.departement.nom} ({lien.departement_id})"
            territoires.append(Territoire("departement", lien.departement_id, nom))
    return territoires


def peut_lire_tableau_de_bord(user) -> bool:
    """The officials' dashboard and its report: élus, coordinators (their territories), staff.

    The same readers as the coverage analysis: those who steer a territory."""
    return peut_analyser_couverture(user)


def peut_importer_contours(user) -> bool:
    """Loading outlines: coordinators (their communes), staff (any)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.role == Role.COORDINATEUR)
    )
