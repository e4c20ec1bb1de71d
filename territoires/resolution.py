"""From what a file, a form or the API says of a place's commune (INSEE code, postal code,
name, point) to today's commune, its municipal arrondissement where there is one, and the
warnings a coordinator should read; then the cross-checks of the postal code and the point.

One resolver for every entry point: the site import (``structures.normes``) loads the whole
reference once (:meth:`Referentiel.complet`); a form or an API call loads only the
communes around the values it received (:meth:`Referentiel.autour`).

Order of the attempts (the first that succeeds wins):

1. a current INSEE code; an arrondissement's code (Paris, Lyon, Marseille); the code of a
   commune déléguée, associée or merged, with a warning naming today's commune;
2. an arrondissement's name (``PARIS 19``, ``Paris 12e``, ``Marseille 1er arrondissement``);
3. the name of a commune having that postal code;
4. the name of a commune déléguée, associée or former commune of the postal code's
   département (warning);
5. a locality of La Poste's base under that postal code (``MONTFAVET`` 84140, warning);
6. a commune or locality name unique in the département (warning);
7. without INSEE code, among the communes of the postal code, the one nearest the point,
   if within the distance allowed to a site from its commune's centre (warning).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from commun.formats import de_la_commune, nombre

from . import contours as _contours
from .enums import TypeAncienneCommune, TypeZone
from .models import AncienneCommune, Commune, LocalitePostale, Zone
from .text import normaliser

RAYON_TERRE_KM = 6371.0088
# How far from its commune's centre a point may lie: the widest metropolitan communes
# (Arles, Saintes-Maries-de-la-Mer) stay within 30 km of their centre; overseas communes
# are wider, French Guiana's much wider. The reference has no centre for the communes of
# the overseas collectivities (975 to 988): their points are not checked.
ECART_MAX_KM = 30
ECART_MAX_OUTRE_MER_KM = {"973": 200, "97": 60}

_RE_ARRONDISSEMENT = re.compile(
    r"^(paris|lyon|marseille) (\d{1,2}) ?(?:e|er|eme|ieme|em)?(?: arr(?:ondissement|t)?)?$"
)


def distance_km(lat_a: float, lon_a: float, lat_b: float, lon_b: float) -> float:
    """As the crow flies (haversine)."""
    phi_a, phi_b = math.radians(lat_a), math.radians(lat_b)
    dphi, dlambda = phi_b - phi_a, math.radians(lon_b - lon_a)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi_a) * math.cos(phi_b) * math.sin(dlambda / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(h)))


def ecart_max_km(code_insee: str) -> float:
    for prefixe, ecart in ECART_MAX_OUTRE_MER_KM.items():
        if code_insee.startswith(prefixe):
            return ecart
    return ECART_MAX_KM


def km(distance: float) -> str:
    """``19350.4`` → ``"19 350 km"`` (narrow spaces as thousands separator)."""
    return f"{nombre(round(distance))}\u00a0km"


def departements_du_code_postal(code_postal: str) -> tuple[str, ...]:
    if not code_postal:
        return ()
    if code_postal.startswith("20"):
        return ("2A", "2B")
    if code_postal.startswith(("97", "98")):
        return (code_postal[:3],)
    return (code_postal[:2],)


def departement_du_code(code_insee: str) -> str:
    return code_insee[:3] if code_insee.startswith(("97", "98")) else code_insee[:2]


def cle_arrondissement(nom: str) -> tuple[str, int] | None:
    """``"PARIS 19"``, ``"Paris 19e Arrondissement"`` → ``("paris", 19)``."""
    trouve = _RE_ARRONDISSEMENT.match(normaliser(nom))
    return (trouve.group(1), int(trouve.group(2))) if trouve else None


class CommuneConnue(NamedTuple):
    code: str
    nom: str
    recherche: str
    departement: str
    codes_postaux: tuple[str, ...]
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Arrondissement:
    code: str
    nom: str
    commune: str
    zone_id: int


@dataclass(frozen=True)
class Ancienne:
    code: str
    nom: str
    type: str
    commune: str
    annee: int | None


@dataclass
class Resolution:
    commune: CommuneConnue | None = None
    arrondissement: Arrondissement | None = None
    avertissements: list[str] = field(default_factory=list)

    @property
    def code(self) -> str | None:
        return self.commune.code if self.commune else None

    @property
    def zone_id(self) -> int | None:
        return self.arrondissement.zone_id if self.arrondissement else None


class Referentiel:
    """The reference geography in memory, indexed for :meth:`resoudre`."""

    def __init__(self, communes, arrondissements, anciennes, localites):
        self._avec_contour: set[str] | None = None
        self._contours: dict[str, dict | None] = {}
        self.communes: dict[str, CommuneConnue] = {
            code: CommuneConnue(code, nom, recherche, dep, tuple(cps.split("|")), lat, lon)
            for code, nom, recherche, dep, cps, lat, lon in communes
        }
        self._noms_indexes = False
        self.arrondissements: dict[str, Arrondissement] = {}
        self.arrondissement_par_nom: dict[tuple[str, int], str] = {}
        self.arrondissement_par_code_postal: dict[str, str] = {}
        for zone_id, code, nom, commune in arrondissements:
            self.arrondissements[code] = Arrondissement(code, nom, commune, zone_id)
            cle = cle_arrondissement(nom)
            if cle:
                self.arrondissement_par_nom[cle] = code
            for cp in self.communes[commune].codes_postaux if commune in self.communes else ():
                # Paris 16e has two postal codes (75016, 75116): both name it
                numero = int(cp[-2:]) if cp != "75116" else 16
                if cle and numero == cle[1]:
                    self.arrondissement_par_code_postal[cp] = code
        self.communes_a_arrondissements = {a.commune for a in self.arrondissements.values()}
        self.anciennes: dict[str, list[Ancienne]] = defaultdict(list)
        self.anciennes_par_departement_nom: dict[tuple[str, str], list[Ancienne]] = defaultdict(
            list
        )
        for code, nom, recherche, type_, commune, annee in anciennes:
            ancienne = Ancienne(code, nom, type_, commune, annee)
            self.anciennes[code].append(ancienne)
            if recherche:
                self.anciennes_par_departement_nom[(departement_du_code(code), recherche)].append(
                    ancienne
                )
        self._localites = list(localites)

    def _indexer_les_noms(self) -> None:
        """The indexes of the resolution by name, built the first time a row needs them
        (a file whose every row has a current code never does)."""
        if self._noms_indexes:
            return
        self._noms_indexes = True
        self.par_code_postal: dict[str, list[str]] = defaultdict(list)
        self.par_departement_nom: dict[tuple[str, str], list[str]] = defaultdict(list)
        for commune in self.communes.values():
            for cp in commune.codes_postaux:
                self.par_code_postal[cp].append(commune.code)
            self.par_departement_nom[(commune.departement, commune.recherche)].append(commune.code)
        self.localites: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.localites_par_departement_nom: dict[tuple[str, str], set[str]] = defaultdict(set)
        for cp, recherche, commune in self._localites:
            self.localites[(cp, recherche)].append(commune)
            if commune in self.communes:
                dep = self.communes[commune].departement
                self.localites_par_departement_nom[(dep, recherche)].add(commune)

    # -- loading -------------------------------------------------------------------------

    _CHAMPS_COMMUNE = (
        "code_insee",
        "nom",
        "nom_recherche",
        "departement_id",
        "codes_postaux",
        "latitude",
        "longitude",
    )

    @classmethod
    def complet(cls) -> Referentiel:
        """Every commune, arrondissement, former commune and locality (for a file)."""
        return cls(
            Commune.objects.values_list(*cls._CHAMPS_COMMUNE).iterator(chunk_size=5000),
            Zone.objects.tous()
            .filter(type=TypeZone.ARRONDISSEMENT)
            .values_list("pk", "code", "nom", "commune_id"),
            AncienneCommune.objects.values_list(
                "code_insee", "nom", "nom_recherche", "type", "commune_id", "annee"
            ).iterator(chunk_size=5000),
            LocalitePostale.objects.values_list("code_postal", "nom_recherche", "commune_id"),
        )

    @classmethod
    def autour(cls, *, code_insee: str = "", code_postal: str = "") -> Referentiel:
        """What one place needs: the communes of its code, postal code and départements."""
        departements = set(departements_du_code_postal(code_postal))
        anciennes = AncienneCommune.objects.filter(
            Q(code_insee=code_insee)
            | Q(commune__departement__in=departements)
            | Q(commune__codes_postaux__contains=code_postal or "-")
        )
        codes = {code_insee} | set(anciennes.values_list("commune_id", flat=True))
        arrondissements = Zone.objects.tous().filter(
            Q(code=code_insee) | Q(commune__codes_postaux__contains=code_postal or "-"),
            type=TypeZone.ARRONDISSEMENT,
        )
        codes |= set(arrondissements.values_list("commune_id", flat=True))
        if code_insee:
            departements.add(departement_du_code(code_insee))
        communes = Commune.objects.filter(
            Q(code_insee__in=codes)
            | Q(departement__in=departements)
            | Q(codes_postaux__contains=code_postal or "-")
        )
        return cls(
            communes.values_list(*cls._CHAMPS_COMMUNE),
            Zone.objects.tous()
            .filter(type=TypeZone.ARRONDISSEMENT, commune__in=communes)
            .values_list("pk", "code", "nom", "commune_id"),
            anciennes.values_list(
                "code_insee", "nom", "nom_recherche", "type", "commune_id", "annee"
            ),
            LocalitePostale.objects.filter(
                Q(code_postal=code_postal) | Q(commune__departement__in=departements)
            ).values_list("code_postal", "nom_recherche", "commune_id"),
        )

    # -- resolution ----------------------------------------------------------------------

    def resoudre(
        self,
        code_insee: str = "",
        code_postal: str = "",
        nom: str = "",
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> Resolution:
        """Today's commune for these values, or a Resolution without commune."""
        code_insee, code_postal = (code_insee or "").strip(), (code_postal or "").strip()
        if code_insee in self.communes and code_insee not in self.anciennes:
            # the common case, kept cheap for large files: a current code, no other name
            commune = self.communes[code_insee]
            resolution = Resolution(commune)
            if code_insee in self.communes_a_arrondissements:
                resolution.arrondissement = self._arrondissement(
                    commune, code_postal, normaliser(nom)
                )
            return resolution
        cle = normaliser(nom)
        resolution = self._par_code(code_insee, code_postal, nom, cle, latitude, longitude)
        if resolution is None and (cle or code_postal):
            # an unknown code is not replaced by a guess from the point
            point = (latitude, longitude) if not code_insee else (None, None)
            resolution = self._par_nom(code_postal, nom, cle, *point)
        if resolution is None:
            return Resolution()
        if resolution.arrondissement is None:
            resolution.arrondissement = self._arrondissement(resolution.commune, code_postal, cle)
        return resolution

    def _par_code(self, code, code_postal, nom, cle, latitude, longitude):
        if not code:
            return None
        if code in self.communes:
            commune = self.communes[code]
            resolution = Resolution(commune)
            if cle and cle != commune.recherche:
                for ancienne in self.anciennes.get(code, ()):
                    if ancienne.commune == code and normaliser(ancienne.nom) == cle:
                        resolution.avertissements.append(
                            f"« {nom} » ({code}) est une {_type(ancienne)} "
                            f"{de_la_commune(commune.nom)}\u00a0: rattaché à {commune.nom}"
                        )
            return resolution
        if code in self.arrondissements:
            arrondissement = self.arrondissements[code]
            return Resolution(self.communes[arrondissement.commune], arrondissement)
        candidates = [a for a in self.anciennes.get(code, ()) if a.commune in self.communes]
        if not candidates:
            return None
        ancienne = self._la_plus_probable(candidates, code_postal, latitude, longitude)
        return self._vers_actuelle(
            ancienne, f"code {code}" + (f" ({ancienne.nom})" if ancienne.nom else "")
        )

    def _par_nom(self, code_postal, nom, cle, latitude, longitude):
        self._indexer_les_noms()
        # an arrondissement named in full or in short
        arrondissement = self.arrondissement_par_nom.get(cle_arrondissement(nom) or ("", 0))
        if arrondissement:
            a = self.arrondissements[arrondissement]
            return Resolution(self.communes[a.commune], a)
        communes_du_cp = self.par_code_postal.get(code_postal, [])
        for code in communes_du_cp:
            if self.communes[code].recherche == cle:
                return Resolution(self.communes[code])
        departements = departements_du_code_postal(code_postal)
        libelle = f"« {nom} »" + (f" ({code_postal})" if code_postal else "")
        # a commune déléguée, associée or merged of the département
        candidates = [
            a
            for dep in departements
            for a in self.anciennes_par_departement_nom.get((dep, cle), ())
            if a.commune in self.communes
        ]
        if candidates:
            ancienne = self._la_plus_probable(candidates, code_postal, latitude, longitude)
            return self._vers_actuelle(ancienne, libelle)
        # a locality of La Poste's base
        localites = [c for c in self.localites.get((code_postal, cle), ()) if c in self.communes]
        if len(set(localites)) == 1:
            commune = self.communes[localites[0]]
            return Resolution(
                commune,
                avertissements=[
                    f"{libelle}\u00a0: localité postale {de_la_commune(_nom_code(commune))}, "
                    f"rattaché à {commune.nom}"
                ],
            )
        # a name unique in the département
        if cle:
            for dep in departements:
                uniques = set(self.par_departement_nom.get((dep, cle), ())) | set(
                    self.localites_par_departement_nom.get((dep, cle), ())
                )
                if len(uniques) == 1:
                    commune = self.communes[uniques.pop()]
                    return Resolution(
                        commune,
                        avertissements=[
                            f"{libelle}\u00a0: seule commune ou localité de ce nom dans le "
                            f"département {dep}, rattaché à {_nom_code(commune)}"
                        ],
                    )
        # the postal code's commune nearest the point
        if communes_du_cp and latitude is not None and longitude is not None:
            distances = sorted(
                (distance_km(latitude, longitude, c.latitude, c.longitude), c.code)
                for c in (self.communes[code] for code in communes_du_cp)
                if c.latitude is not None
            )
            if distances and distances[0][0] <= ecart_max_km(distances[0][1]):
                ecart, code = distances[0]
                commune = self.communes[code]
                return Resolution(
                    commune,
                    avertissements=[
                        f"{libelle} n'est ni une commune ni une localité de ce code postal\u00a0: "
                        f"rattaché à {_nom_code(commune)}, la commune de ce code postal la "
                        f"plus proche du point ({km(ecart)})"
                    ],
                )
        return None

    def _la_plus_probable(self, candidates: list[Ancienne], code_postal, latitude, longitude):
        """Among several current communes for one former code or name: the one with that
        postal code, else the nearest the point, else the first."""
        avec_cp = [a for a in candidates if code_postal in self.communes[a.commune].codes_postaux]
        candidates = avec_cp or candidates
        if len(candidates) > 1 and latitude is not None and longitude is not None:
            places = [a for a in candidates if self.communes[a.commune].latitude is not None]
            if places:
                return min(
                    places,
                    key=lambda a: distance_km(
                        latitude,
                        longitude,
                        self.communes[a.commune].latitude,
                        self.communes[a.commune].longitude,
                    ),
                )
        return candidates[0]

    def _vers_actuelle(self, ancienne: Ancienne, libelle: str) -> Resolution:
        commune = self.communes[ancienne.commune]
        if ancienne.annee and ancienne.code != commune.code:
            quoi = f"commune fusionnée dans {_nom_code(commune)} en {ancienne.annee}"
        elif ancienne.type == TypeAncienneCommune.ANCIENNE:
            quoi = f"ancienne commune fusionnée dans {_nom_code(commune)}"
        elif ancienne.type == TypeAncienneCommune.ASSOCIEE:
            quoi = f"commune associée à {_nom_code(commune)}"
        else:
            quoi = f"commune déléguée {de_la_commune(_nom_code(commune))}"
        return Resolution(
            commune, avertissements=[f"{libelle}\u00a0: {quoi}, rattaché à {commune.nom}"]
        )

    def _arrondissement(self, commune: CommuneConnue, code_postal: str, cle: str):
        code = self.arrondissement_par_code_postal.get(code_postal)
        if code is None:
            code = self.arrondissement_par_nom.get(cle_arrondissement(cle) or ("", 0))
        if code is None:
            return None
        arrondissement = self.arrondissements[code]
        return arrondissement if arrondissement.commune == commune.code else None

    # -- cross-checks --------------------------------------------------------------------

    def controler_code_postal(self, commune: CommuneConnue, code_postal: str) -> str | None:
        probleme = controler_code_postal(commune.nom, commune.codes_postaux, code_postal)
        if not probleme:
            return None
        self._indexer_les_noms()
        autres = self.par_code_postal.get(code_postal, [])
        if autres:
            probleme += " ; c'est celui de " + ", ".join(
                _nom_code(self.communes[code]) for code in autres[:3]
            )
            probleme += "…" if len(autres) > 3 else ""
        return probleme

    def ecart_du_point(self, commune: CommuneConnue, latitude, longitude):
        return ecart_du_point(
            commune.code, commune.latitude, commune.longitude, latitude, longitude
        )

    def controler_point(self, commune: CommuneConnue, latitude, longitude):
        """(distance, limit, outline used) beyond the limit, else None; outlines are read
        once per commune, and only for the communes that have one."""
        if latitude is None or longitude is None:
            return None
        if self._avec_contour is None:
            self._avec_contour = _contours.communes_avec_contour()
        geometrie = None
        if commune.code in self._avec_contour:
            if commune.code not in self._contours:
                self._contours[commune.code] = contour_de_la_commune(commune.code)
            geometrie = self._contours[commune.code]
        return controler_point(
            commune.code,
            commune.latitude,
            commune.longitude,
            latitude,
            longitude,
            geometrie=geometrie,
        )

    def homonymes(self, commune: CommuneConnue) -> list[CommuneConnue]:
        self._indexer_les_noms()
        """Communes of the same name (articles aside) elsewhere: ``Mont-Dore`` 63236 and
        ``Le Mont-Dore`` 98817 in New Caledonia."""
        cle = _sans_article(commune.recherche)
        return [
            autre
            for autre in self.communes.values()
            if autre.code != commune.code and _sans_article(autre.recherche) == cle
        ]

    def message_point_eloigne(
        self, commune: CommuneConnue, ecart: float, limite: float, contour: bool = False
    ) -> str:
        message = message_point_eloigne(commune.nom, commune.code, ecart, limite, contour)
        homonymes = self.homonymes(commune)
        if homonymes:
            message += " (même nom\u00a0: " + ", ".join(_nom_code(c) for c in homonymes[:3]) + ")"
        return message


def _sans_article(recherche: str) -> str:
    for article in ("le ", "la ", "les ", "l "):
        if recherche.startswith(article):
            return recherche[len(article) :]
    return recherche


def _type(ancienne: Ancienne) -> str:
    return TypeAncienneCommune(ancienne.type).label


def _nom_code(commune: CommuneConnue) -> str:
    return f"{commune.nom} ({commune.code})"


def controler_code_postal(
    nom_commune: str, codes_postaux: Iterable[str], code_postal: str
) -> str | None:
    """A French sentence when the postal code is not one of the commune's, else None."""
    codes = [cp for cp in codes_postaux if cp]
    if not code_postal or not codes or code_postal in codes:
        return None
    return (
        f"le code postal {code_postal} n'est pas celui {de_la_commune(nom_commune)} "
        f"({', '.join(codes[:6])}{'…' if len(codes) > 6 else ''})"
    )


def ecart_du_point(
    code_insee: str,
    latitude_commune: float | None,
    longitude_commune: float | None,
    latitude: float | None,
    longitude: float | None,
) -> tuple[float, float] | None:
    """(distance from the commune's centre, limit) when the point lies beyond the limit;
    None when it is near enough or when the point or the centre is unknown."""
    if None in (latitude, longitude, latitude_commune, longitude_commune):
        return None
    ecart = distance_km(latitude, longitude, latitude_commune, longitude_commune)
    limite = ecart_max_km(code_insee)
    return (ecart, limite) if ecart > limite else None


def ecart_au_contour(
    geometrie: dict | None, latitude: float | None, longitude: float | None
) -> tuple[float, float] | None:
    """(distance outside the commune's outline, tolerance) when the point lies beyond the
    tolerance; None when near enough, or when the outline or the point is unknown."""
    if geometrie is None or None in (latitude, longitude):
        return None
    ecart = _contours.distance_hors_contour_km(geometrie, latitude, longitude)
    limite = _contours.TOLERANCE_CONTOUR_KM
    return (ecart, limite) if ecart > limite else None


def controler_point(
    code_insee: str,
    latitude_commune: float | None,
    longitude_commune: float | None,
    latitude: float | None,
    longitude: float | None,
    *,
    geometrie: dict | None = None,
) -> tuple[float, float, bool] | None:
    """The rule of every entry point: outside the commune's outline (beyond a tolerance)
    where the outline is known, else too far from its centre. (distance, limit, whether
    the outline was used), or None when the point is plausible or unknown."""
    if geometrie is not None:
        ecart = ecart_au_contour(geometrie, latitude, longitude)
        return (*ecart, True) if ecart else None
    ecart = ecart_du_point(code_insee, latitude_commune, longitude_commune, latitude, longitude)
    return (*ecart, False) if ecart else None


def contour_de_la_commune(code_insee: str) -> dict | None:
    return _contours.contours([code_insee]).get(code_insee)


def message_point_eloigne(
    nom_commune: str, code_insee: str, ecart: float, limite: float, contour: bool = False
) -> str:
    if contour:
        return (
            f"le point est à {km(ecart)} hors du contour {de_la_commune(nom_commune)} "
            f"({code_insee}), "
            f"pour {km(limite)} au plus\u00a0: vérifiez la commune ou les coordonnées"
        )
    return (
        f"le point est à {km(ecart)} du centre de {nom_commune} ({code_insee}), pour "
        f"{km(limite)} au plus\u00a0: vérifiez la commune ou les coordonnées"
    )
