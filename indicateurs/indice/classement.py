"""The fragility index of a territory read for people: the ranking, the map, one unit's detail.

Reads only: the results are computed by :mod:`indicateurs.indice.services`. A ranking is the units
of one stored result (by default the latest at that level for the territory) within one
territory, most fragile first, like the annex of a council deliberation. A unit's detail
says what drives its index: its four axes and each indicator's score, next to the raw value
and the mean of the reference set.

The map draws each unit's outline (``Contour``) coloured by index class; a unit without an
outline is a circle proportional to its population at its representative point (for a
commune, the reference geography's point). Sites open to the public are laid over it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Avg, Count, Q

from indicateurs.enums import AXES, Axe, Indicateur, Methode, Niveau
from indicateurs.territoire import Territoire
from structures.models import Lieu
from territoires.models import Commune
from territoires.perimetres import Perimetre

from .models import Contour, IndiceUnite, ResultatIndice, ValeurIndicateur

CLASSES = 5
DECIMALES_CARTE = 5
# a score at or beyond these bounds drives the index (rangs: −3..+3; ratio: base 100)
SEUIL_MOTEUR = {Methode.RANGS: 2.0, Methode.RATIO: 120.0}
SEUIL_ATOUT = {Methode.RANGS: -2.0, Methode.RATIO: 80.0}

COLONNES = [
    "pk",
    "code",
    "nom",
    "commune_id",
    "commune",
    "zone_id",
    "indice",
    *Axe.values,
    "acces_global",
    "competences_global",
]
GLOBAUX = [("acces_global", "accès (global)"), ("competences_global", "compétences (global)")]
# the reference of a published table's base 100 (``parametres["reference_publiee"]``)
REFERENCES_PUBLIEES = {
    "departement": ("département", "la moyenne de son département"),
    "epci": ("EPCI", "la moyenne de son intercommunalité (EPCI)"),
    "region": ("région", "la moyenne de sa région"),
}


def perimetre_du_territoire(territoire: Territoire) -> Perimetre:
    cle = {"commune": "communes", "epci": "epcis", "departement": "departements"}[territoire.type]
    return Perimetre(**{cle: frozenset([territoire.code])})


def resultats_du_territoire(territoire: Territoire, niveau: str):
    """The stored results with at least one unit in the territory, latest vintage first."""
    return (
        ResultatIndice.objects.dans(perimetre_du_territoire(territoire))
        .filter(niveau=niveau)
        .order_by("-millesime", "-calcule_le", "-pk")
    )


def libelle_resultat(resultat: ResultatIndice) -> str:
    """``2022 · indice publié · 15/09/2022 n° 3``: enough to tell versions apart."""
    parties = [str(resultat.millesime), Methode(resultat.methode).label]
    reference = (resultat.parametres or {}).get("reference")
    if reference:
        parties.append(f"référence {reference.get('nom', reference.get('code'))}")
    publiee = REFERENCES_PUBLIEES.get((resultat.parametres or {}).get("reference_publiee"))
    if publiee:
        editeur = resultat.parametres.get("editeur", "")
        parties.append(f"{editeur}, base 100 par {publiee[0]}".strip(", "))
    echelle = (resultat.parametres or {}).get("echelle")
    if echelle and float(echelle) != 10.0:
        parties.append(f"échelle {float(echelle):g}".replace(".", ","))
    parties.append(f"{resultat.calcule_le:%d/%m/%Y} n° {resultat.pk}")
    return " · ".join(parties)


def lecture_publiee(resultat: ResultatIndice | None) -> str:
    """How to read a published table's scores (base 100 against a reference), or ``""``."""
    parametres = (resultat.parametres or {}) if resultat is not None else {}
    publiee = REFERENCES_PUBLIEES.get(parametres.get("reference_publiee"))
    if not publiee:
        return ""
    editeur = parametres.get("editeur") or "la source"
    return (
        f"scores publiés par {editeur}, base 100\u00a0: 100 est {publiee[1]}, au-dessus de "
        "100 l'unité est plus fragile que cette moyenne. La source ne donne que ces scores, "
        "sans les valeurs des indicateurs."
    )


def bornes_des_classes(indices: pd.Series) -> list[float]:
    """Quintiles of the known indices: the 4 inner limits of the 5 colour classes."""
    connus = indices.dropna()
    if connus.empty:
        return []
    return [float(connus.quantile(q / CLASSES)) for q in range(1, CLASSES)]


def classes(indices: pd.Series, bornes: list[float]) -> np.ndarray:
    """1 (least fragile) to 5 (most fragile), 0 without an index."""
    if not bornes:
        return np.zeros(len(indices), dtype=int)
    rangs = np.searchsorted(np.asarray(bornes), indices.to_numpy(dtype=float), side="right") + 1
    return np.where(indices.isna().to_numpy(), 0, rangs)


@dataclass
class Classement:
    territoire: Territoire
    niveau: str
    resultat: ResultatIndice | None
    unites: pd.DataFrame  # COLONNES + rang, classe, population, latitude, longitude, contour
    bornes: list[float] = field(default_factory=list)
    lieux: pd.DataFrame | None = None
    geometries: dict = field(default_factory=dict)  # code → GeoJSON geometry

    @property
    def avec_axes(self) -> bool:
        return bool(self.unites[list(Axe.values)].notna().any().any())

    @property
    def avec_globaux(self) -> bool:
        colonnes = [c for c, _ in GLOBAUX]
        return bool(self.unites[colonnes].notna().any().any())

    @property
    def avec_scores(self) -> bool:
        """Indicator scores exist: a computed result (a published one has none)."""
        return self.resultat is not None and self.resultat.methode != Methode.PUBLIE

    @property
    def sans_indice(self) -> int:
        return int(self.unites["indice"].isna().sum())


def _cadre(lignes, colonnes) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(lignes), columns=colonnes)


def classer(
    territoire: Territoire, niveau: str, resultat: ResultatIndice | None = None
) -> Classement:
    """The territory's units of ``resultat`` (the latest result when None), ranked."""
    perimetre = perimetre_du_territoire(territoire)
    if resultat is None:
        resultat = resultats_du_territoire(territoire, niveau).first()
    unites = _cadre(
        IndiceUnite.objects.dans(perimetre)
        .filter(resultat=resultat)
        .values_list(
            "pk",
            "code",
            "nom",
            "commune_id",
            "commune__nom",
            "zone_id",
            "indice",
            *Axe.values,
            "acces_global",
            "competences_global",
        )
        if resultat
        else [],
        COLONNES,
    )
    contours = _cadre(
        Contour.objects.dans(perimetre)
        .filter(niveau=niveau, code__in=unites["code"].tolist())
        .values_list("code", "latitude", "longitude", "population", "geometrie"),
        ["code", "latitude", "longitude", "population", "geometrie"],
    ).set_index("code")
    unites["population"] = unites["code"].map(contours["population"]).astype(float)
    unites["latitude"] = unites["code"].map(contours["latitude"]).astype(float)
    unites["longitude"] = unites["code"].map(contours["longitude"]).astype(float)
    unites["contour"] = unites["code"].isin(contours.index[contours["geometrie"].notna()])
    if niveau == Niveau.COMMUNE and not unites.empty:
        communes = _cadre(
            Commune.objects.filter(pk__in=unites["commune_id"].tolist()).values_list(
                "pk", "population", "latitude", "longitude"
            ),
            ["code", "population", "latitude", "longitude"],
        ).set_index("code")
        for colonne in ("population", "latitude", "longitude"):
            unites[colonne] = unites[colonne].fillna(
                unites["commune_id"].map(communes[colonne]).astype(float)
            )
    unites["indice"] = unites["indice"].astype(float)
    unites["rang"] = unites["indice"].rank(ascending=False, method="min")
    unites = unites.sort_values(["rang", "code"], na_position="last", kind="stable").reset_index(
        drop=True
    )
    bornes = bornes_des_classes(unites["indice"])
    unites["classe"] = classes(unites["indice"], bornes)
    lieux = _cadre(
        Lieu.objects.publics()
        .points_plausibles()
        .filter(territoire.q("commune"), latitude__isnull=False)
        .order_by("nom", "pk")
        .values_list("pk", "nom", "latitude", "longitude", "commune__nom"),
        ["pk", "nom", "latitude", "longitude", "commune"],
    )
    geometries = contours["geometrie"].dropna().to_dict()
    return Classement(territoire, niveau, resultat, unites, bornes, lieux, geometries)


def _nombre(valeur, decimales: int = DECIMALES_CARTE):
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    return round(float(valeur), decimales)


def donnees_carte(classement: Classement, *, url_unite: str, url_lieu: str) -> dict:
    """What the map script draws: a GeoJSON collection of outlines, circles, the sites.

    ``url_unite`` and ``url_lieu`` end with ``/0/``: the script puts each object's id there.
    """
    outlines, cercles, sans_point = [], [], []
    for u in classement.unites.itertuples(index=False):
        proprietes = {
            "id": int(u.pk),
            "nom": u.nom if classement.niveau == Niveau.COMMUNE else f"{u.nom} ({u.commune})",
            "indice": _nombre(u.indice, 2),
            "rang": None if math.isnan(u.rang) else int(u.rang),
            "classe": int(u.classe),
            "population": None if math.isnan(u.population) else int(u.population),
        }
        geometrie = classement.geometries.get(u.code)
        if geometrie:
            outlines.append({"type": "Feature", "properties": proprietes, "geometry": geometrie})
        elif not (math.isnan(u.latitude) or math.isnan(u.longitude)):
            cercles.append({**proprietes, "lat": _nombre(u.latitude), "lon": _nombre(u.longitude)})
        else:
            sans_point.append(u.nom)
    return {
        "contours": {"type": "FeatureCollection", "features": outlines},
        "cercles": cercles,
        "lieux": [
            [int(lieu.pk), lieu.nom, _nombre(lieu.latitude), _nombre(lieu.longitude)]
            for lieu in classement.lieux.itertuples(index=False)
        ],
        "url_unite": url_unite,
        "url_lieu": url_lieu,
    }


def unites_sans_point(classement: Classement) -> list[str]:
    u = classement.unites
    return u.loc[~u["contour"] & (u["latitude"].isna() | u["longitude"].isna()), "nom"].tolist()


def legende(bornes: list[float]) -> list[dict]:
    """The colour classes with their index ranges, in French number format."""
    if not bornes:
        return [{"classe": 0, "libelle": "pas d'indice"}]

    def f(x: float) -> str:
        return f"{x:.2f}".replace(".", ",")

    libelles = [f"moins de {f(bornes[0])}"]
    libelles += [f"de {f(a)} à moins de {f(b)}" for a, b in itertools.pairwise(bornes)]
    libelles.append(f"{f(bornes[-1])} ou plus")
    return [
        *({"classe": i + 1, "libelle": t} for i, t in enumerate(libelles)),
        {"classe": 0, "libelle": "pas d'indice"},
    ]


# -- one unit ------------------------------------------------------------------------------


@dataclass
class LigneIndicateur:
    code: str
    libelle: str
    valeur: float | None
    moyenne: float | None
    score: float | None
    moteur: bool
    atout: bool


@dataclass
class LigneAxe:
    code: str
    libelle: str
    score: float | None
    indicateurs: list[LigneIndicateur]


@dataclass
class Detail:
    unite: IndiceUnite
    resultat: ResultatIndice
    rang: int | None
    sur: int
    axes: list[LigneAxe]
    moteurs: list[LigneIndicateur]
    atouts: list[LigneIndicateur]
    axe_principal: LigneAxe | None
    historique: list[IndiceUnite]
    echelle: float | None
    reference: str
    globaux: list[tuple[str, float]] = field(default_factory=list)
    lecture_publiee: str = ""


def _reference_des_valeurs(resultat: ResultatIndice) -> Q:
    reference = (resultat.parametres or {}).get("reference")
    if not reference:
        return Q()
    return Territoire(reference["type"], reference["code"], reference.get("nom", "")).q()


def detailler(unite: IndiceUnite) -> Detail:
    """The nature of one unit's fragility in its result: axes, indicators, drivers."""
    resultat = unite.resultat
    methode = resultat.methode
    unites = IndiceUnite.objects.tous().filter(resultat=resultat)
    sur = unites.filter(indice__isnull=False).count()
    rang = None
    if unite.indice is not None:
        rang = unites.filter(indice__gt=unite.indice).count() + 1
    valeurs, moyennes = {}, {}
    if methode != Methode.PUBLIE:
        du_millesime = ValeurIndicateur.objects.tous().filter(
            niveau=resultat.niveau, millesime=resultat.millesime
        )
        valeurs = dict(du_millesime.filter(code=unite.code).values_list("indicateur", "valeur"))
        moyennes = {
            ligne["indicateur"]: ligne["moyenne"]
            for ligne in du_millesime.filter(_reference_des_valeurs(resultat))
            .values("indicateur")
            .annotate(moyenne=Avg("valeur"), n=Count("pk"))
            .order_by()
        }
    scores = unite.scores or {}
    haut, bas = SEUIL_MOTEUR.get(methode), SEUIL_ATOUT.get(methode)
    axes = []
    for axe in Axe:
        lignes = []
        for indicateur in AXES[axe]:
            score = scores.get(str(indicateur))
            lignes.append(
                LigneIndicateur(
                    code=str(indicateur),
                    libelle=Indicateur(indicateur).label,
                    valeur=valeurs.get(str(indicateur)),
                    moyenne=moyennes.get(str(indicateur)),
                    score=score,
                    moteur=score is not None and haut is not None and score >= haut,
                    atout=score is not None and bas is not None and score <= bas,
                )
            )
        axes.append(LigneAxe(str(axe), axe.label, getattr(unite, str(axe)), lignes))
    toutes = [ligne for axe in axes for ligne in axe.indicateurs]
    moteurs = sorted((i for i in toutes if i.moteur), key=lambda i: (-i.score, i.libelle))
    atouts = sorted((i for i in toutes if i.atout), key=lambda i: (i.score, i.libelle))
    avec_score = [a for a in axes if a.score is not None]
    axe_principal = max(avec_score, key=lambda a: a.score) if avec_score else None
    historique = list(
        IndiceUnite.objects.tous()
        .filter(code=unite.code, resultat__niveau=resultat.niveau)
        .exclude(pk=unite.pk)
        .select_related("resultat")
        .order_by("-resultat__millesime", "-resultat__calcule_le")
    )
    parametres = resultat.parametres or {}
    reference = parametres.get("reference")
    return Detail(
        unite=unite,
        resultat=resultat,
        rang=rang,
        sur=sur,
        axes=axes,
        moteurs=moteurs,
        atouts=atouts,
        axe_principal=axe_principal,
        historique=historique,
        echelle=float(parametres["echelle"]) if "echelle" in parametres else None,
        reference=reference.get("nom", reference.get("code")) if reference else "",
        globaux=[
            (libelle, getattr(unite, champ))
            for champ, libelle in GLOBAUX
            if getattr(unite, champ) is not None
        ],
        lecture_publiee=lecture_publiee(resultat),
    )
