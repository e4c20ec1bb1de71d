"""Coverage analysis: where the need is, where the offer is missing, where to go next.

Two layers:

- :func:`analyser` is pure computation on pandas frames (no database): the nearest offer of
  each unit as the crow flies (haversine on numpy arrays, by blocks), the ratios per 10,000
  inhabitants, the fragile units without any offer within X km and their population, and a
  greedy maximum-coverage suggestion of the next k places.
- :func:`lire_donnees` reads the frames of one territory from the database in a fixed
  number of queries, whatever the number of units or sites.

Definitions (also shown on the page):

- unit: a commune of the territory, or a zone (IRIS or district) when the level chosen is
  ``iris`` or ``quartier`` (the zones that have an index or an outline at that level);
- representative point and population: those of the unit's :class:`~indicateurs.indice.
  models.Contour`, else, for a commune, those of the reference geography (``Commune``);
- index: the latest result (latest vintage, then latest computation) of the level with at
  least one unit in the territory;
- sites of a unit: the sites located in it (their commune, or their zone) offering the chosen
  service (any service when none is chosen);
- weekly advisor hours of a unit: over the assignments in force today at any site of the
  unit, the sum of (departure − arrival) × days of presence per week × advisors assigned;
- distance to the offer: straight line (haversine, mean Earth radius) from the unit's point
  to the nearest site or itinerant stop offering the service, in any territory;
- fragile: index ≥ threshold; by default the third quartile of the indices of the
  territory's units (the most fragile quarter);
- without offer: no site nor stop offering the service within X km of the unit's point.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

RAYON_TERRE_KM = 6371.0088  # mean Earth radius (IUGG)
QUANTILE_SEUIL_PAR_DEFAUT = 0.75
# a block of the unit × offer distance matrix holds at most this many cells (16 MB of floats)
CELLULES_PAR_BLOC = 2_000_000
# beyond this distance past X, the nearest offer is not searched (see ``lire_donnees``)
MARGE_RECHERCHE_KM = 30.0

COLONNES_UNITES = [
    "cle",
    "code",
    "nom",
    "population",
    "indice",
    "latitude",
    "longitude",
    "lieux",
    "heures",
]
COLONNES_POINTS = ["cle", "nom", "latitude", "longitude"]

COUVERTE = "couverte"
SANS_OFFRE = "sans_offre"
SANS_POINT = "sans_point"


# -- distances ---------------------------------------------------------------------------


def distances_km(lat_a, lon_a, lat_b, lon_b) -> np.ndarray:
    """Haversine distances (km) between every point A (rows) and every point B (columns)."""
    phi_a = np.radians(np.asarray(lat_a, dtype=float))[:, None]
    phi_b = np.radians(np.asarray(lat_b, dtype=float))[None, :]
    lam_a = np.radians(np.asarray(lon_a, dtype=float))[:, None]
    lam_b = np.radians(np.asarray(lon_b, dtype=float))[None, :]
    h = (
        np.sin((phi_b - phi_a) / 2) ** 2
        + np.cos(phi_a) * np.cos(phi_b) * np.sin((lam_b - lam_a) / 2) ** 2
    )
    return 2 * RAYON_TERRE_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def plus_proche(lat_a, lon_a, lat_b, lon_b) -> tuple[np.ndarray, np.ndarray]:
    """For each point A: the distance (km) to the nearest point B and its position in B.

    NaN and -1 when B is empty. Computed by blocks of A so that memory stays bounded.
    """
    lat_a = np.asarray(lat_a, dtype=float)
    n, m = len(lat_a), len(lat_b)
    distances = np.full(n, np.nan)
    positions = np.full(n, -1, dtype=int)
    if n == 0 or m == 0:
        return distances, positions
    lon_a = np.asarray(lon_a, dtype=float)
    bloc = max(1, CELLULES_PAR_BLOC // m)
    for debut in range(0, n, bloc):
        matrice = distances_km(
            lat_a[debut : debut + bloc], lon_a[debut : debut + bloc], lat_b, lon_b
        )
        positions[debut : debut + bloc] = matrice.argmin(axis=1)
        distances[debut : debut + bloc] = matrice.min(axis=1)
    return distances, positions


# -- analysis ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One pick of the greedy: a place and the fragile units it brings within X km."""

    rang: int
    cle: str
    nom: str
    type: str  # "unite" (a unit's point) or "lieu" (a partner site without the service)
    latitude: float
    longitude: float
    unites: pd.DataFrame  # code, nom, population, indice, distance_km (to the place)
    population: float
    unites_couvertes: int
    population_cumulee: float


@dataclass
class Analyse:
    unites: pd.DataFrame  # COLONNES_UNITES + distance_km, offre_proche, ratios, fragile, statut
    rayon_km: float
    seuil: float | None
    seuil_par_defaut: bool
    k: int
    portee_km: float
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def sans_offre(self) -> pd.DataFrame:
        """Fragile units without any offer within X km, most fragile first."""
        unites = self.unites[self.unites["fragile"] & (self.unites["statut"] == SANS_OFFRE)]
        return unites.sort_values(["indice", "population", "code"], ascending=[False, False, True])

    @property
    def population_sans_offre(self) -> float:
        return float(self.sans_offre["population"].fillna(0).sum())

    @property
    def toutes_sans_offre(self) -> pd.DataFrame:
        return self.unites[self.unites["statut"] == SANS_OFFRE]

    @property
    def sans_point(self) -> pd.DataFrame:
        return self.unites[self.unites["statut"] == SANS_POINT]

    @property
    def fragiles(self) -> pd.DataFrame:
        return self.unites[self.unites["fragile"]]

    @property
    def population_couverte_par_suggestions(self) -> float:
        return self.suggestions[-1].population_cumulee if self.suggestions else 0.0

    @property
    def population_sans_offre_apres(self) -> float:
        return self.population_sans_offre - self.population_couverte_par_suggestions


def seuil_par_defaut(indices: pd.Series) -> float | None:
    """Third quartile (linear interpolation) of the known indices; None when there is none."""
    connus = indices.dropna()
    if connus.empty:
        return None
    return float(connus.quantile(QUANTILE_SEUIL_PAR_DEFAUT))


def _par_10000(valeurs: pd.Series, population: pd.Series) -> pd.Series:
    population = population.where(population > 0)
    return valeurs / population * 10_000


def analyser(
    unites: pd.DataFrame,
    offres: pd.DataFrame,
    *,
    rayon_km: float,
    k: int,
    seuil: float | None = None,
    candidats: pd.DataFrame | None = None,
    portee_km: float = math.inf,
) -> Analyse:
    """Analyse the coverage of ``unites`` by ``offres`` (both frames, see the module doc).

    ``unites``: :data:`COLONNES_UNITES` (population, index, point may be NaN);
    ``offres``: points offering the service (:data:`COLONNES_POINTS`); ``candidats``: extra
    candidate places besides the units' points (partner sites without the service);
    ``portee_km``: the nearest offer was only searched within this distance (farther
    distances are unknown, reported as NaN, and the unit counts as without offer).
    """
    tableau = unites.reset_index(drop=True).copy()
    a_un_point = tableau["latitude"].notna() & tableau["longitude"].notna()
    distances = np.full(len(tableau), np.nan)
    proches = np.full(len(tableau), None, dtype=object)
    if a_un_point.any() and len(offres):
        d, positions = plus_proche(
            tableau.loc[a_un_point, "latitude"],
            tableau.loc[a_un_point, "longitude"],
            offres["latitude"],
            offres["longitude"],
        )
        connues = d <= portee_km
        d = np.where(connues, d, np.nan)
        noms = offres["nom"].to_numpy(dtype=object)[positions]
        distances[a_un_point.to_numpy()] = d
        proches[a_un_point.to_numpy()] = np.where(connues, noms, None)
    tableau["distance_km"] = distances
    tableau["offre_proche"] = proches
    tableau["lieux_pour_10000"] = _par_10000(tableau["lieux"], tableau["population"])
    tableau["heures_pour_10000"] = _par_10000(tableau["heures"], tableau["population"])
    seuil_choisi = seuil if seuil is not None else seuil_par_defaut(tableau["indice"])
    if seuil_choisi is None:
        tableau["fragile"] = False
    else:
        tableau["fragile"] = (tableau["indice"] >= seuil_choisi).fillna(False).astype(bool)
    couverte = tableau["distance_km"] <= rayon_km
    tableau["statut"] = np.select(
        [~a_un_point, couverte], [SANS_POINT, COUVERTE], default=SANS_OFFRE
    )
    analyse = Analyse(
        unites=tableau,
        rayon_km=rayon_km,
        seuil=seuil_choisi,
        seuil_par_defaut=seuil is None,
        k=k,
        portee_km=portee_km,
    )
    analyse.suggestions = suggerer(tableau, rayon_km=rayon_km, k=k, candidats=candidats)
    return analyse


def suggerer(
    tableau: pd.DataFrame, *, rayon_km: float, k: int, candidats: pd.DataFrame | None = None
) -> list[Suggestion]:
    """Greedy maximum coverage of the fragile population without offer.

    Candidates: every unit's point (in the order of ``tableau``), then ``candidats``. Each
    pick maximises the fragile population newly brought within ``rayon_km``; ties go to
    the candidate bringing more units, then to the first candidate. Stops after ``k`` picks
    or when no candidate brings any unit.
    """
    demande = tableau[tableau["fragile"] & (tableau["statut"] == SANS_OFFRE)]
    if k <= 0 or demande.empty:
        return []
    points = tableau[tableau["statut"] != SANS_POINT]
    lieu = pd.Series("unite", index=points.index)
    places = pd.DataFrame(
        {
            "cle": points["cle"].to_numpy(),
            "nom": points["nom"].to_numpy(),
            "type": lieu.to_numpy(),
            "latitude": points["latitude"].to_numpy(),
            "longitude": points["longitude"].to_numpy(),
        }
    )
    if candidats is not None and len(candidats):
        autres = candidats[COLONNES_POINTS].dropna(subset=["latitude", "longitude"]).copy()
        autres["type"] = "lieu"
        places = pd.concat([places, autres], ignore_index=True)
    distances = distances_km(
        places["latitude"], places["longitude"], demande["latitude"], demande["longitude"]
    )
    couvre = distances <= rayon_km
    poids = demande["population"].fillna(0).to_numpy(dtype=float)
    restante = np.ones(len(demande), dtype=bool)
    ordre = np.arange(len(places))
    suggestions: list[Suggestion] = []
    cumul = 0.0
    for rang in range(1, k + 1):
        gains = couvre @ (poids * restante)
        nombres = couvre @ restante.astype(int)
        meilleur = int(np.lexsort((ordre, -nombres, -gains))[0])
        if nombres[meilleur] == 0:
            break
        nouvelles = couvre[meilleur] & restante
        restante &= ~couvre[meilleur]
        cumul += float(gains[meilleur])
        couvertes = demande[nouvelles][["code", "nom", "population", "indice"]].copy()
        couvertes["distance_km"] = distances[meilleur][nouvelles]
        place = places.iloc[meilleur]
        suggestions.append(
            Suggestion(
                rang=rang,
                cle=str(place["cle"]),
                nom=str(place["nom"]),
                type=str(place["type"]),
                latitude=float(place["latitude"]),
                longitude=float(place["longitude"]),
                unites=couvertes.sort_values(["population", "code"], ascending=[False, True]),
                population=float(gains[meilleur]),
                unites_couvertes=int(nombres[meilleur]),
                population_cumulee=cumul,
            )
        )
    return suggestions


# -- reading a territory ---------------------------------------------------------------------


@dataclass
class Donnees:
    """The frames of one territory, and where they come from (shown as assumptions)."""

    unites: pd.DataFrame
    offres: pd.DataFrame
    candidats: pd.DataFrame
    resultat: object | None  # ResultatIndice
    portee_km: float
    sources_population: list[str]
    communes_sans_unite: int = 0


def _cadre(lignes, colonnes) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(lignes), columns=colonnes)


def _boite(unites: pd.DataFrame, marge_km: float) -> tuple[float, float, float, float] | None:
    """Latitude/longitude box around the units' points, widened by ``marge_km``."""
    points = unites.dropna(subset=["latitude", "longitude"])
    if points.empty:
        return None
    dlat = marge_km / 110.5  # one degree of latitude is at least 110.57 km
    lat_max = min(89.0, float(points["latitude"].abs().max()) + dlat)
    dlon = min(180.0, marge_km / (111.32 * math.cos(math.radians(lat_max))))
    return (
        float(points["latitude"].min()) - dlat,
        float(points["latitude"].max()) + dlat,
        float(points["longitude"].min()) - dlon,
        float(points["longitude"].max()) + dlon,
    )


def heures_hebdomadaires(mises: pd.DataFrame) -> pd.Series:
    """Weekly advisor hours of each assignment: (end − start) × days × advisors."""
    if mises.empty:
        return pd.Series(dtype=float)
    debut = mises["heure_debut"].map(lambda h: h.hour * 60 + h.minute)
    fin = mises["heure_fin"].map(lambda h: h.hour * 60 + h.minute)
    return (fin - debut) * mises["jours"].str.len() * mises["conseillers"] / 60


def lire_donnees(
    *, territoire, niveau: str, service: str = "", rayon_km: float, le: dt.date | None = None
) -> Donnees:
    """Units, offers and candidate places of ``territoire`` (a ``Territoire``)."""
    from django.db.models import Count

    from conseillers.models import MiseADisposition
    from indicateurs.enums import Niveau
    from indicateurs.indice.models import Contour, IndiceUnite, ResultatIndice
    from structures.fields import ListeChoixField
    from structures.models import Arret, Lieu, point_plausible_q
    from territoires.perimetres import Perimetre

    perimetre = Perimetre(
        **{
            {"commune": "communes", "epci": "epcis", "departement": "departements"}[
                territoire.type
            ]: frozenset([territoire.code])
        }
    )
    communes = _cadre(
        territoire.communes().values_list(
            "code_insee", "nom", "population", "latitude", "longitude"
        ),
        ["code", "nom", "population", "latitude", "longitude"],
    )
    resultat = ResultatIndice.objects.dans(perimetre).du_millesime(niveau).plus_recent()
    indices = _cadre(
        IndiceUnite.objects.dans(perimetre)
        .filter(resultat=resultat)
        .values_list("code", "nom", "commune_id", "zone_id", "indice")
        if resultat
        else [],
        ["code", "nom", "commune_id", "zone_id", "indice"],
    )
    contours = _cadre(
        Contour.objects.dans(perimetre)
        .filter(niveau=niveau)
        .values_list("code", "nom", "commune_id", "zone_id", "latitude", "longitude", "population"),
        ["code", "nom", "commune_id", "zone_id", "latitude", "longitude", "population"],
    )
    sources = sorted(
        set(
            Contour.objects.dans(perimetre)
            .filter(niveau=niveau, population__isnull=False)
            .values_list("source", flat=True)
        )
    )
    lieux = Lieu.objects.tous().filter(commune__in=communes["code"].tolist())
    avec_service = lieux.avec("services", [service]) if service else lieux
    mises = _cadre(
        MiseADisposition.objects.tous()
        .en_cours(le)
        .filter(lieu__commune__in=communes["code"].tolist())
        .annotate(nombre=Count("conseillers"))
        .values_list(
            "lieu__commune_id", "lieu__zone_id", "heure_debut", "heure_fin", "jours", "nombre"
        ),
        ["commune_id", "zone_id", "heure_debut", "heure_fin", "jours", "conseillers"],
    )
    mises["heures"] = heures_hebdomadaires(mises)

    if niveau == Niveau.COMMUNE:
        cle = "commune_id"
        contours_communes = contours[contours["zone_id"].isna()].drop_duplicates("commune_id")
        unites = communes.merge(
            contours_communes[["commune_id", "latitude", "longitude", "population"]],
            how="left",
            left_on="code",
            right_on="commune_id",
            suffixes=("_commune", ""),
        )
        for colonne in ("latitude", "longitude", "population"):
            unites[colonne] = unites[colonne].astype(float).fillna(unites[f"{colonne}_commune"])
        indices_communes = indices[indices["zone_id"].isna()].drop_duplicates("commune_id")
        unites["indice"] = unites["code"].map(indices_communes.set_index("commune_id")["indice"])
        unites["cle"] = unites["code"]
        communes_sans_unite = 0
        if contours_communes["population"].isna().all() or contours_communes.empty:
            sources = []
        sources.append(
            "population municipale légale (INSEE) du référentiel des communes du portail "
            "(découpage administratif, édition 2026), pour les communes sans contour"
        )
    else:
        cle = "zone_id"
        zones = pd.concat(
            [
                contours[["code", "nom", "commune_id", "zone_id"]],
                indices[["code", "nom", "commune_id", "zone_id"]],
            ]
        ).drop_duplicates("code")
        unites = zones.merge(
            contours[["code", "latitude", "longitude", "population"]], how="left", on="code"
        )
        unites["indice"] = unites["code"].map(indices.set_index("code")["indice"])
        unites["cle"] = unites["code"]
        communes_sans_unite = int((~communes["code"].isin(unites["commune_id"])).sum())
        if not sources:
            sources = [
                "aucune population connue\u00a0: chargez les contours des zones avec leur "
                "population"
            ]
    comptes = (
        avec_service.exclude(**{f"{cle[:-3]}__isnull": True})
        .values(cle)
        .annotate(n=Count("pk"))
        .values_list(cle, "n")
        .order_by()
    )
    nombres = dict(comptes)
    if niveau == Niveau.COMMUNE:
        unites["lieux"] = unites["code"].map(nombres).fillna(0).astype(int)
        unites["heures"] = (
            unites["code"].map(mises.groupby("commune_id")["heures"].sum()).fillna(0.0)
        )
    else:
        zone = unites["zone_id"].astype("Int64")
        unites["lieux"] = zone.map(nombres).fillna(0).astype(int)
        unites["heures"] = (
            zone.map(mises.dropna(subset=["zone_id"]).groupby("zone_id")["heures"].sum())
            .fillna(0.0)
            .astype(float)
        )
    unites["population"] = unites["population"].astype(float)
    unites = unites[COLONNES_UNITES].sort_values("code").reset_index(drop=True)

    portee = rayon_km + MARGE_RECHERCHE_KM
    boite = _boite(unites, portee)
    offres = _cadre([], COLONNES_POINTS)
    candidats = _cadre([], COLONNES_POINTS)
    if boite is not None:
        lat_min, lat_max, lon_min, lon_max = boite
        dans_boite = {
            "latitude__gte": lat_min,
            "latitude__lte": lat_max,
            "longitude__gte": lon_min,
            "longitude__lte": lon_max,
        }
        # a site counts where its point is, only if that point lies near its commune: a
        # site of another territory placed here by mistake is not this territory's offer
        publics = Lieu.objects.publics().points_plausibles()
        offrant = publics.avec("services", [service]) if service else publics
        sites = _cadre(
            offrant.filter(**dans_boite)
            .order_by()
            .values_list("pk", "nom", "latitude", "longitude", "commune__nom"),
            ["cle", "nom", "latitude", "longitude", "commune"],
        )
        sites["cle"] = "lieu-" + sites["cle"].astype(str)
        sites["type"] = "lieu"
        arrets = _cadre(
            Arret.objects.filter(lieu__in=offrant.values("pk"), **dans_boite)
            .filter(point_plausible_q("commune"))
            .order_by()
            .values_list("pk", "nom", "latitude", "longitude", "lieu__nom"),
            ["cle", "nom", "latitude", "longitude", "commune"],
        )
        arrets["nom"] = arrets["nom"] + " (arrêt de " + arrets["commune"] + ")"
        arrets["cle"] = "arret-" + arrets["cle"].astype(str)
        arrets["type"] = "arret"
        offres = pd.concat([sites, arrets], ignore_index=True)
        if service:
            candidats = _cadre(
                lieux.filter(latitude__isnull=False)
                .exclude(ListeChoixField.contient("services", service))
                .order_by("nom", "pk")
                .values_list("pk", "nom", "latitude", "longitude"),
                COLONNES_POINTS,
            )
            candidats["cle"] = "lieu-" + candidats["cle"].astype(str)
    return Donnees(
        unites=unites,
        offres=offres,
        candidats=candidats,
        resultat=resultat,
        portee_km=portee,
        sources_population=sources,
        communes_sans_unite=communes_sans_unite,
    )
