"""Map data: compact markers for every result of a search, drawn by structures/carte-lieux.js.

The map uses Leaflet and Leaflet.markercluster served from their ``xstatic`` packages and a
small vanilla script (no CDN, no inline script). Its markers come from one light JSON
document: ``{"lieux": [[id, lat, lon, nom], ...], "arrets": [[id_lieu, lat, lon, nom], ...]}``
with coordinates rounded to 5 decimals (about one metre), two queries whatever the count.
Beyond ``NOMS_JUSQU_A`` sites the names are left out (``[id, lat, lon]``): 20,000 sites
then weigh about 0.5 MB, and a marker's popup reads its site from ``/api/v1/lieux/<id>/``.
"""

from __future__ import annotations

from django.db import connections
from django.templatetags.static import static
from django.urls import reverse

from commun.carte import carte

from . import cache_public
from .models import Arret

DECIMALES = 5
# browsers keep the markers of a search this long (seconds); the shared cache keeps them
# until the public sites change (structures.cache_public)
DUREE_CACHE = 60
# above this many markers, names are left out (a popup fetches its site from the API)
NOMS_JUSQU_A = 3000


def moment_de_cache(parametres) -> str:
    """The markers follow the clock only for a search of the sites open now."""
    return "minute" if parametres.get("ouvert") else ""


def cle_de_cache(parametres) -> str:
    """Same search, same key (the page of the list aside); see ``structures.cache_public``."""
    return cache_public.cle(
        "lieux-carte",
        cache_public.canonique(parametres, sauf=("page",)),
        moment=moment_de_cache(parametres),
    )


def _point(latitude: float, longitude: float) -> tuple[float, float]:
    return round(latitude, DECIMALES), round(longitude, DECIMALES)


def _lignes(valeurs) -> list[tuple]:
    """Every row of a ``values_list`` queryset in one fetch (no per-chunk iteration).

    The queryset is already scoped (``Lieu.objects.publics()``) and its fields need no
    conversion (integers, floats, text), so the cursor's tuples are the values.
    """
    valeurs._verifier()  # the perimeter check a normal evaluation would make
    sql, parametres = valeurs.query.sql_with_params()
    with connections[valeurs.db].cursor() as curseur:
        curseur.execute(sql, parametres)
        return curseur.fetchall()


def marqueurs(lieux) -> dict[str, list[list]]:
    """Markers of ``lieux`` (a filtered queryset) and of their stops."""
    lieux = lieux.filter(latitude__isnull=False).order_by()
    points = [
        [pk, round(latitude, DECIMALES), round(longitude, DECIMALES), nom]
        for pk, latitude, longitude, nom in _lignes(
            lieux.values_list("pk", "latitude", "longitude", "nom")
        )
    ]
    # stops are few (itinerant sites only): read them all, keep those of the sites found
    identifiants = {point[0] for point in points}
    arrets = [
        [lieu, round(latitude, DECIMALES), round(longitude, DECIMALES), nom]
        for lieu, latitude, longitude, nom in Arret.objects.filter(latitude__isnull=False)
        .order_by("lieu_id", "nom")
        .values_list("lieu_id", "latitude", "longitude", "nom")
        if lieu in identifiants
    ]
    if len(points) > NOMS_JUSQU_A:  # keep a national map light: names load with the popup
        points = [point[:3] for point in points]
    return {"lieux": points, "arrets": arrets}


def marqueurs_du_lieu(lieu) -> dict[str, list[list]]:
    """Markers of one site's page: the site itself and its stops (already prefetched)."""
    points = []
    if lieu.latitude is not None:
        points.append([lieu.pk, *_point(lieu.latitude, lieu.longitude), lieu.nom])
    arrets = [
        [lieu.pk, *_point(arret.latitude, arret.longitude), arret.nom]
        for arret in lieu.arrets.all()
        if arret.latitude is not None
    ]
    return {"lieux": points, "arrets": arrets}


def attributs_de_la_carte(*, donnees_url: str = "") -> dict:
    """What carte-lieux.js reads on the map's container: the URL of the search's markers
    (``source``), or else the id of the site page's json_script (``donnees``)."""
    return carte(
        source=donnees_url,
        donnees="" if donnees_url else "marqueurs-carte",
        lieu=reverse("structures:lieu", args=[0]),
        api=reverse("api:lieu-detail", args=[0]),
        icones=static("leaflet/images/"),
    )
