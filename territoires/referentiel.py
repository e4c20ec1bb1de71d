"""Rebuild the reference files of ``fixtures/territoires/`` from the npm packages.

Run at refresh time only (``manage.py construire_referentiel_territoires``), never by the
portal: the files it writes are committed, and ``import_territoires`` reads them.

Sources (see ``fixtures/territoires/README.md``):

- ``@etalab/decoupage-administratif``: the current edition for the municipal
  arrondissements, communes déléguées and associées, former codes and the overseas
  collectivities; the earlier yearly editions (its README's table of « millésimes ») only to
  date the mergers (the first edition in which a code is no longer a current commune);
- ``codes-postaux``: La Poste's base, for the localities (``libelleAcheminement``) that
  are not the name of their commune.
"""

from __future__ import annotations

import csv
import itertools
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .text import normaliser

DECOUPAGE = "@etalab/decoupage-administratif"
CODES_POSTAUX = "codes-postaux"
VERSION_DECOUPAGE = "6.0.0"
VERSION_CODES_POSTAUX = "4.1.2"
# one edition per year of the COG, as the package's README lists them
MILLESIMES = {
    2021: "1.1.1",
    2022: "2.3.1",
    2023: "3.1.1",
    2024: "4.1.0",
    2025: "5.3.0",
    2026: VERSION_DECOUPAGE,
}
# the inhabited overseas collectivities (TAAF 984 and Clipperton 989 are left out)
COLLECTIVITES_OUTRE_MER = ("975", "977", "978", "986", "987", "988")

ACTUELLE = "commune-actuelle"
TYPES_ANCIENS = {"commune-deleguee": "deleguee", "commune-associee": "associee"}


def telecharger(paquet: str, version: str, dossier: Path) -> Path:
    """``npm pack`` one package version into ``dossier`` and extract it; its root."""
    cible = dossier / f"{paquet.replace('/', '-').lstrip('@')}-{version}"
    if (cible / "package").is_dir():
        return cible / "package"
    cible.mkdir(parents=True, exist_ok=True)
    sortie = subprocess.run(
        ["npm", "pack", f"{paquet}@{version}", "--silent"],
        cwd=cible,
        check=True,
        capture_output=True,
        text=True,
    )
    archive = cible / sortie.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as tar:
        tar.extractall(cible, filter="data")
    return cible / "package"


def _json(chemin: Path):
    with chemin.open(encoding="utf-8") as fichier:
        return json.load(fichier)


def _ecrire(chemin: Path, entetes: list[str], lignes: list[list]) -> int:
    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        sortie = csv.writer(fichier, lineterminator="\n")
        sortie.writerow(entetes)
        sortie.writerows(lignes)
    return len(lignes)


def construire(dossier_sortie: Path, dossier_paquets: Path | None = None) -> dict[str, int]:
    """Write the five files; returns the number of rows of each."""
    with tempfile.TemporaryDirectory() as temporaire:
        paquets = Path(dossier_paquets or temporaire)
        editions = {
            annee: _json(telecharger(DECOUPAGE, version, paquets) / "data" / "communes.json")
            for annee, version in MILLESIMES.items()
        }
        racine = telecharger(DECOUPAGE, VERSION_DECOUPAGE, paquets)
        postes = _json(
            telecharger(CODES_POSTAUX, VERSION_CODES_POSTAUX, paquets) / "codes-postaux.json"
        )
    regions = {r["code"]: r["nom"] for r in _json(racine / "data" / "regions.json")}
    communes = editions[max(editions)]
    actuelles = {c["code"]: c for c in communes if c["type"] == ACTUELLE}
    return {
        "collectivites-outre-mer.csv": _ecrire(
            dossier_sortie / "collectivites-outre-mer.csv",
            ["code", "nom"],
            [[code, regions[code]] for code in COLLECTIVITES_OUTRE_MER],
        ),
        "communes-outre-mer.csv": _ecrire(
            dossier_sortie / "communes-outre-mer.csv",
            [
                "code_insee",
                "nom",
                "code_departement",
                "code_region",
                "siren_epci",
                "codes_postaux",
                "population",
                "latitude",
                "longitude",
            ],
            [
                [
                    c["code"],
                    c["nom"],
                    c["departement"],
                    c["region"],
                    "",
                    "|".join(c.get("codesPostaux", [])),
                    c.get("population", 0),
                    "",
                    "",
                ]
                for c in sorted(actuelles.values(), key=lambda c: c["code"])
                if c["departement"] in COLLECTIVITES_OUTRE_MER
            ],
        ),
        "arrondissements-municipaux.csv": _ecrire(
            dossier_sortie / "arrondissements-municipaux.csv",
            ["code_insee", "nom", "code_commune", "codes_postaux", "population"],
            [
                [
                    c["code"],
                    c["nom"],
                    c["commune"],
                    "|".join(c.get("codesPostaux", [])),
                    c.get("population", 0),
                ]
                for c in sorted(communes, key=lambda c: c["code"])
                if c["type"] == "arrondissement-municipal"
            ],
        ),
        "communes-anciennes.csv": _ecrire(
            dossier_sortie / "communes-anciennes.csv",
            ["code_insee", "nom", "type", "code_commune", "annee"],
            _anciennes(editions, actuelles),
        ),
        "localites-postales.csv": _ecrire(
            dossier_sortie / "localites-postales.csv",
            ["code_postal", "nom", "code_commune"],
            _localites(postes, communes, actuelles),
        ),
    }


def _anciennes(editions: dict[int, list[dict]], actuelles: dict[str, dict]) -> list[list]:
    """Communes déléguées and associées, and codes of former communes, with today's commune
    and the year of the merger (the first edition where the code is no longer current)."""
    annees = sorted(editions)
    actuelles_par_annee = {
        annee: {c["code"]: c["nom"] for c in editions[annee] if c["type"] == ACTUELLE}
        for annee in annees
    }

    def annee_de_fusion(code: str) -> str:
        for precedente, annee in itertools.pairwise(annees):
            if code in actuelles_par_annee[precedente] and code not in actuelles_par_annee[annee]:
                return str(annee)
        return ""

    def nom_ancien(code: str) -> str:
        for annee in reversed(annees):
            if code in actuelles_par_annee[annee]:
                return actuelles_par_annee[annee][code]
        return ""

    lignes: dict[tuple[str, str], list] = {}
    for c in editions[annees[-1]]:
        type_ = TYPES_ANCIENS.get(c["type"])
        if type_ and c.get("chefLieu") in actuelles:
            annee = "" if c["code"] in actuelles else annee_de_fusion(c["code"])
            lignes[(c["code"], c["chefLieu"])] = [
                c["code"],
                c["nom"],
                type_,
                c["chefLieu"],
                annee,
            ]
    for c in actuelles.values():
        for ancien in c.get("anciensCodes", []):
            if (ancien, c["code"]) not in lignes and ancien not in actuelles:
                lignes[(ancien, c["code"])] = [
                    ancien,
                    nom_ancien(ancien),
                    "ancienne",
                    c["code"],
                    annee_de_fusion(ancien),
                ]
    return sorted(lignes.values())


def _localites(postes: list[dict], communes: list[dict], actuelles: dict[str, dict]):
    """La Poste's localities whose name is not their commune's: (postal code, name, today's
    commune), the commune found through an arrondissement or a former code if needed."""
    vers_actuelle = {c["code"]: c["code"] for c in actuelles.values()}
    for c in communes:
        if c["type"] == "arrondissement-municipal":
            vers_actuelle.setdefault(c["code"], c["commune"])
        elif c["type"] in TYPES_ANCIENS and c.get("chefLieu") in actuelles:
            vers_actuelle.setdefault(c["code"], c["chefLieu"])
    for c in actuelles.values():
        for ancien in c.get("anciensCodes", []):
            vers_actuelle.setdefault(ancien, c["code"])
    lignes = set()
    for poste in postes:
        code = vers_actuelle.get(poste["codeCommune"])
        if code is None:
            continue
        nom = poste["libelleAcheminement"]
        if normaliser(nom) not in {normaliser(actuelles[code]["nom"]), ""}:
            lignes.add((poste["codePostal"], nom, code))
    return sorted(lignes)
