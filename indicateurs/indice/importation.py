"""``import_indicateurs``: a CSV of indicator values, checked whole, then written at once.

Header ``niveau,code,indicateur,valeur,millesime,source`` (``source`` optional), comma or
semicolon between cells, decimal point or comma. Every error is listed by line
(``ligne N, colonne X\u00a0: raison``) and nothing is written while there is one. A value of an
existing (niveau, code, indicateur, millésime) replaces the stored one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from django.utils import timezone

from indicateurs.enums import Indicateur, Niveau
from structures.normes import DonneesInvalides, ErreurLigne, lire_fichier
from territoires.models import Commune, Zone

from .models import MILLESIME_MIN, ValeurIndicateur
from .services import Valeur, enregistrer_valeurs

COLONNES_OBLIGATOIRES = ["niveau", "code", "indicateur", "valeur", "millesime"]
COLONNES = [*COLONNES_OBLIGATOIRES, "source"]
RE_IRIS = re.compile(r"\d[\dAB]\d{7}")
RE_CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
RE_NOMBRE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
LONGUEUR_CODE = ValeurIndicateur._meta.get_field("code").max_length
LONGUEUR_SOURCE = ValeurIndicateur._meta.get_field("source").max_length


class IndicateursInvalides(DonneesInvalides):
    def __init__(self, erreurs: list[ErreurLigne]):
        super().__init__(erreurs)
        self.args = (f"{len(erreurs)} erreur(s) dans le fichier d'indicateurs",)


@dataclass
class RapportImport:
    total: int = 0
    nouvelles: int = 0
    remplacees: int = 0
    simulation: bool = False
    series: dict[tuple[str, int], int] | None = None

    def resume(self) -> str:
        series = ", ".join(
            f"{niveau} {millesime}\u00a0: {nombre}"
            for (niveau, millesime), nombre in sorted((self.series or {}).items())
        )
        texte = (
            f"{self.total} valeurs d'indicateurs ({series or 'aucune'})\u00a0: "
            f"{self.nouvelles} nouvelles, {self.remplacees} remplacées"
        )
        if self.simulation:
            texte += " (simulation, rien n'a été écrit)"
        return texte


def _texte(chemin: Path | None, flux: TextIO | BinaryIO | None) -> str:
    brut = Path(chemin).read_bytes() if chemin is not None else flux.read()
    if isinstance(brut, bytes):
        brut = brut.decode("utf-8")
    return brut.removeprefix("\ufeff")


def lire_nombre(texte: str) -> float | None:
    """``"12,5"``, ``"12.5"``, ``"-3"`` → float; ``None`` when not a finite number."""
    texte = texte.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not RE_NOMBRE.match(texte):
        return None
    nombre = float(texte.replace(",", "."))
    return nombre if math.isfinite(nombre) else None


def importer_indicateurs(
    *,
    chemin: Path | str | None = None,
    flux: TextIO | BinaryIO | None = None,
    dry_run: bool = False,
    communes_autorisees: set[str] | None = None,
) -> RapportImport:
    """Check every line, then write them all (or nothing): raises :class:`IndicateursInvalides`.

    ``communes_autorisees``: when given (back office), a unit outside them is refused."""
    try:
        texte = _texte(Path(chemin) if chemin is not None else None, flux)
    except UnicodeDecodeError:
        raise IndicateursInvalides(
            [ErreurLigne(1, "-", "le fichier n'est pas encodé en UTF-8")]
        ) from None
    if texte.lstrip()[:1] in ("[", "{"):
        raise IndicateursInvalides([ErreurLigne(1, "-", "un fichier CSV est attendu")])
    erreurs: list[ErreurLigne] = []
    entetes, lignes = lire_fichier(texte, erreurs)
    entetes = [e.lower() for e in entetes]
    manquantes = [c for c in COLONNES_OBLIGATOIRES if c not in entetes]
    if manquantes:
        raise IndicateursInvalides(
            [
                ErreurLigne(
                    1,
                    ", ".join(manquantes),
                    "colonne(s) absente(s) de l'en-tête ; attendu\u00a0: " + ",".join(COLONNES),
                )
            ]
        )
    if not lignes and not erreurs:
        raise IndicateursInvalides([ErreurLigne(2, "-", "le fichier ne contient aucune valeur")])

    annee_max = timezone.localdate().year + 1
    lignes = [
        (numero, {k.lower(): v.strip() for k, v in brute.items()}) for numero, brute in lignes
    ]
    codes = {
        ligne["code"]
        for _, ligne in lignes
        if ligne["niveau"].lower() == Niveau.COMMUNE and not RE_CONTROLE.search(ligne["code"])
    }
    communes = set(Commune.objects.filter(pk__in=codes).values_list("pk", flat=True))
    vues: dict[tuple, int] = {}
    valides: list[tuple[int, dict]] = []
    for numero, ligne in lignes:
        niveau = ligne["niveau"].lower()
        code = ligne["code"]
        indicateur = ligne["indicateur"].lower()
        avant = len(erreurs)
        # a NUL or another control character: refused by line, never sent to the database
        # (PostgreSQL refuses NUL in text with a DataError)
        for colonne, valeur in ligne.items():
            if colonne is not None and isinstance(valeur, str) and RE_CONTROLE.search(valeur):
                erreurs.append(
                    ErreurLigne(
                        numero,
                        colonne,
                        "caractère de contrôle interdit (NUL, retour chariot…)\u00a0: retirez-le",
                    )
                )
        if len(erreurs) > avant:
            continue
        if niveau not in Niveau.values:
            erreurs.append(
                ErreurLigne(
                    numero,
                    "niveau",
                    f"niveau inconnu « {ligne['niveau']} » (commune, iris ou quartier)",
                )
            )
        if not code:
            erreurs.append(ErreurLigne(numero, "code", "code manquant"))
        elif len(code) > LONGUEUR_CODE:
            erreurs.append(ErreurLigne(numero, "code", f"code trop long (> {LONGUEUR_CODE})"))
        elif niveau == Niveau.COMMUNE and code not in communes:
            erreurs.append(
                ErreurLigne(numero, "code", f"commune inconnue\u00a0: code INSEE « {code} »")
            )
        elif niveau == Niveau.IRIS and not RE_IRIS.fullmatch(code):
            erreurs.append(
                ErreurLigne(numero, "code", f"code IRIS invalide « {code} » (9 caractères)")
            )
        if indicateur not in Indicateur.values:
            erreurs.append(
                ErreurLigne(
                    numero,
                    "indicateur",
                    f"indicateur inconnu « {ligne['indicateur']} » (attendu\u00a0: "
                    + ", ".join(Indicateur.values)
                    + ")",
                )
            )
        valeur = lire_nombre(ligne["valeur"])
        if valeur is None:
            raison = (
                f"nombre invalide « {ligne['valeur']} »" if ligne["valeur"] else "valeur manquante"
            )
            erreurs.append(ErreurLigne(numero, "valeur", raison))
        millesime = int(ligne["millesime"]) if re.fullmatch(r"\d{4}", ligne["millesime"]) else 0
        if not MILLESIME_MIN <= millesime <= annee_max:
            erreurs.append(
                ErreurLigne(
                    numero,
                    "millesime",
                    f"année invalide « {ligne['millesime']} » "
                    f"(4 chiffres, de {MILLESIME_MIN} à {annee_max})",
                )
            )
        source = ligne.get("source", "")
        if len(source) > LONGUEUR_SOURCE:
            erreurs.append(
                ErreurLigne(numero, "source", f"source trop longue (> {LONGUEUR_SOURCE})")
            )
        if len(erreurs) > avant:
            continue
        cle = (niveau, code, indicateur, millesime)
        if cle in vues:
            erreurs.append(
                ErreurLigne(
                    numero,
                    "-",
                    f"doublon de la ligne {vues[cle]} (même niveau, code, indicateur et millésime)",
                )
            )
            continue
        vues[cle] = numero
        valides.append(
            (
                numero,
                {
                    "niveau": niveau,
                    "code": code,
                    "indicateur": indicateur,
                    "valeur": valeur,
                    "millesime": millesime,
                    "source": source,
                },
            )
        )
    if erreurs:
        raise IndicateursInvalides(sorted(erreurs, key=lambda e: e.ligne))

    valeurs = _rattacher(valides)
    if communes_autorisees is not None:
        hors = [
            ErreurLigne(
                numero,
                "code",
                f"l'unité {v.code} est hors de votre territoire (ou d'une commune inconnue)",
            )
            for (numero, _), v in zip(valides, valeurs, strict=True)
            if v.commune_id not in communes_autorisees
        ]
        if hors:
            raise IndicateursInvalides(hors)
    rapport = RapportImport(total=len(valeurs), simulation=dry_run, series={})
    cles_par_serie: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for v in valeurs:
        cles_par_serie.setdefault((v.niveau, v.millesime), set()).add((v.code, v.indicateur))
    for (niveau, millesime), cles in cles_par_serie.items():
        rapport.series[(niveau, millesime)] = len(cles)
        stockees = ValeurIndicateur.objects.tous().du_millesime(niveau, millesime)
        rapport.remplacees += len(cles & set(stockees.values_list("code", "indicateur")))
    rapport.nouvelles = rapport.total - rapport.remplacees
    if not dry_run:
        enregistrer_valeurs(valeurs=valeurs)
    return rapport


def _rattacher(valides: list[tuple[int, dict]]) -> list[Valeur]:
    """Link each value to its commune or zone when the code matches one."""
    codes_iris = {v["code"] for _, v in valides if v["niveau"] == Niveau.IRIS}
    ids_quartiers = {
        int(v["code"]) for _, v in valides if v["niveau"] == Niveau.QUARTIER and v["code"].isdigit()
    }
    iris = {
        z.code: z
        for z in Zone.objects.tous().filter(code__in=codes_iris).only("pk", "code", "commune_id")
    }
    quartiers = {
        str(z.pk): z
        for z in Zone.objects.tous().filter(pk__in=ids_quartiers).only("pk", "commune_id")
    }
    communes_iris = set(
        Commune.objects.filter(pk__in={c[:5] for c in codes_iris}).values_list("pk", flat=True)
    )
    valeurs = []
    for _, v in valides:
        commune_id = zone_id = None
        if v["niveau"] == Niveau.COMMUNE:
            commune_id = v["code"]
        elif v["niveau"] == Niveau.IRIS:
            zone = iris.get(v["code"])
            zone_id = zone.pk if zone else None
            commune_id = (
                zone.commune_id
                if zone
                else (v["code"][:5] if v["code"][:5] in communes_iris else None)
            )
        else:
            zone = quartiers.get(v["code"])
            if zone:
                zone_id, commune_id = zone.pk, zone.commune_id
        valeurs.append(
            Valeur(
                niveau=v["niveau"],
                code=v["code"],
                indicateur=v["indicateur"],
                valeur=v["valeur"],
                millesime=v["millesime"],
                source=v["source"],
                commune_id=commune_id,
                zone_id=zone_id,
            )
        )
    return valeurs
