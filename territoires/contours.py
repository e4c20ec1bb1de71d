"""Where a commune's outline comes from, without depending on ``indicateurs``.

The outlines are stored by ``indicateurs`` (model ``Contour``: the département files of
``fixtures/geo`` loaded by the demo or ``import_contours``, or a coordinator's upload),
which comes after ``territoires`` in the apps' order: it registers its reader here when
it starts (``IndiceConfig.ready``). Without a reader or an outline, a point is checked
against its commune's centre only (``territoires.resolution``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from shapely.geometry import Point, shape
from shapely.ops import nearest_points

# The outlines are generalised (about 100 m near a border): a point this far outside its
# commune's outline is still accepted
TOLERANCE_CONTOUR_KM = 2

_LECTEURS: list[Callable[[Iterable[str]], dict[str, dict]]] = []
_CODES: list[Callable[[], set[str]]] = []


def enregistrer_lecteur(lecteur: Callable[[Iterable[str]], dict[str, dict]], codes) -> None:
    """``lecteur(codes)`` returns {INSEE code: GeoJSON geometry}; ``codes()`` the set of
    communes having an outline (cheap, to load geometries only where needed)."""
    if lecteur not in _LECTEURS:
        _LECTEURS.append(lecteur)
        _CODES.append(codes)


def communes_avec_contour() -> set[str]:
    return set().union(*(codes() for codes in _CODES)) if _CODES else set()


def contours(codes: Iterable[str]) -> dict[str, dict]:
    codes = list(codes)
    resultat: dict[str, dict] = {}
    for lecteur in _LECTEURS:
        for code, geometrie in lecteur(codes).items():
            resultat.setdefault(code, geometrie)
    return resultat


def distance_hors_contour_km(geometrie: dict, latitude: float, longitude: float) -> float:
    """0 inside the outline, else the distance (km) to its nearest point."""
    from .resolution import distance_km

    forme, point = shape(geometrie), Point(longitude, latitude)
    if forme.covers(point):
        return 0.0
    proche = nearest_points(forme, point)[0]
    ecart = distance_km(latitude, longitude, proche.y, proche.x)
    return ecart if math.isfinite(ecart) else 0.0
