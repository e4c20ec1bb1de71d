"""Realistic sites and searches for the benchmarks of the public search (lieux, charge).

Sites are spread over the whole country in proportion to the communes' population (help
is where people live), named as real ones are (« Médiathèque Louis Aragon », « France
Services du Mans », « CCAS de Brest »), with the national vocabularies' services, publics,
fees and opening hours.

Searches are drawn as people make them: a commune drawn in proportion to its population
over the whole country, then the filters of one site near it (a service it offers, a public
it welcomes, free of charge, a word of its name, « open now » at an hour when it opens...).
So each search asks for something that exists — a search that finds nothing measures
nothing, and the benchmarks count it as a failure — while a commune without any site still
gets the list's « nearest sites » answer, as it does for the public.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HORAIRES = [
    "Mo-Fr 09:00-12:00,14:00-17:30",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 09:00-12:00",
    "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off",
    "Mo-Fr 13:30-19:00; Sa 10:00-17:00",
    "We 14:00-18:00; Sa 09:30-12:30",
    "",
]
# name pattern, typologies; {de} is « de Brest », « du Mans »
MODELES = [
    ("Médiathèque {personne}", "BIB"),
    ("Médiathèque municipale {de}", "BIB|MUNI"),
    ("Bibliothèque {personne}", "BIB"),
    ("France Services {de}", "RFS"),
    ("CCAS {de}", "CCAS"),
    ("Mairie {de}", "MUNI"),
    ("Espace public numérique {de}", "MUNI"),
    ("Centre social {quartier}", "CS"),
    ("Maison de quartier {quartier}", "ASSO"),
    ("Association {association}", "ASSO"),
    ("Tiers-lieu {association}", "TIERS_LIEUX"),
    ("Point numérique CAF {de}", "CAF"),
]
PERSONNES = [
    "Louis Aragon",
    "Jules Verne",
    "George Sand",
    "Victor Hugo",
    "Simone Veil",
    "Jean Moulin",
    "Colette",
    "Aimé Césaire",
    "Marguerite Duras",
    "Albert Camus",
]
QUARTIERS = [
    "des Sablons",
    "Saint-Martin",
    "du Centre",
    "de la Gare",
    "des Glonnières",
    "du Bourg",
    "des Coteaux",
    "de Bellevue",
]
ASSOCIATIONS = ["Le Lien", "Solidarité numérique", "Clic et Déclic", "Les Connectés", "Emmaüs"]
MOTS_VIDES = {"de", "du", "des", "la", "le", "les", "d'", "l'", "et", "sur", "en", "au", "aux"}


def _siret(rng: random.Random) -> str:
    base = f"{rng.randrange(10**12, 10**13):013d}"
    for cle in range(10):
        candidat = base + str(cle)
        total = 0
        for rang, c in enumerate(reversed(candidat)):
            d = int(c) * (2 if rang % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidat
    raise AssertionError


def _de(nom: str) -> str:
    from commun.formats import de_la_commune

    return de_la_commune(nom)


def communes_ponderees():
    """Every commune with a position: (code, nom, codes postaux, lat, lon) and its weight
    (its share of the population)."""
    from territoires.models import Commune

    lignes = list(
        Commune.objects.filter(latitude__isnull=False).values_list(
            "code_insee", "nom", "codes_postaux", "latitude", "longitude", "population"
        )
    )
    population = np.array([max(ligne[5] or 0, 1) for ligne in lignes], dtype=float)
    return [ligne[:5] for ligne in lignes], population / population.sum()


def generer_csv(chemin: Path, n: int, communes, poids=None, graine: int = 2026) -> None:
    """``n`` valid rows of the national standard; a site's commune is drawn with ``poids``
    (the population's share, see ``communes_ponderees``), uniformly without it."""
    from structures.enums import Frais, PriseEnCharge, Public, Service
    from structures.normes import COLONNES

    rng = random.Random(graine)
    alea = np.random.default_rng(graine)
    tirage = alea.choice(len(communes), size=n, p=poids)
    services = [s.label for s in Service]
    publics = [p.label for p in Public]
    prises = [p.label for p in PriseEnCharge]
    frais = [
        Frais.GRATUIT.label,
        Frais.GRATUIT.label,
        f"{Frais.GRATUIT.label}|{Frais.PAYANT.label}",
        Frais.GRATUIT_SOUS_CONDITION.label,
        Frais.PAYANT.label,
    ]
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        ecrivain = csv.DictWriter(fichier, fieldnames=COLONNES)
        ecrivain.writeheader()
        for i in range(n):
            code, nom, codes_postaux, lat, lon = communes[tirage[i]]
            modele, typologie = rng.choice(MODELES)
            ligne = dict.fromkeys(COLONNES, "")
            ligne.update(
                id=f"bench-{i}",
                pivot=_siret(rng),
                nom=modele.format(
                    de=_de(nom),
                    personne=rng.choice(PERSONNES),
                    quartier=rng.choice(QUARTIERS),
                    association=rng.choice(ASSOCIATIONS),
                ),
                commune=nom,
                code_postal=codes_postaux.split("|")[0],
                code_insee=code,
                adresse=f"{rng.randrange(1, 200)} rue de la République",
                latitude=f"{lat + rng.uniform(-0.01, 0.01):.5f}",
                longitude=f"{lon + rng.uniform(-0.01, 0.01):.5f}",
                typologie=typologie,
                horaires=rng.choice(HORAIRES),
                source="Banc d'essai",
                date_maj="2026-10-01",
                services="|".join(rng.sample(services, rng.randrange(1, 5))),
                publics_specifiquement_adresses="|".join(
                    rng.sample(publics, rng.choice([0, 0, 1, 2, 3]))
                ),
                prise_en_charge_specifique="|".join(
                    rng.sample(prises, rng.choice([0, 0, 0, 1, 2]))
                ),
                frais_a_charge=rng.choice(frais),
                itinerance=rng.choice(["Fixe"] * 19 + ["Itinérant"]),
            )
            ecrivain.writerow(ligne)


@dataclass
class Recherche:
    """One search: the list's parameters and the API's (the same, except that a commune
    without any site, which the list answers with the nearest ones, is replaced for the
    API by the commune of the nearest site), and the moment for « open now »."""

    genre: str
    liste: dict[str, str | list[str]]
    api: dict[str, str | list[str]]
    moment: dt.datetime | None = None
    proches: bool = False  # the list answers with the nearest sites

    def chaine(self, quoi: str = "liste") -> str:
        from urllib.parse import urlencode

        parametres = self.liste if quoi == "liste" else self.api
        return urlencode(sorted(parametres.items()), doseq=True)


@dataclass
class Tirage:
    """What the draws read once from the database."""

    communes: list[tuple]
    poids: np.ndarray
    lieux: dict[int, dict] = field(default_factory=dict)
    par_commune: dict[str, list[int]] = field(default_factory=dict)
    creneaux: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)
    points: np.ndarray | None = None
    ids: np.ndarray | None = None


def lire(communes=None, poids=None) -> Tirage:
    from structures.models import Creneau, Lieu

    if communes is None:
        communes, poids = communes_ponderees()
    tirage = Tirage(communes=communes, poids=poids)
    for pk, commune, nom, services, publics, prises, frais, typologies, lat, lon in (
        Lieu.objects.publics()
        .order_by("pk")
        .values_list(
            "pk",
            "commune_id",
            "nom",
            "services",
            "publics",
            "prise_en_charge",
            "frais",
            "typologies",
            "latitude",
            "longitude",
        )
    ):
        tirage.lieux[pk] = {
            "commune": commune,
            "nom": nom,
            "services": services,
            "publics": publics,
            "prise_en_charge": prises,
            "gratuit": "gratuit" in frais,
            "typologies": typologies,
            "point": (lat, lon),
        }
        tirage.par_commune.setdefault(commune, []).append(pk)
    for lieu, jour, debut, fin in Creneau.objects.values_list("lieu_id", "jour", "debut", "fin"):
        tirage.creneaux.setdefault(lieu, []).append((jour, debut, fin))
    avec_point = [(pk, d["point"]) for pk, d in tirage.lieux.items() if d["point"][0] is not None]
    tirage.ids = np.array([pk for pk, _ in avec_point])
    tirage.points = np.radians(np.array([p for _, p in avec_point]))
    return tirage


def _plus_proche(tirage: Tirage, lat: float, lon: float) -> tuple[int, float]:
    """The nearest site to a point and its distance in km (equirectangular)."""
    phi, lam = np.radians(lat), np.radians(lon)
    dx = (tirage.points[:, 1] - lam) * np.cos(phi)
    dy = tirage.points[:, 0] - phi
    d2 = dx * dx + dy * dy
    i = int(np.argmin(d2))
    return int(tirage.ids[i]), float(np.sqrt(d2[i]) * 6371)


def _saisie_de_la_commune(code: str, nom: str, codes_postaux: str, resolues: dict) -> str | None:
    """What someone types to find this commune: its name, or its postal code when the
    name finds another one first (« Saint-Denis »), or its INSEE code; None if none does."""
    if code in resolues:
        return resolues[code]
    saisie = None
    for texte in (nom, codes_postaux.split("|")[0], code):
        if _trouvee(texte) == code:
            saisie = texte
            break
    resolues[code] = saisie
    return saisie


def _trouvee(texte: str) -> str | None:
    """The commune the search form finds first for ``texte``."""
    from territoires.models import Commune

    return Commune.objects.recherche(texte).values_list("code_insee", flat=True).first()


# kind of search -> weight (out of 100)
GENRES = {
    "commune": 28,
    "commune+service": 14,
    "commune+gratuit": 5,
    "code postal": 5,
    "mot-clé": 10,
    "mot-clé+commune": 5,
    "service+gratuit": 8,
    "service+public": 7,
    "prise en charge": 3,
    "typologie+service": 3,
    "ouvert+commune": 6,
    "ouvert+service": 4,
    "week-end+commune": 2,
}


def tirer(tirage: Tirage, n: int, graine: int = 23, lundi: dt.date | None = None):
    """``n`` distinct searches (by their list's query string), drawn as described above.
    « Open now » searches carry a moment of the week of ``lundi`` (this week's by default)
    at which their site opens: several hours of several days."""
    from django.utils import timezone

    rng = random.Random(graine)
    alea = np.random.default_rng(graine)
    lundi = lundi or timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    index = {c[0]: c for c in tirage.communes}
    resolues: dict[str, str | None] = {}
    genres, poids_genres = zip(*GENRES.items(), strict=True)
    vues: set[str] = set()
    recherches: list[Recherche] = []
    essais = 0
    while len(recherches) < n:
        essais += 1
        if essais > 50 * n:
            raise RuntimeError(f"{len(recherches)} recherches distinctes seulement sur {n}")
        code, nom, codes_postaux, lat, lon = tirage.communes[
            int(alea.choice(len(tirage.communes), p=tirage.poids))
        ]
        proches = code not in tirage.par_commune
        if proches:
            ancre, distance = _plus_proche(tirage, lat, lon)
            if distance > 25:  # the list looks 30 km around (a box): keep clear of its edge
                continue
        else:
            ancre = rng.choice(tirage.par_commune[code])
        lieu = tirage.lieux[ancre]
        genre = rng.choices(genres, poids_genres)[0]
        commune_api = lieu["commune"]
        saisie = _saisie_de_la_commune(code, nom, codes_postaux, resolues)
        c_api = index[commune_api]
        saisie_api = _saisie_de_la_commune(c_api[0], c_api[1], c_api[2], resolues)
        if saisie is None or saisie_api is None:
            continue
        filtres: dict[str, str | list[str]] = {}
        moment = None
        avec_commune = "commune" in genre
        if "service" in genre:
            filtres["services"] = [rng.choice(lieu["services"])]
        if "gratuit" in genre:
            if not lieu["gratuit"]:
                continue
            filtres["gratuit"] = "on"
        if "public" in genre:
            if not lieu["publics"]:
                continue
            filtres["publics"] = [rng.choice(lieu["publics"])]
        if genre == "prise en charge":
            if not lieu["prise_en_charge"]:
                continue
            filtres["prise_en_charge"] = [rng.choice(lieu["prise_en_charge"])]
        if genre.startswith("typologie"):
            filtres["typologie"] = rng.choice(lieu["typologies"])
        if genre.startswith("mot-clé"):
            mots = [
                m
                for m in lieu["nom"].replace("'", " ").split()
                if len(m) > 3 and m.lower() not in MOTS_VIDES
            ]
            filtres["q"] = rng.choice(mots).lower()
        if genre.startswith("ouvert"):
            creneaux = tirage.creneaux.get(ancre)
            if not creneaux:
                continue
            jour, debut, fin = rng.choice(creneaux)
            minute = rng.randrange(debut, fin)
            moment = timezone.make_aware(
                dt.datetime.combine(lundi + dt.timedelta(days=jour), dt.time())
                + dt.timedelta(minutes=minute)
            )
            filtres["ouvert"] = "on"
        if genre.startswith("week-end"):
            if not any(jour >= 5 for jour, _, _ in tirage.creneaux.get(ancre, [])):
                continue
            filtres["weekend"] = "on"
        if genre == "code postal":
            code_postal = c_api[2].split("|")[0]
            if _trouvee(code_postal) != c_api[0]:  # shared with a larger commune
                continue
            liste = api = {"commune": code_postal}
            proches = False
        elif avec_commune:
            liste = {**filtres, "commune": saisie}
            api = {**filtres, "commune": saisie_api}
        else:
            liste, api = dict(filtres), dict(filtres)
            proches = False
        if not avec_commune:
            proches = False
        recherche = Recherche(genre, liste, api, moment, proches)
        cle = recherche.chaine() + (moment.isoformat() if moment else "")
        if cle in vues:
            continue
        vues.add(cle)
        recherches.append(recherche)
    return recherches
