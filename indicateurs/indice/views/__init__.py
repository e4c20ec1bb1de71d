"""Pages of the fragility index, one module per audience: ``pilotage`` (the ranking, a
unit's detail, the exports) and ``gestion`` (computing a new version, loading outlines).

Reading is for those who steer a territory (coordinators and élus on their territories,
staff on any: ``peut_analyser_couverture``); computing for coordinators on a reference
territory of their own and for staff (``peut_calculer_indice``); loading outlines for
coordinators (their communes) and staff. Advisors and structure referents get a 403; a unit
of another territory is a 404. Both audiences start from the reader's check below.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from indicateurs.permissions import peut_lire_indices, territoires_analysables


def exiger_lecteur(request) -> None:
    if not peut_lire_indices(request.user):
        raise PermissionDenied("L'indice de fragilité se consulte par les coordinateurs et élus.")


def territoires_du_lecteur(request) -> dict:
    return {t.code: t for t in territoires_analysables(request.user)}
