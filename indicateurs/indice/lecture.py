"""The latest index of a site's district, else of its commune: read for the workshop
requests' priority (registered in ``ateliers.priorites`` when the app starts)."""

from __future__ import annotations

from indicateurs.enums import Niveau

from .models import IndiceUnite


def _derniers(unites, champ: str) -> dict:
    """The value of the latest result (vintage, then computation) for each key."""
    valeurs = {}
    for cle, indice in unites.order_by(
        champ, "-resultat__millesime", "-resultat__calcule_le", "-resultat__pk"
    ).values_list(champ, "indice"):
        valeurs.setdefault(cle, indice)
    return valeurs


def indices_des_lieux(lieux: list) -> dict[int, float | None]:
    zones = {lieu.zone_id for lieu in lieux if lieu.zone_id}
    communes = {lieu.commune_id for lieu in lieux if lieu.commune_id}
    par_zone = _derniers(
        IndiceUnite.objects.tous().filter(
            zone_id__in=zones, resultat__niveau__in=[Niveau.QUARTIER, Niveau.IRIS]
        ),
        "zone_id",
    )
    par_commune = _derniers(
        IndiceUnite.objects.tous().filter(
            commune_id__in=communes, zone__isnull=True, resultat__niveau=Niveau.COMMUNE
        ),
        "commune_id",
    )
    resultat = {}
    for lieu in lieux:
        indice = par_zone.get(lieu.zone_id)
        resultat[lieu.pk] = indice if indice is not None else par_commune.get(lieu.commune_id)
    return resultat
