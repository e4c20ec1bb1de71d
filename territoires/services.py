"""Import of the national geography files (régions, départements, EPCI, communes), and of
the files that help resolve a file's commune: overseas collectivities and their communes,
municipal arrondissements (stored as zones of Paris, Lyon and Marseille), communes
déléguées, associées and former codes, La Poste's localities.

All-or-nothing: every line is validated first, every error is reported with its file,
line, column and reason, and nothing is written unless the four files are clean.
Idempotent: rows are compared with the database and only new or changed rows are written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from .enums import TypeAncienneCommune, TypeEpci, TypeZone
from .models import AncienneCommune, Commune, Departement, Epci, LocalitePostale, Region, Zone
from .text import normaliser

DOSSIER_PAR_DEFAUT = Path(settings.BASE_DIR) / "fixtures" / "territoires"
FICHIERS = {
    "regions": "regions.csv",
    "departements": "departements.csv",
    "epci": "epci.csv",
    "communes": "communes.csv",
}
# built by ``construire_referentiel_territoires``; each is optional (a folder holding only
# the four files above imports as before)
FICHIERS_COMPLEMENTAIRES = {
    "collectivites": "collectivites-outre-mer.csv",
    "communes_outre_mer": "communes-outre-mer.csv",
    "arrondissements": "arrondissements-municipaux.csv",
    "anciennes": "communes-anciennes.csv",
    "localites": "localites-postales.csv",
}

# a région, or an overseas collectivity standing as its own région and département
RE_REGION = re.compile(r"^(\d{2}|97[5-8]|98\d)$")
RE_DEPARTEMENT = re.compile(r"^(\d{2}|2A|2B|97\d|98\d)$")
RE_SIREN = re.compile(r"^\d{9}$")
RE_COMMUNE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
RE_CODE_POSTAL = re.compile(r"^\d{5}$")


@dataclass
class ErreurLigne:
    fichier: str
    ligne: int
    colonne: str
    raison: str

    def __str__(self):
        return (
            f"{self.fichier}, ligne {self.ligne}, colonne « {self.colonne} »\u00a0: {self.raison}"
        )


class DonneesInvalides(Exception):
    def __init__(self, erreurs: list[ErreurLigne]):
        self.erreurs = erreurs
        super().__init__(f"{len(erreurs)} erreur(s) dans les fichiers de territoires")


@dataclass
class Compteur:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0

    def __str__(self):
        return f"{self.crees} créé(s), {self.modifies} modifié(s), {self.inchanges} inchangé(s)"


@dataclass
class Bilan:
    regions: Compteur = field(default_factory=Compteur)
    departements: Compteur = field(default_factory=Compteur)
    epci: Compteur = field(default_factory=Compteur)
    communes: Compteur = field(default_factory=Compteur)
    arrondissements: Compteur = field(default_factory=Compteur)
    anciennes: Compteur = field(default_factory=Compteur)
    localites: Compteur = field(default_factory=Compteur)
    communes_absentes: int = 0

    def resume(self) -> str:
        texte = (
            f"Territoires importés — régions\u00a0: {self.regions} ; départements\u00a0: "
            f"{self.departements} ; EPCI\u00a0: {self.epci} ; communes\u00a0: {self.communes}"
        )
        for libelle, compteur in (
            ("arrondissements municipaux", self.arrondissements),
            ("anciennes communes et communes déléguées", self.anciennes),
            ("localités postales", self.localites),
        ):
            if compteur.crees or compteur.modifies or compteur.inchanges:
                texte += f" ; {libelle}\u00a0: {compteur}"
        if self.communes_absentes:
            texte += f" ; {self.communes_absentes} commune(s) en base absente(s) du fichier"
        return texte + "."


class _Lecteur:
    """Reads one CSV file and accumulates line-numbered errors."""

    def __init__(self, chemin: Path, colonnes: Iterable[str], erreurs: list[ErreurLigne]):
        self.chemin = chemin
        self.nom = chemin.name
        self.colonnes = list(colonnes)
        self.erreurs = erreurs

    def erreur(self, ligne: int, colonne: str, raison: str) -> None:
        self.erreurs.append(ErreurLigne(self.nom, ligne, colonne, raison))

    def lignes(self):
        if not self.chemin.is_file():
            self.erreur(0, "-", f"fichier introuvable\u00a0: {self.chemin}")
            return
        try:
            with self.chemin.open(encoding="utf-8", newline="") as fichier:
                lecteur = csv.DictReader(fichier)
                manquantes = [c for c in self.colonnes if c not in (lecteur.fieldnames or [])]
                if manquantes:
                    self.erreur(1, ", ".join(manquantes), "colonne(s) absente(s) de l'en-tête")
                    return
                for numero, ligne in enumerate(lecteur, start=2):
                    if None in ligne:
                        self.erreur(numero, "-", "trop de valeurs sur la ligne")
                        continue
                    yield numero, {cle: (valeur or "").strip() for cle, valeur in ligne.items()}
        except UnicodeDecodeError:
            self.erreur(0, "-", "le fichier n'est pas encodé en UTF-8")

    def texte(self, numero, ligne, colonne, motif=None, obligatoire=True, message=None):
        valeur = ligne[colonne]
        if not valeur:
            if obligatoire:
                self.erreur(numero, colonne, "valeur obligatoire manquante")
            return None
        if motif is not None and not motif.match(valeur):
            self.erreur(numero, colonne, message or f"valeur « {valeur} » invalide")
            return None
        return valeur

    def entier(self, numero, ligne, colonne):
        valeur = ligne[colonne]
        try:
            nombre = int(valeur)
        except ValueError:
            self.erreur(numero, colonne, f"« {valeur} » n'est pas un nombre entier")
            return None
        if nombre < 0:
            self.erreur(numero, colonne, "la valeur ne peut pas être négative")
            return None
        return nombre

    def decimal(self, numero, ligne, colonne, minimum, maximum):
        valeur = ligne[colonne]
        if not valeur:
            return None
        try:
            nombre = float(valeur)
        except ValueError:
            self.erreur(numero, colonne, f"« {valeur} » n'est pas un nombre décimal")
            return None
        if not minimum <= nombre <= maximum:
            self.erreur(numero, colonne, f"{nombre} hors de l'intervalle [{minimum}, {maximum}]")
            return None
        return nombre


def _unique(lecteur: _Lecteur, vus: dict, cle, numero, colonne) -> bool:
    if cle in vus:
        lecteur.erreur(numero, colonne, f"« {cle} » déjà présent ligne {vus[cle]}")
        return False
    vus[cle] = numero
    return True


def _facultatif(dossier: Path, cle: str, colonnes: list[str], erreurs) -> _Lecteur | None:
    """The reader of a complementary file, or None when the folder does not hold it."""
    chemin = dossier / FICHIERS_COMPLEMENTAIRES[cle]
    return _Lecteur(chemin, colonnes, erreurs) if chemin.is_file() else None


def _commune_connue(lecteur: _Lecteur, numero, ligne, communes: set) -> str | None:
    """The row's ``code_commune`` when the communes file holds it."""
    commune = lecteur.texte(numero, ligne, "code_commune")
    if commune and commune not in communes:
        lecteur.erreur(numero, "code_commune", f"commune « {commune} » inconnue")
        return None
    return commune


def _codes_postaux(lecteur: _Lecteur, numero, ligne) -> str | None:
    """The row's ``codes_postaux``: 5-digit codes joined by « | »."""
    codes = lecteur.texte(numero, ligne, "codes_postaux")
    if codes and not all(RE_CODE_POSTAL.match(c) for c in codes.split("|")):
        lecteur.erreur(numero, "codes_postaux", "codes postaux à 5 chiffres séparés par « | »")
        return None
    return codes


def lire_fichiers(dossier: Path) -> tuple[dict[str, list[dict]], list[ErreurLigne]]:
    """Parse and validate the four files. Returns the clean rows and the errors."""
    erreurs: list[ErreurLigne] = []
    lignes: dict[str, list[dict]] = {nom: [] for nom in FICHIERS}

    lecteur = _Lecteur(dossier / FICHIERS["regions"], ["code", "nom"], erreurs)
    vus: dict = {}
    for n, ligne in lecteur.lignes():
        code = lecteur.texte(n, ligne, "code", RE_REGION, message="code de région sur 2 chiffres")
        nom = lecteur.texte(n, ligne, "nom")
        if code and nom and _unique(lecteur, vus, code, n, "code"):
            lignes["regions"].append({"code": code, "nom": nom})
    collectivites = _Lecteur(
        dossier / FICHIERS_COMPLEMENTAIRES["collectivites"], ["code", "nom"], erreurs
    )
    lignes["collectivites"] = []
    if collectivites.chemin.is_file():
        for n, ligne in collectivites.lignes():
            code = collectivites.texte(
                n, ligne, "code", RE_REGION, message="code de collectivité sur 3 chiffres"
            )
            nom = collectivites.texte(n, ligne, "nom")
            if code and nom and _unique(collectivites, vus, code, n, "code"):
                lignes["regions"].append({"code": code, "nom": nom})
                lignes["collectivites"].append({"code": code, "nom": nom, "region_id": code})
    regions = set(vus)

    lecteur = _Lecteur(dossier / FICHIERS["departements"], ["code", "nom", "code_region"], erreurs)
    vus = {}
    for n, ligne in lecteur.lignes():
        code = lecteur.texte(
            n, ligne, "code", RE_DEPARTEMENT, message="code de département invalide"
        )
        nom = lecteur.texte(n, ligne, "nom")
        region = lecteur.texte(n, ligne, "code_region")
        if region and region not in regions:
            lecteur.erreur(n, "code_region", f"région « {region} » inconnue")
            region = None
        if code and nom and region and _unique(lecteur, vus, code, n, "code"):
            lignes["departements"].append({"code": code, "nom": nom, "region_id": region})
    for collectivite in lignes.pop("collectivites"):
        if collectivite["code"] not in vus:
            vus[collectivite["code"]] = 0
            lignes["departements"].append(collectivite)
    departements = set(vus)

    colonnes_epci = ["siren", "nom", "type", "population"]
    lecteur = _Lecteur(dossier / FICHIERS["epci"], colonnes_epci, erreurs)
    vus = {}
    for n, ligne in lecteur.lignes():
        siren = lecteur.texte(n, ligne, "siren", RE_SIREN, message="SIREN sur 9 chiffres attendu")
        nom = lecteur.texte(n, ligne, "nom")
        type_ = lecteur.texte(n, ligne, "type")
        if type_ and type_ not in TypeEpci.values:
            lecteur.erreur(n, "type", f"type « {type_} » inconnu ({', '.join(TypeEpci.values)})")
            type_ = None
        population = lecteur.entier(n, ligne, "population")
        valide = siren and nom and type_ and population is not None
        if valide and _unique(lecteur, vus, siren, n, "siren"):
            lignes["epci"].append(
                {"siren": siren, "nom": nom, "type": type_, "population": population}
            )
    epcis = set(vus)

    vus = {}
    for nom_fichier, obligatoire in (
        (FICHIERS["communes"], True),
        (FICHIERS_COMPLEMENTAIRES["communes_outre_mer"], False),
    ):
        chemin = dossier / nom_fichier
        if obligatoire or chemin.is_file():
            lignes["communes"] += _lire_communes(chemin, departements, epcis, vus, erreurs)
    communes = set(vus)
    arrondissements = _lire_arrondissements(dossier, communes, erreurs)
    lignes["arrondissements"] = arrondissements
    lignes["anciennes"] = _lire_anciennes(dossier, communes, erreurs)
    lignes["localites"] = _lire_localites(dossier, communes, erreurs)
    return lignes, erreurs


COLONNES_COMMUNES = [
    "code_insee",
    "nom",
    "code_departement",
    "siren_epci",
    "codes_postaux",
    "population",
    "latitude",
    "longitude",
]


def _lire_communes(chemin, departements, epcis, vus, erreurs) -> list[dict]:
    lignes = []
    lecteur = _Lecteur(chemin, COLONNES_COMMUNES, erreurs)
    for n, ligne in lecteur.lignes():
        code = lecteur.texte(n, ligne, "code_insee", RE_COMMUNE, message="code INSEE invalide")
        nom = lecteur.texte(n, ligne, "nom")
        departement = lecteur.texte(n, ligne, "code_departement")
        if departement and departement not in departements:
            lecteur.erreur(n, "code_departement", f"département « {departement} » inconnu")
            departement = None
        epci = lecteur.texte(n, ligne, "siren_epci", obligatoire=False)
        epci_valide = True
        if epci and epci not in epcis:
            lecteur.erreur(n, "siren_epci", f"EPCI « {epci} » inconnu")
            epci_valide = False
        codes = _codes_postaux(lecteur, n, ligne)
        population = lecteur.entier(n, ligne, "population")
        latitude = lecteur.decimal(n, ligne, "latitude", -90, 90)
        longitude = lecteur.decimal(n, ligne, "longitude", -180, 180)
        if bool(ligne["latitude"]) != bool(ligne["longitude"]):
            lecteur.erreur(n, "latitude", "latitude et longitude vont ensemble")
        valide = code and nom and departement and epci_valide and codes and population is not None
        if valide and _unique(lecteur, vus, code, n, "code_insee"):
            lignes.append(
                {
                    "code_insee": code,
                    "nom": nom,
                    "nom_recherche": normaliser(nom),
                    "departement_id": departement,
                    "epci_id": epci or None,
                    "codes_postaux": codes,
                    "population": population,
                    "latitude": latitude if longitude is not None else None,
                    "longitude": longitude if latitude is not None else None,
                }
            )
    return lignes


def _lire_arrondissements(dossier, communes, erreurs) -> list[dict]:
    lignes: list[dict] = []
    lecteur = _facultatif(
        dossier, "arrondissements", ["code_insee", "nom", "code_commune", "codes_postaux"], erreurs
    )
    if lecteur is None:
        return lignes
    vus: dict = {}
    for n, ligne in lecteur.lignes():
        code = lecteur.texte(n, ligne, "code_insee", RE_COMMUNE, message="code INSEE invalide")
        nom = lecteur.texte(n, ligne, "nom")
        commune = _commune_connue(lecteur, n, ligne, communes)
        codes = _codes_postaux(lecteur, n, ligne)
        if code and nom and commune and codes and _unique(lecteur, vus, code, n, "code_insee"):
            lignes.append(
                {
                    "code": code,
                    "nom": nom,
                    "nom_recherche": normaliser(nom),
                    "commune_id": commune,
                    "type": TypeZone.ARRONDISSEMENT,
                }
            )
    return lignes


def _lire_anciennes(dossier, communes, erreurs) -> list[dict]:
    lignes: list[dict] = []
    colonnes = ["code_insee", "nom", "type", "code_commune", "annee"]
    lecteur = _facultatif(dossier, "anciennes", colonnes, erreurs)
    if lecteur is None:
        return lignes
    vus: dict = {}
    for n, ligne in lecteur.lignes():
        code = lecteur.texte(n, ligne, "code_insee", RE_COMMUNE, message="code INSEE invalide")
        type_ = lecteur.texte(n, ligne, "type")
        if type_ and type_ not in TypeAncienneCommune.values:
            lecteur.erreur(
                n, "type", f"type « {type_} » inconnu ({', '.join(TypeAncienneCommune.values)})"
            )
            type_ = None
        commune = _commune_connue(lecteur, n, ligne, communes)
        annee = lecteur.entier(n, ligne, "annee") if ligne["annee"] else None
        if code and type_ and commune and _unique(lecteur, vus, (code, commune), n, "code_insee"):
            lignes.append(
                {
                    "code_insee": code,
                    "commune_id": commune,
                    "nom": ligne["nom"],
                    "nom_recherche": normaliser(ligne["nom"]),
                    "type": type_,
                    "annee": annee,
                }
            )
    return lignes


def _lire_localites(dossier, communes, erreurs) -> list[dict]:
    lignes: list[dict] = []
    lecteur = _facultatif(dossier, "localites", ["code_postal", "nom", "code_commune"], erreurs)
    if lecteur is None:
        return lignes
    vus: dict = {}
    for n, ligne in lecteur.lignes():
        code_postal = lecteur.texte(
            n, ligne, "code_postal", RE_CODE_POSTAL, message="code postal à 5 chiffres"
        )
        nom = lecteur.texte(n, ligne, "nom")
        commune = _commune_connue(lecteur, n, ligne, communes)
        if not (code_postal and nom and commune):
            continue
        cle = (code_postal, normaliser(nom), commune)
        if _unique(lecteur, vus, cle, n, "nom"):
            lignes.append(
                {
                    "code_postal": code_postal,
                    "nom_recherche": cle[1],
                    "commune_id": commune,
                    "nom": nom,
                }
            )
    return lignes


def _synchroniser_par_cles(
    modele: type[models.Model], lignes: list[dict], compteur: Compteur, *, cles: tuple[str, ...]
) -> None:
    """Upsert rows keyed on several columns (no natural primary key); the rows of the
    model no longer in the file are deleted (nothing points to them), except zones."""
    champs = [nom for nom in (lignes[0] if lignes else {}) if nom not in cles]
    base = modele.objects.tous() if hasattr(modele.objects, "tous") else modele.objects
    if modele is Zone:
        base = base.filter(type=TypeZone.ARRONDISSEMENT)
    existants = {
        tuple(row[c] for c in cles): row for row in base.values("pk", *cles, *champs).iterator()
    }
    nouveaux, modifies = [], []
    for ligne in lignes:
        actuel = existants.pop(tuple(ligne[c] for c in cles), None)
        if actuel is None:
            nouveaux.append(modele(**ligne))
        elif any(actuel[c] != ligne[c] for c in champs):
            modifies.append(modele(pk=actuel["pk"], **ligne))
        else:
            compteur.inchanges += 1
    modele.objects.bulk_create(nouveaux, batch_size=2000)
    if modifies:
        modele.objects.bulk_update(modifies, champs, batch_size=1000)
    if existants and modele is not Zone:
        # reference rows nobody points to: what left the official geography goes
        modele.objects.filter(pk__in=[row["pk"] for row in existants.values()]).delete()
    compteur.crees += len(nouveaux)
    compteur.modifies += len(modifies)


def _synchroniser(
    modele: type[models.Model], lignes: list[dict], compteur: Compteur, *, cle: str
) -> set[str]:
    champs = [nom for nom in lignes[0] if nom != cle] if lignes else []
    existants = {row[cle]: row for row in modele.objects.values(cle, *champs).iterator()}
    nouveaux, modifies = [], []
    for ligne in lignes:
        actuel = existants.get(ligne[cle])
        if actuel is None:
            nouveaux.append(modele(**ligne))
        elif any(actuel[c] != ligne[c] for c in champs):
            modifies.append(modele(**ligne))
        else:
            compteur.inchanges += 1
    modele.objects.bulk_create(nouveaux, batch_size=2000)
    if modifies:
        modele.objects.bulk_update(modifies, champs, batch_size=1000)
    compteur.crees += len(nouveaux)
    compteur.modifies += len(modifies)
    return set(existants) - {ligne[cle] for ligne in lignes}


def importer_territoires(
    *, dossier: Path = DOSSIER_PAR_DEFAUT, progression: Callable[[str], None] | None = None
) -> Bilan:
    """Validate then upsert the files in one transaction. Raises DonneesInvalides."""
    lignes, erreurs = lire_fichiers(Path(dossier))
    if erreurs:
        raise DonneesInvalides(erreurs)
    bilan = Bilan()
    with transaction.atomic():
        _synchroniser(Region, lignes["regions"], bilan.regions, cle="code")
        _synchroniser(Departement, lignes["departements"], bilan.departements, cle="code")
        _synchroniser(Epci, lignes["epci"], bilan.epci, cle="siren")
        absentes = _synchroniser(Commune, lignes["communes"], bilan.communes, cle="code_insee")
        bilan.communes_absentes = len(absentes)
        _synchroniser_par_cles(
            Zone, lignes["arrondissements"], bilan.arrondissements, cles=("code",)
        )
        _synchroniser_par_cles(
            AncienneCommune, lignes["anciennes"], bilan.anciennes, cles=("code_insee", "commune_id")
        )
        _synchroniser_par_cles(
            LocalitePostale,
            lignes["localites"],
            bilan.localites,
            cles=("code_postal", "nom_recherche", "commune_id"),
        )
    return bilan
