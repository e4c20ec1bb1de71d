"""``import_indice_publie``: La Mednum's published digital fragility index, per IRIS.

The file La Mednum published in 2020 (Design4Green export, one file per région) holds, for
each IRIS, scores with base 100 against three references (the unit's département, EPCI or
région): the global score, the four axes and the two global access and skills scores. It
holds no raw indicator. Separator ``;``, UTF-8 with or without BOM, one row per IRIS; a
commune not split into IRIS is one row whose IRIS code is the commune's code + ``0000``.

The scores of one reference (``--reference``) are stored as they were published: one
version at IRIS level with every row, and one at commune level with the communes not split
into IRIS (their IRIS is the whole commune). An IRIS is linked to the portal's zone holding
its code, and always to its commune.

Every row is checked first; each error is listed ``ligne N, colonne X\u00a0: raison``. All or
nothing by default; ``partiel=True`` keeps the valid rows and returns the refused ones.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from django.db import transaction
from django.utils import timezone

from commun.rejets import LigneRefusee
from indicateurs.enums import Axe, Niveau
from structures.normes import DonneesInvalides, ErreurLigne
from territoires.models import AncienneCommune, Commune, Zone
from territoires.text import normaliser

from .models import MILLESIME_MIN, ResultatIndice
from .services import UnitePubliee, charger_indice_publie

REFERENCES = {
    "departement": "son département",
    "epci": "son intercommunalité (EPCI)",
    "region": "sa région",
}
EDITEUR = "La Mednum"
TYPE_NON_IRISE = "commune non decoupee en iris"
RE_IRIS = re.compile(r"\d[\dAB]\d{7}")
RE_COMMUNE = re.compile(r"\d[\dAB]\d{3}")
RE_CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
NOM_MAXIMUM = 150

# column (normalised, without the reference and the trailing "1") → what it holds; the
# source misspells "administratives" and doubles a space in one header: both are accepted
SCORES = {
    "score global": "indice",
    "acces a l information": Axe.ACCES_INFORMATION.value,
    "acces aux interfaces numeriques": Axe.ACCES_NUMERIQUE.value,
    "competences administatives": Axe.COMPETENCES_ADMINISTRATIVES.value,
    "competences administratives": Axe.COMPETENCES_ADMINISTRATIVES.value,
    "competences numeriques scolaires": Axe.COMPETENCES_NUMERIQUES.value,
    "global acces": "acces_global",
    "global competences": "competences_global",
}
IDENTITE = {
    "code iris": "code_iris",
    "insee com": "commune",
    "nom iris": "nom",
    "type iris": "type",
}
OBLIGATOIRES = ["code iris", "insee com", "nom iris", "type iris"]


class IndicePublieInvalide(DonneesInvalides):
    def __init__(self, erreurs: list[ErreurLigne]):
        super().__init__(erreurs)
        self.args = (f"{len(erreurs)} erreur(s) dans le fichier de l'indice publié",)


@dataclass
class RapportIndicePublie:
    lignes: int = 0
    iris: int = 0
    communes: int = 0
    rattachees_a_une_zone: int = 0
    reference: str = ""
    millesime: int = 0
    simulation: bool = False
    resultats: list[ResultatIndice] = field(default_factory=list)
    refusees: list[LigneRefusee] = field(default_factory=list)
    entete: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    def resume(self) -> str:
        texte = (
            f"Indice publié par {EDITEUR} ({self.millesime}, base 100 par rapport à "
            f"{REFERENCES[self.reference]})\u00a0: {_nombre(self.iris, 'IRIS', 'IRIS')}"
            f" dont {self.rattachees_a_une_zone} rattaché(s) à un quartier du portail, "
            f"{_nombre(self.communes, 'commune', 'communes')} non découpée(s) en IRIS"
        )
        if self.avertissements:
            texte += (
                f" ; {_nombre(len(self.avertissements), 'IRIS', 'IRIS')} d'une commune "
                "fusionnée depuis, rattaché(s) à la commune d'aujourd'hui"
            )
        if self.refusees:
            texte += f" ; {_nombre(len(self.refusees), 'ligne refusée', 'lignes refusées')}"
        if self.simulation:
            return texte + " (simulation, rien n'a été écrit)."
        numeros = ", ".join(f"n° {r.pk}" for r in self.resultats)
        return texte + (f" ; versions {numeros}." if numeros else ".")


def _nombre(n: int, singulier: str, pluriel: str) -> str:
    return f"{n:,}".replace(",", "\u202f") + " " + (singulier if n < 2 else pluriel)


def lire_score(texte: str) -> float | str | None:
    """A score: a float, ``None`` when empty, else a French message."""
    texte = texte.strip().replace("\u202f", "").replace("\xa0", "")
    if not texte:
        return None
    try:
        nombre = float(texte.replace(",", "."))
    except ValueError:
        return f"« {texte} » n'est pas un nombre"
    if not math.isfinite(nombre):
        return f"« {texte} » n'est pas un nombre"
    if nombre < 0:
        return f"score négatif ({texte})\u00a0: un score en base 100 est positif"
    return nombre


def _colonnes(entete: list[str], reference: str) -> tuple[dict[str, str], list[str]]:
    """What each header holds (``{header: role}``), and the missing columns."""
    roles: dict[str, str] = {}
    suffixe = f" {reference} 1"
    for colonne in entete:
        cle = normaliser(colonne)
        if cle in IDENTITE:
            roles[colonne] = IDENTITE[cle]
        elif cle.endswith(suffixe) and cle.removesuffix(suffixe) in SCORES:
            roles[colonne] = SCORES[cle.removesuffix(suffixe)]
    presents = set(roles.values())
    manquantes = [c for c in OBLIGATOIRES if IDENTITE[c] not in presents]
    if "indice" not in presents:
        manquantes.append(f"SCORE GLOBAL {reference} 1")
    return roles, manquantes


def _lire(chemin: Path | None, flux: TextIO | BinaryIO | None) -> str:
    brut = Path(chemin).read_bytes() if chemin is not None else flux.read()
    if isinstance(brut, bytes):
        brut = brut.decode("utf-8")
    return brut.removeprefix("\ufeff")


def importer_indice_publie(
    *,
    chemin: Path | str | None = None,
    flux: TextIO | BinaryIO | None = None,
    millesime: int,
    reference: str,
    source: str = "",
    dry_run: bool = False,
    partiel: bool = False,
    par=None,
    communes_autorisees: set[str] | None = None,
) -> RapportIndicePublie:
    """Check the file, then store its scores as one or two published versions.

    Raises :class:`IndicePublieInvalide` with every error (all or nothing), or, with
    ``partiel``, when no row is valid; otherwise the report lists the refused rows.
    ``communes_autorisees``: when given (back office), a row of another commune is refused.
    """
    if reference not in REFERENCES:
        raise IndicePublieInvalide(
            [
                ErreurLigne(
                    1, "-", f"référence inconnue « {reference} » (departement, epci ou region)"
                )
            ]
        )
    annee_max = timezone.localdate().year
    if not MILLESIME_MIN <= millesime <= annee_max:
        raise IndicePublieInvalide(
            [
                ErreurLigne(
                    1, "-", f"millésime invalide {millesime} (de {MILLESIME_MIN} à {annee_max})"
                )
            ]
        )
    try:
        texte = _lire(Path(chemin) if chemin is not None else None, flux)
    except UnicodeDecodeError:
        raise IndicePublieInvalide(
            [ErreurLigne(1, "-", "le fichier n'est pas encodé en UTF-8")]
        ) from None
    premiere = texte.split("\n", 1)[0]
    if ";" not in premiere:
        raise IndicePublieInvalide(
            [ErreurLigne(1, "-", "un fichier CSV séparé par des points-virgules est attendu")]
        )
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=";")
    entete = [e.strip() for e in next(lecteur, [])]
    roles, manquantes = _colonnes(entete, reference)
    if manquantes:
        raise IndicePublieInvalide(
            [
                ErreurLigne(
                    1,
                    ", ".join(manquantes),
                    "colonne(s) absente(s) de l'en-tête ; attendu\u00a0: le fichier de l'indice "
                    f"de {EDITEUR} (Code Iris, Insee Com, Nom Iris, Type Iris et les scores "
                    f"« … {reference} 1 »)",
                )
            ]
        )
    lignes = []
    erreurs_globales: list[tuple[ErreurLigne, dict[str, str]]] = []
    numero = 1
    for valeurs in lecteur:
        numero = lecteur.line_num
        if not any(v.strip() for v in valeurs):
            continue
        if len(valeurs) != len(entete):
            erreur = ErreurLigne(
                numero, "-", f"{len(valeurs)} valeurs pour {len(entete)} colonnes dans l'en-tête"
            )
            erreurs_globales.append((erreur, dict(zip(entete, valeurs, strict=False))))
            continue
        lignes.append((numero, dict(zip(entete, valeurs, strict=True))))
    if not lignes and not erreurs_globales:
        raise IndicePublieInvalide([ErreurLigne(2, "-", "le fichier ne contient aucune ligne")])

    colonne_de = {role: colonne for colonne, role in roles.items()}
    # only well-formed codes reach the database (a NUL would not)
    codes_communes = {
        code for _, v in lignes if RE_COMMUNE.fullmatch(code := v[colonne_de["commune"]].strip())
    }
    communes = {c.pk: c for c in Commune.objects.filter(pk__in=codes_communes).only("pk", "nom")}
    # a commune merged since the publication: its code now names a commune déléguée or a
    # former commune of today's commune, which holds its IRIS
    fusionnees = _communes_d_aujourd_hui(codes_communes - set(communes))
    communes.update(fusionnees)
    vus: dict[str, int] = {}
    valides: list[tuple[int, dict]] = []
    refusees = [LigneRefusee(e.ligne, valeurs, [e]) for e, valeurs in erreurs_globales]
    for numero, valeurs in lignes:
        erreurs: list[ErreurLigne] = []
        lue = _verifier_ligne(numero, valeurs, colonne_de, communes, erreurs)
        if (
            lue is not None
            and communes_autorisees is not None
            and communes[lue["commune"]].pk not in communes_autorisees
        ):
            erreurs.append(
                ErreurLigne(
                    numero,
                    colonne_de["commune"],
                    f"la commune {lue['commune']} est hors de votre territoire",
                )
            )
            lue = None
        if lue is not None and lue["code_iris"] in vus:
            erreurs.append(
                ErreurLigne(
                    numero, colonne_de["code_iris"], f"doublon de la ligne {vus[lue['code_iris']]}"
                )
            )
        if erreurs:
            refusees.append(LigneRefusee(numero, valeurs, erreurs))
            continue
        vus[lue["code_iris"]] = numero
        valides.append((numero, lue))
    refusees.sort(key=lambda r: r.numero)
    if refusees and (not partiel or not valides):
        raise IndicePublieInvalide([e for r in refusees for e in r.erreurs])

    zones = {
        z.code: z
        for z in Zone.objects.tous()
        .filter(code__in=[v["code_iris"] for _, v in valides])
        .select_related("commune")
    }
    iris, non_irisees = [], []
    avertissements = []
    for numero, v in valides:
        commune = communes[v["commune"]]
        if v["commune"] in fusionnees:
            avertissements.append(
                f"ligne {numero}\u00a0: la commune {v['commune']} ({v['nom_commune'] or v['nom']}) "
                f"fait partie de {commune.nom} ({commune.pk}) depuis la publication\u00a0: IRIS "
                f"rattaché à {commune.nom}"
                + (", absent de la version par commune" if v["non_irisee"] else "")
            )
        zone = zones.get(v["code_iris"])
        if zone is not None and zone.commune_id != commune.pk:
            zone = None  # an IRIS code held by a zone of another commune: not this IRIS
        scores = {
            "indice": v["indice"],
            "axes": {axe: v.get(axe) for axe in Axe.values},
            "acces_global": v.get("acces_global"),
            "competences_global": v.get("competences_global"),
        }
        iris.append(
            UnitePubliee(
                commune=commune,
                zone=zone,
                niveau_publie=Niveau.IRIS,
                code_publie=v["code_iris"],
                nom_publie=zone.nom if zone is not None else v["nom"],
                **scores,
            )
        )
        if v["non_irisee"] and v["commune"] not in fusionnees:
            # a merged commune's score is not today's commune's: IRIS level only
            non_irisees.append(
                UnitePubliee(commune=commune, niveau_publie=Niveau.COMMUNE, **scores)
            )
    rapport = RapportIndicePublie(
        lignes=len(lignes),
        iris=len(iris),
        communes=len(non_irisees),
        rattachees_a_une_zone=sum(1 for u in iris if u.zone is not None),
        reference=reference,
        millesime=millesime,
        simulation=dry_run,
        refusees=refusees,
        entete=entete,
        avertissements=avertissements,
    )
    if dry_run:
        return rapport
    parametres = {"editeur": EDITEUR, "base": 100, "reference_publiee": reference}
    source = source or (
        f"{EDITEUR}, indice de fragilité numérique {millesime} par IRIS "
        f"(scores base 100, référence\u00a0: {REFERENCES[reference]})"
    )
    with transaction.atomic():
        for unites in (iris, non_irisees):
            if unites:
                rapport.resultats.append(
                    charger_indice_publie(
                        unites=unites,
                        millesime=millesime,
                        source=source,
                        par=par,
                        tache="import_indice_publie",
                        parametres=parametres,
                    )
                )
    return rapport


def _communes_d_aujourd_hui(codes: set[str]) -> dict[str, Commune]:
    """Former code → today's commune, for the codes naming one commune only."""
    trouvees: dict[str, set[str]] = {}
    for code, commune in AncienneCommune.objects.filter(code_insee__in=codes).values_list(
        "code_insee", "commune_id"
    ):
        trouvees.setdefault(code, set()).add(commune)
    uniques = {code: communes.pop() for code, communes in trouvees.items() if len(communes) == 1}
    actuelles = Commune.objects.filter(pk__in=uniques.values()).only("pk", "nom").in_bulk()
    return {code: actuelles[commune] for code, commune in uniques.items() if commune in actuelles}


def _verifier_ligne(
    numero: int,
    valeurs: dict[str, str],
    colonne_de: dict[str, str],
    communes: dict[str, Commune],
    erreurs: list[ErreurLigne],
) -> dict | None:
    """The row's values read and checked; ``None`` after recording its errors."""
    for colonne, valeur in valeurs.items():
        if RE_CONTROLE.search(valeur):
            erreurs.append(
                ErreurLigne(numero, colonne, "caractère de contrôle interdit\u00a0: retirez-le")
            )
    if erreurs:
        return None
    lue: dict = {}
    code = valeurs[colonne_de["code_iris"]].strip()
    code_commune = valeurs[colonne_de["commune"]].strip()
    if not RE_IRIS.fullmatch(code):
        erreurs.append(
            ErreurLigne(
                numero,
                colonne_de["code_iris"],
                f"code IRIS invalide « {code} » (9 caractères\u00a0: code de la commune et 4 "
                "chiffres)"
                if code
                else "code IRIS manquant",
            )
        )
    if not RE_COMMUNE.fullmatch(code_commune):
        erreurs.append(
            ErreurLigne(
                numero,
                colonne_de["commune"],
                f"code INSEE de commune invalide « {code_commune} »"
                if code_commune
                else "code INSEE de la commune manquant",
            )
        )
    elif code_commune not in communes:
        erreurs.append(
            ErreurLigne(
                numero,
                colonne_de["commune"],
                f"commune « {code_commune} » absente de la géographie de référence, ni commune "
                "d'aujourd'hui ni ancienne commune connue\u00a0: l'IRIS ne peut être rattaché "
                "à aucun "
                "territoire",
            )
        )
    elif RE_IRIS.fullmatch(code) and code[:5] != code_commune:
        erreurs.append(
            ErreurLigne(
                numero,
                colonne_de["code_iris"],
                f"le code IRIS « {code} » n'est pas un IRIS de la commune {code_commune}",
            )
        )
    nom = valeurs[colonne_de["nom"]].strip()
    if not nom:
        erreurs.append(ErreurLigne(numero, colonne_de["nom"], "nom de l'IRIS manquant"))
    elif len(nom) > NOM_MAXIMUM:
        erreurs.append(
            ErreurLigne(
                numero, colonne_de["nom"], f"nom trop long (plus de {NOM_MAXIMUM} caractères)"
            )
        )
    for role in ("indice", *Axe.values, "acces_global", "competences_global"):
        colonne = colonne_de.get(role)
        if colonne is None:
            continue
        score = lire_score(valeurs[colonne])
        if isinstance(score, str):
            erreurs.append(ErreurLigne(numero, colonne, score))
        elif score is None and role == "indice":
            erreurs.append(ErreurLigne(numero, colonne, "score global manquant"))
        else:
            lue[role] = score
    if erreurs:
        return None
    non_irisee = normaliser(valeurs[colonne_de["type"]]) == TYPE_NON_IRISE
    if non_irisee and code != code_commune + "0000":
        erreurs.append(
            ErreurLigne(
                numero,
                colonne_de["code_iris"],
                f"une commune non découpée en IRIS a pour code IRIS {code_commune}0000, "
                f"pas « {code} »",
            )
        )
        return None
    nom_commune = valeurs[colonne_de["nom_commune"]].strip() if "nom_commune" in colonne_de else ""
    lue.update(
        code_iris=code,
        commune=code_commune,
        nom=nom,
        non_irisee=non_irisee,
        nom_commune=nom_commune,
    )
    return lue
