"""Where the fragility of a site's area comes from, without depending on ``indicateurs``.

``indicateurs`` comes after ``ateliers`` in the apps' order: it registers its reader here
when it starts (``IndicateursConfig.ready``). Without a reader, no index is known and the
requests are ordered by waiting time alone."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_LECTEURS: list[Callable[[list], dict[int, float | None]]] = []


def enregistrer_lecteur(lecteur: Callable[[list], dict[int, float | None]]) -> None:
    """``lecteur(lieux)`` returns {site id: index of its district, else of its commune}."""
    if lecteur not in _LECTEURS:
        _LECTEURS.append(lecteur)


def indices_des_lieux(lieux: Iterable) -> dict[int, float | None]:
    lieux = list(lieux)
    resultat: dict[int, float | None] = {}
    for lecteur in _LECTEURS:
        for cle, valeur in lecteur(lieux).items():
            if resultat.get(cle) is None:
                resultat[cle] = valeur
    return resultat
