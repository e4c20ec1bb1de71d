"""The national standard *lieux de médiation numérique* v1.0.2: export and import of sites.

Export: :func:`exporter_csv` writes the standard's 32 columns in the schema's order, one site
a line, multi-valued cells joined by ``|``, labels as the standard writes them. The file
always validates against the schema v1.0.2 (checked with frictionless in the tests):

* a site without SIRET nor RNA gets the pivot ``00000000000000``, the placeholder of the
  national pipeline (mednum-cli, the national map's files), read back as no pivot;
* the ``id`` is the schema's primary key while the portal's key is (source, id): an id that
  two exported sources share is written ``source:id`` (the import removes that prefix when
  it is the row's own source, so a re-import finds the same sites);
* ``telephone``: the schema's pattern accepts one number, the CSV has the first (the JSON
  export, with lists, keeps them all);
* labels are written as the schema spells them (« Étapes numériques(La Poste) »).
:func:`exporter_json` writes a JSON array of objects with the same keys; in JSON the
multi-valued columns (:data:`COLONNES_MULTIPLES`) are lists of strings, ``latitude`` and
``longitude`` numbers (or ``null``), every other value the CSV cell's string.

Import: see :func:`importer_lieux`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import BinaryIO, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.utils import timezone

from commun.exports import DEBUTS_DE_FORMULE, EcrivainCSVDict
from commun.rejets import COLONNE_MOTIFS, LigneRefusee
from territoires.enums import TypeZone
from territoires.resolution import Referentiel
from territoires.text import normaliser

from .enums import (
    FormationLabel,
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Programme,
    Public,
    Service,
    Typologie,
)
from .fields import ordre_du_vocabulaire
from .horaires import JOURS, Plage, depuis_plages, valider_horaires
from .models import Lieu, Structure
from .services import recalculer_creneaux
from .validators import (
    RE_CODE_INSEE,
    normaliser_telephone,
    valider_code_postal,
    valider_pivot,
    valider_telephone,
)

VERSION = "v1.0.2"

COLONNES = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]

# column of the standard -> (field of Lieu, vocabulary); labels are exchanged, codes stored
VOCABULAIRES: dict[str, tuple[str, type[models.TextChoices]]] = {
    "itinerance": ("itinerance", Itinerance),
    "services": ("services", Service),
    "publics_specifiquement_adresses": ("publics", Public),
    "prise_en_charge_specifique": ("prise_en_charge", PriseEnCharge),
    "frais_a_charge": ("frais", Frais),
    "dispositif_programmes_nationaux": ("programmes", Programme),
    "formations_labels": ("formations_labels", FormationLabel),
    "modalites_acces": ("modalites_acces", ModaliteAcces),
    "modalites_accompagnement": ("modalites_accompagnement", ModaliteAccompagnement),
}

# the typologie column holds the codes themselves (``TIERS_LIEUX|ASSO``)
TYPOLOGIE = ("typologies", Typologie)

# columns copied as they are stored
TEXTES = {
    "nom": "nom",
    "code_postal": "code_postal",
    "adresse": "adresse",
    "complement_adresse": "complement_adresse",
    "telephone": "telephone",
    "courriels": "courriels",
    "site_web": "site_web",
    "horaires": "horaires",
    "presentation_resume": "presentation_resume",
    "presentation_detail": "presentation_detail",
    "structure_parente": "structure_parente",
    "autres_formations_labels": "autres_formations_labels",
    "fiche_acces_libre": "fiche_acces_libre",
    "prise_rdv": "prise_rdv",
}

COLONNES_MULTIPLES = ["typologie", "telephone", "courriels", "site_web", *VOCABULAIRES]

SEPARATEUR = "|"


def decimal_simple(nombre: float | None) -> str:
    """``48.0061`` → ``"48.0061"``; never an exponent (``1e-05``), ``""`` for ``None``."""
    if nombre is None:
        return ""
    texte = format(Decimal(repr(float(nombre))), "f")
    if "." in texte:
        texte = texte.rstrip("0").rstrip(".")
    return texte or "0"


def _etiquettes(vocabulaire: type[models.TextChoices]) -> dict[str, str]:
    return {code: str(etiquette) for code, etiquette in vocabulaire.choices}


_ETIQUETTES = {colonne: _etiquettes(voc) for colonne, (_, voc) in VOCABULAIRES.items()}


# the schema's spelling where it differs from the portal's label
_ETIQUETTES["formations_labels"][FormationLabel.ETAPES_NUMERIQUES] = "Étapes numériques(La Poste)"
PREFIXE_SOURCE = ":"


def identifiants_partages(lieux: Iterable[Lieu]) -> set[str]:
    """The ids that more than one source uses among ``lieux`` (exported ``source:id``)."""
    if isinstance(lieux, models.QuerySet):
        return set(
            lieux.order_by()
            .values("identifiant")
            .annotate(sources=models.Count("source", distinct=True))
            .filter(sources__gt=1)
            .values_list("identifiant", flat=True)
        )
    sources: dict[str, set[str]] = defaultdict(set)
    for lieu in lieux:
        sources[lieu.identifiant].add(lieu.source)
    return {identifiant for identifiant, s in sources.items() if len(s) > 1}


def lieu_vers_ligne(
    lieu: Lieu, partages: set[str] = frozenset(), *, un_telephone: bool = True
) -> dict[str, str]:
    """One site as a row of the standard: every column a string, ``""`` when empty;
    ``partages``: the ids to write with their source in front; ``un_telephone``: the first
    number only (the CSV schema's pattern), all of them for JSON, whose lists lose nothing."""
    ligne = dict.fromkeys(COLONNES, "")
    ligne["id"] = lieu.identifiant
    if lieu.identifiant in partages:
        ligne["id"] = f"{lieu.source}{PREFIXE_SOURCE}{lieu.identifiant}"
    ligne["source"] = lieu.source
    ligne["pivot"] = lieu.structure.pivot or PIVOT_INCONNU
    ligne["commune"] = lieu.commune.nom
    ligne["code_insee"] = lieu.commune_id
    zone = lieu.zone if lieu.zone_id else None
    if zone is not None and zone.type == TypeZone.ARRONDISSEMENT and zone.code:
        # Paris, Lyon, Marseille: the arrondissement's code, which the import reads back
        ligne["code_insee"] = zone.code
    for colonne, champ in TEXTES.items():
        ligne[colonne] = getattr(lieu, champ) or ""
    if un_telephone:
        ligne["telephone"] = ligne["telephone"].split(SEPARATEUR)[0]
    ligne["latitude"] = decimal_simple(lieu.latitude)
    ligne["longitude"] = decimal_simple(lieu.longitude)
    ligne["typologie"] = SEPARATEUR.join(lieu.typologies)
    ligne["date_maj"] = lieu.date_maj.isoformat() if lieu.date_maj else ""
    for colonne, (champ, _) in VOCABULAIRES.items():
        etiquettes = _ETIQUETTES[colonne]
        ligne[colonne] = SEPARATEUR.join(etiquettes.get(c, c) for c in getattr(lieu, champ))
    return ligne


# what lieu_vers_ligne reads of a site, and of its structure, commune and zone
_CHAMPS_LUS = sorted(
    {
        "identifiant",
        "source",
        "commune_id",
        "zone_id",
        "latitude",
        "longitude",
        "typologies",
        "date_maj",
        *TEXTES.values(),
        *(champ for champ, _ in VOCABULAIRES.values()),
    }
)
_LIES = {
    "structure__pivot": "pivot",
    "commune__nom": "nom",
    "zone__type": "type",
    "zone__code": "code",
}


def _parcourir(lieux: Iterable[Lieu]) -> Iterable[Lieu]:
    """The sites to export. A queryset is read as rows of values, each turned into a light
    object with the attributes lieu_vers_ligne reads: building 20,000 model instances (and
    their structure, commune and zone) took most of an export's time."""
    if not isinstance(lieux, models.QuerySet):
        yield from lieux
        return
    for ligne in lieux.values(*_CHAMPS_LUS, *_LIES).iterator(chunk_size=2000):
        lies = {cle: ligne.pop(cle) for cle in _LIES}
        yield SimpleNamespace(
            **ligne,
            structure=SimpleNamespace(pivot=lies["structure__pivot"]),
            commune=SimpleNamespace(nom=lies["commune__nom"]),
            zone=SimpleNamespace(type=lies["zone__type"], code=lies["zone__code"])
            if ligne["zone_id"]
            else None,
        )


# columns whose content is checked and may start with + or - (phones, coordinates): the
# others are typed by users and neutralised against spreadsheet formulas
COLONNES_FORMATEES = frozenset(
    {"latitude", "longitude", "telephone", "code_postal", "code_insee", "date_maj", "pivot"}
)


def exporter_csv(lieux: Iterable[Lieu], flux: TextIO) -> int:
    """Write ``lieux`` as the standard's CSV to the text stream ``flux``; returns the count."""
    ecrivain = EcrivainCSVDict(flux, COLONNES, sans=COLONNES_FORMATEES, lineterminator="\n")
    ecrivain.writeheader()
    total = 0
    if not isinstance(lieux, models.QuerySet):
        lieux = list(lieux)
    partages = identifiants_partages(lieux)
    for lieu in _parcourir(lieux):
        ecrivain.writerow(lieu_vers_ligne(lieu, partages))
        total += 1
    return total


def ligne_vers_objet_json(ligne: dict[str, str]) -> dict:
    """A CSV row as a JSON object: lists for multi-valued columns, numbers for coordinates."""
    objet: dict = dict(ligne)
    for colonne in COLONNES_MULTIPLES:
        objet[colonne] = [v for v in ligne[colonne].split(SEPARATEUR) if v]
    for colonne in ("latitude", "longitude"):
        objet[colonne] = float(ligne[colonne]) if ligne[colonne] else None
    return objet


def exporter_json(lieux: Iterable[Lieu], flux: TextIO) -> int:
    """Write ``lieux`` as a JSON array of objects (see the module's docstring)."""
    flux.write("[")
    total = 0
    if not isinstance(lieux, models.QuerySet):
        lieux = list(lieux)
    partages = identifiants_partages(lieux)
    for lieu in _parcourir(lieux):
        flux.write(",\n" if total else "\n")
        objet = ligne_vers_objet_json(lieu_vers_ligne(lieu, partages, un_telephone=False))
        # dumps, not dump: dump encodes in pure Python, dumps in C (5 to 10 times faster)
        flux.write(json.dumps(objet, ensure_ascii=False))
        total += 1
    flux.write("\n]\n" if total else "]\n")
    return total


# -- import ---------------------------------------------------------------------------
#
# ``importer_lieux`` reads three dialects, recognised from the header:
#
# * the national standard v1.0.2 (:data:`COLONNES`);
# * its v0 (Schema_V0.1.json of LaMednum/standard-mediation-num): ``courriel``,
#   ``publics_accueillis``, ``conditions_acces`` (or ``frais``), ``labels_nationaux``,
#   ``labels_autres``, ``accessibilite``, ``cle_ban`` (ignored), multi-valued cells separated
#   by ``;`` and its own vocabularies, translated by :data:`ALIAS_V0`;
#   v0 files of the national map (2022) join multi-values with ``", "`` and misspell
#   ``conditions_access``: both are read;
# * a mix of both (the national map's local files of 2023): v1 columns with v0 ones beside
#   them; a v0 cell fills its v1 counterpart when that one is empty, and the summary counts
#   the values so kept (:attr:`RapportImport.reprises`);
# * the France Services open-data list (ANCT), with the mapping :data:`COLONNES_FRANCE_SERVICES`
#   (every row gets programme France Services, typologie RFS and the service « Aide aux
#   démarches administratives »): itinerant when ``itinerance`` is « Oui » or ``format_fs``
#   says « Itinérante », « Bus_équivalent » or « Mobile »; the per-day ``h_lundi``…``h_samedi``
#   (« 09:00 - 12:00 / 13:30 - 17:00 ») become an OSM ``horaires`` when there is none;
#   ``date_maj`` is the labellisation date (« Espace labellisé 01/01/2020 »).
#
# Headers are matched without case or accents (``Adresse``, ``téléphone``, ``SIRET``); every
# column of the file is either read or listed in the summary as ignored.
#
# The pivot ``00000000000000`` is the national pipeline's placeholder for a site without
# SIRET nor RNA (mednum-cli and the national map write it): it is read as no pivot, and the
# export writes it back for such sites (the schema requires a pivot).
#
# All-or-nothing by default: every row is checked, every error reported with its line (the
# header is line 1; for JSON the n-th object is line n + 1), column and reason, and nothing is
# written unless the whole file is clean. With ``partiel``, the valid rows are written and the
# refused ones returned with their errors (:attr:`RapportImport.refusees`). Idempotent: rows
# are compared with the database, and only new or changed sites are written.

DIALECTE_V1 = "standard v1.0.2"
DIALECTE_V0 = "standard v0"
DIALECTE_MIXTE = "standard v1.0.2 avec des colonnes v0"
DIALECTE_FRANCE_SERVICES = "France Services"

OBLIGATOIRES_STANDARD = ["id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"]

# v0 column -> v1 column (the other v1 names did not change); ``conditions_access`` and
# ``public_accueillis`` are the misspellings of real files (national map 2022, mednum-cli)
COLONNES_V0 = {
    "courriel": "courriels",
    "publics_accueillis": "publics_specifiquement_adresses",
    "public_accueillis": "publics_specifiquement_adresses",
    "conditions_acces": "frais_a_charge",
    "conditions_access": "frais_a_charge",
    "frais": "frais_a_charge",
    "labels_nationaux": "dispositif_programmes_nationaux",
    "labels_autres": "autres_formations_labels",
    "accessibilite": "fiche_acces_libre",
}
# other names of a v1 column in real files (header compared as :func:`_cle_colonne`)
AUTRES_NOMS = {"siret": "pivot", "description": "presentation_detail"}
MARQUEURS_V0 = set(COLONNES_V0) | {"cle_ban"}
# columns only v1 has: with one of them, v0 columns are a mix, not a v0 file
MARQUEURS_V1 = {
    "courriels",
    "frais_a_charge",
    "publics_specifiquement_adresses",
    "dispositif_programmes_nationaux",
    "modalites_acces",
    "prise_en_charge_specifique",
    "formations_labels",
    "fiche_acces_libre",
}
PIVOT_INCONNU = "00000000000000"

# France Services column (first found wins) -> v1 column
COLONNES_FRANCE_SERVICES = {
    "id": ["id_fs", "identifiant", "id", "matricule"],
    "pivot": ["siret", "pivot"],
    "nom": ["lib_fs", "nom", "nom_fs"],
    "adresse": ["adresse", "adresse_1"],
    "complement_adresse": ["complement_adresse", "adresse_complement", "adresse_2"],
    "code_postal": ["code_postal", "cp"],
    "commune": ["commune", "lib_com", "nom_commune"],
    "code_insee": ["code_insee", "insee_com", "code_commune", "com_insee"],
    "latitude": ["latitude", "lat"],
    "longitude": ["longitude", "lon", "long"],
    "telephone": ["telephone", "tel", "téléphone"],
    "courriels": ["mail", "courriel", "email", "adresse_mail"],
    "site_web": ["site_internet", "site_web", "url"],
    "horaires": ["horaires", "horaires_osm"],
    "itinerance": ["itinerance"],
    "format_fs": ["format_fs"],
    "structure_parente": ["structure_porteuse", "structure_parente"],
    "date_maj": ["date_maj", "date_mise_a_jour"],
    "labellisation": ["labellisation", "date_labellisation"],
    "source": ["source"],
    **{f"h_{jour}": [f"h_{jour}"] for jour in JOURS[:6]},
}
MARQUEURS_FRANCE_SERVICES = {"lib_fs", "format_fs", "id_fs"}
OBLIGATOIRES_FRANCE_SERVICES = ["nom", "adresse", "code_postal", "commune"]

# v0 labels -> [(v1 column, v1 code)] (v0 vocabularies were replaced in v1)
ALIAS_V0: dict[str, dict[str, list[tuple[str, str]]]] = {
    "services": {
        "Devenir autonome dans les démarches administratives": [("services", "demarches")],
        "Réaliser des démarches administratives avec un accompagnement": [
            ("services", "demarches")
        ],
        "Prendre en main un smartphone ou une tablette": [("services", "outils_quotidien")],
        "Prendre en main un ordinateur": [("services", "outils_quotidien")],
        "Utiliser le numérique au quotidien": [("services", "outils_quotidien")],
        "Approfondir ma culture numérique": [("services", "comprehension")],
        "Favoriser mon insertion professionnelle": [("services", "insertion_pro")],
        "Accéder à une connexion internet": [("services", "acces_materiel")],
        "Accéder à du matériel": [("services", "acces_materiel")],
        "S’équiper en matériel informatique": [("services", "materiel_solidaire")],
        "Créer et développer mon entreprise": [("services", "insertion_pro")],
        "Créer avec le numérique": [("services", "loisirs")],
        "Accompagner les démarches de santé": [("services", "demarches")],
        "Promouvoir la citoyenneté numérique": [("services", "comprehension")],
        "Soutenir la parentalité et l'éducation avec le numérique": [("services", "parentalite")],
    },
    "publics_specifiquement_adresses": {
        "Seniors (+ 65 ans)": [("publics", "seniors")],
        "Familles/enfants": [("publics", "familles")],
        "Adultes": [],
        "Jeunes (16-26 ans)": [("publics", "jeunes")],
        "Public langues étrangères": [("prise_en_charge", "autres_langues")],
        "Déficience visuelle": [("prise_en_charge", "deficience_visuelle")],
        "Surdité": [("prise_en_charge", "surdite")],
        "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes "
        "comportementales": [("prise_en_charge", "handicap_mental")],
        "Handicaps mentaux : déficiences limitant les activités d'une personne": [
            ("prise_en_charge", "handicap_mental")
        ],
        "Uniquement femmes": [("publics", "femmes")],
        "Personnes en situation d'illettrisme": [("prise_en_charge", "illettrisme")],
    },
    "frais_a_charge": {
        "Gratuit : Je peux accéder gratuitement au lieu et à ses services": [("frais", "gratuit")],
        "Gratuit sous condition : La gratuité est conditionnée à des critères (situation "
        "familiale, convention avec un organisme social...)": [("frais", "gratuit_sous_condition")],
        "Payant : L'accès au lieu et/ou à ses services est payant": [("frais", "payant")],
        "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": [
            ("frais", "payant")
        ],
        "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder "
        "au lieu": [],
    },
    "dispositif_programmes_nationaux": {
        "CNFS": [("programmes", "conseillers_numeriques")],
        "APTIC": [],
        "Fabriques de Territoire": [("formations_labels", "fabriques")],
        "Grandes écoles du numérique": [("programmes", "grande_ecole")],
        "Point relais CAF": [("programmes", "point_caf")],
        "Point numérique CAF": [("programmes", "point_caf")],
        "Relais pôle emploi": [],
        "French Tech": [],
        "Campus connecté": [],
    },
    "modalites_accompagnement": {
        "Seul : j'ai accès à du matériel et une connexion": [
            ("modalites_accompagnement", "autonomie")
        ],
        "Avec de l'aide : je suis accompagné seul dans l'usage du numérique": [
            ("modalites_accompagnement", "individuel")
        ],
        "Dans un atelier : j'apprends collectivement à utiliser le numérique": [
            ("modalites_accompagnement", "collectif")
        ],
        "A ma place : une personne habilitée fait les démarches à ma place": [
            ("modalites_accompagnement", "individuel")
        ],
    },
}

LONGUEURS = {
    "id": 150,
    "nom": 250,
    "adresse": 250,
    "complement_adresse": 250,
    "telephone": 100,
    "courriels": 500,
    "site_web": 1000,
    "horaires": 1000,
    "presentation_resume": 280,
    "source": 150,
    "structure_parente": 250,
    "autres_formations_labels": 500,
    "fiche_acces_libre": 500,
    "prise_rdv": 500,
}

RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RE_DATE_FR = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")
# France Services: « 09:00 - 12:00 / 13:30 - 17:00 », also « 08 :30 », « 12h00 »
RE_HEURE = re.compile(r"(\d{1,2})\s*[:h]\s*(\d{2})")
RE_FERME = re.compile(r"^\s*(-|ferm[ée]e?|/)?\s*$", re.IGNORECASE)
FORMAT_H = "attendu\u00a0: 09:00 - 12:00 / 13:30 - 17:00, ou « - » si fermé"
ITINERANCE_OUI = {"oui", "itinerant", "itinerante"}
FORMATS_ITINERANTS = ("itinerant", "bus", "mobile")
RE_SEPARATEURS = re.compile(r"[|;]")

# fields of Lieu the import writes (and compares with what is stored)
CHAMPS_IMPORTES = [
    "structure_id",
    "nom",
    "nom_recherche",
    "adresse",
    "complement_adresse",
    "code_postal",
    "commune_id",
    "zone_id",
    "latitude",
    "longitude",
    "typologies",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics",
    "prise_en_charge",
    "frais",
    "programmes",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]
LISTES = {champ for champ, _ in VOCABULAIRES.values()} | {"typologies"}
CHOIX_PAR_CHAMP = dict(VOCABULAIRES.values()) | {"typologies": Typologie}

LOT = 1000
PAS_DE_PROGRESSION = 1000  # rows checked between two calls of ``progression``
DISTANCE_DOUBLON = 50  # metres
CELLULE = 0.001  # degrees (~111 m of latitude): neighbours are within the 3 x 3 cells
SIMILARITE_DOUBLON = 0.8


@dataclass
class ErreurLigne:
    ligne: int
    colonne: str
    raison: str

    def __str__(self):
        return f"ligne {self.ligne}, colonne {self.colonne}\u00a0: {self.raison}"


class DonneesInvalides(Exception):
    def __init__(self, erreurs: list[ErreurLigne]):
        self.erreurs = erreurs
        super().__init__(f"{len(erreurs)} erreur(s) dans le fichier de lieux")


@dataclass
class RapportImport:
    dialecte: str = DIALECTE_V1
    total: int = 0
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    simulation: bool = False
    partiel: bool = False
    avertissements: list[str] = field(default_factory=list)
    # columns of the file nobody reads, and "v0 column → v1 column": values it supplied
    ignorees: list[str] = field(default_factory=list)
    reprises: dict[str, int] = field(default_factory=dict)
    entetes: list[str] = field(default_factory=list)
    refusees: list[LigneRefusee] = field(default_factory=list)

    def resume(self) -> str:
        texte = (
            f"{self.total} lieux\u00a0: {self.crees} créés, {self.modifies} modifiés, "
            f"{self.inchanges} inchangés"
        )
        if self.partiel:
            texte += f", {len(self.refusees)} ligne(s) refusée(s)"
        if self.simulation:
            texte += " (simulation, rien n'a été écrit)"
        return texte

    def details(self) -> list[str]:
        """The lines a summary prints before :meth:`resume`: what was read and how."""
        lignes = [f"Format reconnu\u00a0: {self.dialecte}."]
        if self.reprises:
            lignes.append(
                "Valeurs reprises des colonnes v0\u00a0: "
                + " ; ".join(f"{c}\u00a0: {n}" for c, n in self.reprises.items())
                + "."
            )
        if self.ignorees:
            lignes.append("Colonnes ignorées\u00a0: " + ", ".join(self.ignorees) + ".")
        return lignes


COLONNES_DES_REJETS = {COLONNE_MOTIFS}


def _cle(texte: str) -> str:
    """Tolerant key of a label: case, accents, punctuation and spaces ignored."""
    return normaliser(texte)


def _index_vocabulaire(colonne: str) -> dict[str, list[tuple[str, str]]]:
    """Key of a label -> its codes: the v1 labels, then the v0 ones (mixed files carry both)."""
    champ, vocabulaire = VOCABULAIRES[colonne]
    index = {_cle(str(etiquette)): [(champ, code)] for code, etiquette in vocabulaire.choices}
    for etiquette, cibles in ALIAS_V0.get(colonne, {}).items():
        index.setdefault(_cle(etiquette), cibles)
        index.setdefault(_cle(etiquette.split(" : ")[0]), cibles)
    return index


PROCHES = 3  # accepted values suggested for an unknown one


def _proches(valeur: str, acceptees: list[str]) -> str:
    """The end of a refusal: the accepted values closest to ``valeur``, not the whole list."""
    par_cle = {_cle(a): a for a in acceptees}
    cles = difflib.get_close_matches(_cle(valeur), list(par_cle), n=PROCHES, cutoff=0.6)
    if not cles:
        # a word in common is better than nothing (« CNFS » has no close spelling)
        mots = {mot for mot in _cle(valeur).split() if len(mot) > 3}
        cles = [c for c in par_cle if mots & set(c.split())][:PROCHES]
    if not cles:
        return f"aucune des {len(acceptees)} valeurs acceptées n'en est proche"
    return "valeurs acceptées les plus proches\u00a0: " + " ; ".join(
        f"« {par_cle[c]} »" for c in cles
    )


# -- reading the file -------------------------------------------------------------------


def _texte(chemin: Path | None, flux: TextIO | BinaryIO | None) -> str:
    brut = Path(chemin).read_bytes() if chemin is not None else flux.read()
    if isinstance(brut, bytes):
        brut = brut.decode("utf-8")
    return brut.removeprefix("\ufeff")


def _cellule(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, list):
        return SEPARATEUR.join(_cellule(v) for v in valeur if v not in (None, ""))
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, float):
        return decimal_simple(valeur)
    return str(valeur).strip()


def _lire_json(texte: str, erreurs: list[ErreurLigne]):
    try:
        donnees = json.loads(texte)
    except json.JSONDecodeError as exc:
        erreurs.append(ErreurLigne(exc.lineno, "-", f"JSON illisible\u00a0: {exc.msg}"))
        return [], []
    if isinstance(donnees, dict):
        donnees = donnees.get("lieux", donnees.get("data", []))
    if not isinstance(donnees, list) or not all(isinstance(o, dict) for o in donnees):
        erreurs.append(ErreurLigne(1, "-", "le JSON doit être un tableau d'objets"))
        return [], []
    entetes = list(dict.fromkeys(cle for objet in donnees for cle in objet))
    lignes = [
        (rang, {cle.strip(): _cellule(v) for cle, v in objet.items()})
        for rang, objet in enumerate(donnees, start=2)
    ]
    return entetes, lignes


def _lire_csv(texte: str, erreurs: list[ErreurLigne], illisibles: dict | None = None):
    premiere = texte.split("\n", 1)[0]
    delimiteur = ";" if premiere.count(";") > premiere.count(",") else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=delimiteur)
    try:
        entetes = [e.strip() for e in next(lecteur)]
    except StopIteration:
        erreurs.append(ErreurLigne(1, "-", "le fichier est vide"))
        return [], []
    lignes = []
    debut = lecteur.line_num + 1
    for valeurs in lecteur:
        if any(v.strip() for v in valeurs):
            if len(valeurs) != len(entetes):
                erreurs.append(
                    ErreurLigne(
                        debut,
                        "-",
                        f"{len(valeurs)} valeurs pour {len(entetes)} colonnes dans l'en-tête",
                    )
                )
                if illisibles is not None:
                    illisibles[debut] = dict(zip(entetes, valeurs, strict=False))
            else:
                lignes.append(
                    (debut, {e: v.strip() for e, v in zip(entetes, valeurs, strict=True)})
                )
        debut = lecteur.line_num + 1
    return entetes, lignes


def lire_fichier(texte: str, erreurs: list[ErreurLigne], illisibles: dict | None = None):
    """Header and ``(line number, row)`` pairs of a CSV or JSON text; ``illisibles``, when
    given, receives the CSV rows whose count of values is wrong (as far as they go)."""
    if texte.lstrip()[:1] in ("[", "{"):
        return _lire_json(texte, erreurs)
    return _lire_csv(texte, erreurs, illisibles)


def _cle_colonne(entete: str) -> str:
    """``Adresse``, ``téléphone``, ``code postal`` → ``adresse``, ``telephone``,
    ``code_postal``."""
    return normaliser(entete).replace(" ", "_")


def detecter_dialecte(entetes: Iterable[str]) -> str:
    cles = {_cle_colonne(e) for e in entetes}
    if cles & MARQUEURS_FRANCE_SERVICES:
        return DIALECTE_FRANCE_SERVICES
    if cles & MARQUEURS_V0:
        return DIALECTE_MIXTE if cles & MARQUEURS_V1 else DIALECTE_V0
    return DIALECTE_V1


@dataclass
class Correspondance:
    """Where each v1 column is read in a file: ``colonnes`` (v1 → column of the file),
    ``secours`` (v1 → v0 column read when the v1 cell is empty) and the ``ignorees``."""

    colonnes: dict[str, str]
    secours: dict[str, str]
    ignorees: list[str]


def _colonnes_source(entetes: list[str], dialecte: str) -> Correspondance:
    """v1 column -> column of the file, the v0 columns behind a v1 one, the columns left."""
    colonnes: dict[str, str] = {}
    secours: dict[str, str] = {}
    lues: set[str] = set()
    cles = {}
    for entete in entetes:
        cles.setdefault(_cle_colonne(entete), entete)
    if dialecte == DIALECTE_FRANCE_SERVICES:
        for colonne, candidats in COLONNES_FRANCE_SERVICES.items():
            for candidat in candidats:
                if candidat in cles:
                    colonnes[colonne] = cles[candidat]
                    lues.add(cles[candidat])
                    break
    else:
        # the exact v1 names first, then case or accent variants, then v0 names and others
        for cle, entete in cles.items():
            if cle in COLONNES and cle not in colonnes:
                colonnes[cle] = entete
                lues.add(entete)
        for cle, entete in cles.items():
            cible = COLONNES_V0.get(cle) or AUTRES_NOMS.get(cle)
            if cible is None or entete in lues:
                continue
            if cible not in colonnes:
                colonnes[cible] = entete
            elif cible not in secours:
                secours[cible] = entete
            else:
                continue
            lues.add(entete)
    ignorees = [e for e in entetes if e not in lues]
    return Correspondance(colonnes, secours, ignorees)


# -- checking the rows ------------------------------------------------------------------


class _Communes:
    """Every commune in memory, resolved by ``territoires.resolution`` (current, former and
    delegated codes, arrondissements, postal localities), then cross-checked: a point far
    from its commune refuses the row, a postal code the commune does not have is a
    warning."""

    def __init__(self):
        self.referentiel = Referentiel.complet()

    def trouver(self, n, code_insee, code_postal, nom, latitude, longitude, verificateur):
        """(code INSEE, zone id) of today's commune, or (None, None) with an error."""
        resolution = self.referentiel.resoudre(code_insee, code_postal, nom, latitude, longitude)
        commune = resolution.commune
        if commune is None:
            return None, None
        for avertissement in resolution.avertissements:
            verificateur.avertissements.append(f"Ligne {n}\u00a0: {avertissement}.")
        ecart = self.referentiel.controler_point(commune, latitude, longitude)
        if ecart is not None:
            verificateur.erreur(
                n, "latitude", self.referentiel.message_point_eloigne(commune, *ecart)
            )
        probleme = self.referentiel.controler_code_postal(commune, code_postal)
        if probleme:
            verificateur.avertissements.append(f"Ligne {n}\u00a0: {probleme}.")
        return commune.code, resolution.zone_id


class _Verificateur:
    def __init__(self, dialecte: str, source_par_defaut: str, communes: _Communes):
        self.dialecte = dialecte
        self.source_par_defaut = source_par_defaut
        self.communes = communes
        self.erreurs: list[ErreurLigne] = []
        self.avertissements: list[str] = []
        self.index = {col: _index_vocabulaire(col) for col in VOCABULAIRES}
        # the labels a refusal suggests: the file's own version of the standard
        self.acceptees = {
            col: list(ALIAS_V0.get(col, {})) or list(VOCABULAIRES[col][1].labels)
            if dialecte == DIALECTE_V0
            else [str(e) for e in VOCABULAIRES[col][1].labels]
            for col in VOCABULAIRES
        }
        self.typologies = {code.upper(): code for code in Typologie.values}
        self.identifiants: dict[tuple[str, str], int] = {}
        self.url = URLValidator(schemes=["http", "https"])

    def erreur(self, ligne: int, colonne: str, raison: str) -> None:
        self.erreurs.append(ErreurLigne(ligne, colonne, raison))

    def verifier(self, n: int, c: dict[str, str]) -> dict | None:
        """The values of a Lieu from the v1 cells ``c`` of line ``n``; ``None`` if invalid."""
        avant = len(self.erreurs)
        fs = self.dialecte == DIALECTE_FRANCE_SERVICES
        if fs:
            self._completer_france_services(c)
        obligatoires = OBLIGATOIRES_FRANCE_SERVICES if fs else OBLIGATOIRES_STANDARD
        for colonne in obligatoires:
            if not c.get(colonne):
                self.erreur(n, colonne, "valeur obligatoire manquante")
        for colonne, maximum in LONGUEURS.items():
            if len(c.get(colonne, "")) > maximum:
                self.erreur(
                    n,
                    colonne,
                    f"{len(c[colonne])} caractères, pour {maximum} au maximum",
                )
        v: dict = {}
        source = c.get("source") or self.source_par_defaut
        v["source"] = source
        v["identifiant"] = c.get("id", "").removeprefix(f"{source}{PREFIXE_SOURCE}")
        if v["identifiant"]:
            cle = (source, v["identifiant"])
            if cle in self.identifiants:
                self.erreur(
                    n,
                    "id",
                    f"identifiant « {v['identifiant']} » déjà utilisé ligne "
                    f"{self.identifiants[cle]}",
                )
            else:
                self.identifiants[cle] = n
        v["pivot"] = c.get("pivot", "").replace(" ", "")
        if v["pivot"] == PIVOT_INCONNU:
            v["pivot"] = ""
        elif v["pivot"]:
            self._valider(n, "pivot", valider_pivot, v["pivot"])
        for colonne in ("nom", "adresse", "complement_adresse", "presentation_resume"):
            v[colonne] = c.get(colonne, "")
        for colonne in ("presentation_detail", "structure_parente", "autres_formations_labels"):
            v[colonne] = c.get(colonne, "")
        v["nom_recherche"] = normaliser(v["nom"])[:250]
        v["code_postal"] = c.get("code_postal", "")
        if v["code_postal"]:
            self._valider(n, "code_postal", valider_code_postal, v["code_postal"])
        code_insee = c.get("code_insee", "")
        if code_insee and not RE_CODE_INSEE.match(code_insee):
            self.erreur(n, "code_insee", f"code INSEE « {code_insee} » invalide (5 caractères)")
        v["commune_id"] = v["zone_id"] = None
        self._coordonnees(n, c, v)
        if c.get("commune") or code_insee:
            v["commune_id"], v["zone_id"] = self.communes.trouver(
                n,
                code_insee,
                v["code_postal"],
                c.get("commune", ""),
                v["latitude"],
                v["longitude"],
                self,
            )
            if v["commune_id"] is None:
                self.erreur(
                    n,
                    "code_insee" if code_insee else "commune",
                    f"commune introuvable\u00a0: ni le code INSEE « {code_insee} » ni la commune "
                    f"« {c['commune']} » de code postal « {v['code_postal']} » ne sont connus",
                )
        self._contacts(n, c, v)
        v["horaires"] = c.get("horaires", "")
        if fs and not v["horaires"]:
            v["horaires"] = self._horaires_par_jour(n, c)
        elif v["horaires"]:
            self._valider(n, "horaires", valider_horaires, v["horaires"])
        v["date_maj"] = self._date(n, c.get("date_maj", ""))
        v["typologies"] = self._typologies(n, c.get("typologie", ""))
        for champ in LISTES - {"typologies"}:
            v.setdefault(champ, [])
        for colonne in VOCABULAIRES:
            for champ, code in self._vocabulaire(n, colonne, c.get(colonne, "")):
                v[champ].append(code)
        if fs:
            v["programmes"].append(Programme.FRANCE_SERVICES)
            v["typologies"].append(Typologie.RFS)
            v["services"].append(Service.DEMARCHES)
        if not v["services"] and not any(e.colonne == "services" for e in self.erreurs[avant:]):
            self.erreur(
                n,
                "services",
                "au moins un service est obligatoire ; valeurs acceptées\u00a0: "
                + " ; ".join(f"« {e} »" for e in self.acceptees["services"]),
            )
        for champ in LISTES:
            ordre = ordre_du_vocabulaire(CHOIX_PAR_CHAMP[champ])
            v[champ] = sorted(dict.fromkeys(v[champ]), key=ordre.__getitem__)
        for colonne in ("fiche_acces_libre", "prise_rdv"):
            v[colonne] = c.get(colonne, "")
            if v[colonne]:
                self._valider(n, colonne, self.url, v[colonne], "adresse web invalide")
        return v if len(self.erreurs) == avant else None

    def _completer_france_services(self, c: dict[str, str]) -> None:
        c.setdefault("source", "")
        c["source"] = c["source"] or self.source_par_defaut or "France Services"
        if not c.get("id"):
            c["id"] = "fs-" + "-".join(
                normaliser(
                    f"{c.get('code_insee') or c.get('code_postal', '')} {c.get('nom', '')}"
                ).split()
            )
        itinerance = normaliser(c.get("itinerance", ""))
        format_fs = normaliser(c.get("format_fs", ""))
        itinerant = itinerance in ITINERANCE_OUI or format_fs.startswith(FORMATS_ITINERANTS)
        c["itinerance"] = "Itinérant" if itinerant else "Fixe" if itinerance or format_fs else ""
        if not c.get("date_maj"):
            # « Espace labellisé 01/01/2020 »: the date of the France Services label
            trouvee = RE_DATE_FR.search(c.get("labellisation", ""))
            if trouvee:
                jour, mois, annee = trouvee.groups()
                c["date_maj"] = f"{annee}-{mois}-{jour}"

    def _horaires_par_jour(self, n: int, c: dict[str, str]) -> str:
        """``h_lundi``…``h_samedi`` (« 09:00 - 12:00 / 13:30 - 17:00 », « - » when closed)
        as an OSM ``opening_hours``; ``""`` when a day cannot be read (with its error).

        As the list writes them: « 00:00 - 00:00 » is no slot, a slot repeated or overlapping
        the previous one is merged with it (« 09:00 - 16:00 / 13:00 - 16:00 »); a slot that
        ends before it starts, or starts before the previous one, cannot be read."""
        plages = []
        for jour, nom in enumerate(JOURS[:6]):
            colonne = f"h_{nom}"
            texte = c.get(colonne, "").strip()
            heures = [int(h) * 60 + int(m) for h, m in RE_HEURE.findall(texte)]
            if not heures:
                if texte.strip("- ") and not RE_FERME.match(texte):
                    self.erreur(n, colonne, f"horaires « {texte} » illisibles ({FORMAT_H})")
                    return ""
                continue
            paires = [p for p in zip(heures[::2], heures[1::2], strict=False) if p != (0, 0)]
            fusionnees: list[list[int]] = []
            for debut, fin in paires:
                if len(heures) % 2 or fin <= debut or (fusionnees and debut < fusionnees[-1][0]):
                    self.erreur(n, colonne, f"horaires « {texte} » illisibles ({FORMAT_H})")
                    return ""
                if fusionnees and debut <= fusionnees[-1][1]:
                    fusionnees[-1][1] = max(fin, fusionnees[-1][1])
                else:
                    fusionnees.append([debut, fin])
            plages.extend(Plage(jour, debut, fin) for debut, fin in fusionnees)
        return depuis_plages(plages)

    def _valider(self, n, colonne, validateur, valeur, message=None) -> bool:
        try:
            validateur(valeur)
        except ValidationError as exc:
            self.erreur(
                n, colonne, (message and f"{message}\u00a0: « {valeur} »") or exc.messages[0]
            )
            return False
        return True

    def _coordonnees(self, n, c, v) -> None:
        v["latitude"] = v["longitude"] = None
        lus = {}
        for colonne, limite in (("latitude", 90), ("longitude", 180)):
            texte = c.get(colonne, "").replace(",", ".")
            if not texte:
                continue
            try:
                nombre = float(texte)
            except ValueError:
                self.erreur(n, colonne, f"« {c[colonne]} » n'est pas un nombre décimal")
                continue
            if not math.isfinite(nombre) or not -limite <= nombre <= limite:
                self.erreur(n, colonne, f"{texte} hors de l'intervalle [-{limite}, {limite}]")
                continue
            lus[colonne] = nombre
        if len(lus) == 2:
            v["latitude"], v["longitude"] = lus["latitude"], lus["longitude"]
        elif bool(c.get("latitude")) != bool(c.get("longitude")):
            self.erreur(n, "latitude", "la latitude et la longitude vont ensemble")

    def _contacts(self, n, c, v) -> None:
        telephones = []
        for brut in RE_SEPARATEURS.split(c.get("telephone", "")):
            if brut.strip():
                numero = normaliser_telephone(brut)
                if self._valider(n, "telephone", valider_telephone, numero):
                    telephones.append(numero)
        v["telephone"] = SEPARATEUR.join(telephones)
        courriels = [x.strip() for x in RE_SEPARATEURS.split(c.get("courriels", "")) if x.strip()]
        for courriel in courriels:
            self._valider(n, "courriels", validate_email, courriel, "adresse électronique invalide")
        v["courriels"] = SEPARATEUR.join(courriels)
        separateurs = r"[|;,]" if self.dialecte in (DIALECTE_V0, DIALECTE_MIXTE) else r"[|;]"
        sites = [x.strip() for x in re.split(separateurs, c.get("site_web", "")) if x.strip()]
        for site in sites:
            self._valider(n, "site_web", self.url, site, "adresse web invalide")
        v["site_web"] = SEPARATEUR.join(sites)

    def _date(self, n, texte: str) -> dt.date | None:
        if not texte:
            return None
        try:
            if not RE_DATE.match(texte):
                raise ValueError
            return dt.date.fromisoformat(texte)
        except ValueError:
            self.erreur(n, "date_maj", f"« {texte} » n'est pas une date AAAA-MM-JJ valide")
            return None

    def _typologies(self, n, texte: str) -> list[str]:
        codes = []
        for brut in RE_SEPARATEURS.split(texte):
            brut = brut.strip()
            if not brut:
                continue
            code = self.typologies.get(brut.upper().replace(" ", "_").replace("-", "_"))
            if code is None:
                self.erreur(
                    n,
                    "typologie",
                    f"typologie « {brut} » inconnue ; "
                    + _proches(brut, [*Typologie.values, *Typologie.labels]),
                )
            else:
                codes.append(code)
        return codes

    def _vocabulaire(self, n, colonne: str, texte: str) -> list[tuple[str, str]]:
        resultat = []
        index = self.index[colonne]
        for brut in RE_SEPARATEURS.split(texte):
            brut = brut.strip()
            if not brut:
                continue
            cibles = index.get(_cle(brut))
            if cibles is not None:
                resultat.extend(cibles)
                continue
            # the national map's 2022 files join values with ", " (some labels hold a comma)
            morceaux, inconnus, i = brut.split(","), [], 0
            while i < len(morceaux):
                for j in range(i + 1, len(morceaux) + 1):
                    cibles = index.get(_cle(",".join(morceaux[i:j])))
                    if cibles is not None:
                        resultat.extend(cibles)
                        i = j
                        break
                else:
                    if morceaux[i].strip():
                        inconnus.append(morceaux[i].strip())
                    i += 1
            for inconnu in inconnus if len(morceaux) > 1 else [brut]:
                self.erreur(
                    n,
                    colonne,
                    f"valeur « {inconnu} » inconnue ; "
                    + _proches(inconnu, self.acceptees[colonne]),
                )
        return resultat


# -- probable duplicates ----------------------------------------------------------------


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    facteur = math.cos(math.radians((a[0] + b[0]) / 2))
    return 111_195 * math.hypot(a[0] - b[0], (a[1] - b[1]) * facteur)


def _noms_proches(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILARITE_DOUBLON


def doublons_probables(lignes: list[tuple[int, dict]]) -> list[str]:
    """Warnings on sites less than ~50 m apart with similar names, in the file and in base.

    Points are bucketed on a grid of :data:`CELLULE` degrees; each site is only compared
    with the sites of its own and its eight neighbouring cells.
    """
    grille: dict[tuple[int, int], list[tuple[str, str, tuple[float, float]]]] = defaultdict(list)

    def case(point):
        return (math.floor(point[0] / CELLULE), math.floor(point[1] / CELLULE))

    dans_le_fichier = {(v["source"], v["identifiant"]) for _, v in lignes}
    existants = (
        Lieu.objects.tous()
        .filter(latitude__isnull=False)
        .values_list("source", "identifiant", "nom", "nom_recherche", "latitude", "longitude")
    )
    for source, identifiant, nom, recherche, latitude, longitude in existants.iterator(
        chunk_size=5000
    ):
        if (source, identifiant) not in dans_le_fichier:
            point = (latitude, longitude)
            grille[case(point)].append(
                (f"lieu existant « {nom} » ({source} {identifiant})", recherche, point)
            )
    avertissements = []
    for n, v in lignes:
        if v["latitude"] is None:
            continue
        point = (v["latitude"], v["longitude"])
        i, j = case(point)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for libelle, recherche, autre in grille.get((i + di, j + dj), ()):
                    distance = _metres(point, autre)
                    if distance < DISTANCE_DOUBLON and _noms_proches(v["nom_recherche"], recherche):
                        avertissements.append(
                            f"Doublon probable ligne {n}\u00a0: « {v['nom']} » est à "
                            f"{distance:.0f} m "
                            f"de {libelle}."
                        )
        grille[(i, j)].append((f"« {v['nom']} » (ligne {n})", v["nom_recherche"], point))
    return avertissements


# -- import -----------------------------------------------------------------------------


def importer_lieux(
    *,
    chemin: Path | str | None = None,
    flux: TextIO | BinaryIO | None = None,
    dry_run: bool = False,
    source_par_defaut: str = "",
    partiel: bool = False,
    communes_autorisees: set[str] | None = None,
    progression: Callable[[int, int | None], None] | None = None,
) -> RapportImport:
    """Validate a whole file of sites, then create or update them; all or nothing.

    ``communes_autorisees``: when given (an import from the back office), a site in another
    commune is refused like an invalid row. ``progression(lignes_verifiees, total)`` is
    called every :data:`PAS_DE_PROGRESSION` rows while the file is checked.

    Raises :class:`DonneesInvalides` with every error when a row is invalid. With
    ``partiel``, only when the file itself cannot be read or no row is valid: the valid
    rows are written, the others are in :attr:`RapportImport.refusees`.
    """
    erreurs: list[ErreurLigne] = []
    try:
        texte = _texte(Path(chemin) if chemin is not None else None, flux)
    except UnicodeDecodeError:
        raise DonneesInvalides(
            [ErreurLigne(1, "-", "le fichier n'est pas encodé en UTF-8")]
        ) from None
    illisibles: dict[int, dict[str, str]] = {}
    entetes, brutes = lire_fichier(texte, erreurs, illisibles=illisibles)
    if erreurs and not brutes:
        raise DonneesInvalides(erreurs)
    dialecte = detecter_dialecte(entetes)
    correspondance = _colonnes_source(entetes, dialecte)
    rapport = RapportImport(
        dialecte=dialecte,
        simulation=dry_run,
        partiel=partiel,
        ignorees=[e for e in correspondance.ignorees if e not in COLONNES_DES_REJETS],
        entetes=[e for e in entetes if e not in COLONNES_DES_REJETS],
    )
    fs = dialecte == DIALECTE_FRANCE_SERVICES
    manquantes = [
        c
        for c in (OBLIGATOIRES_FRANCE_SERVICES if fs else [*OBLIGATOIRES_STANDARD, "services"])
        if c not in correspondance.colonnes
    ]
    if manquantes:
        raise DonneesInvalides(
            [ErreurLigne(1, c, "colonne obligatoire absente de l'en-tête") for c in manquantes]
        )

    verificateur = _Verificateur(dialecte, source_par_defaut, _Communes())
    verificateur.erreurs = erreurs
    lignes = []
    # the values a v0 column gives its v1 counterpart, counted as "v0 → v1" in the summary
    primaires = {
        v1: colonne
        for v1, colonne in correspondance.colonnes.items()
        if _cle_colonne(colonne) in COLONNES_V0 and not fs
    }
    reprises: dict[str, int] = defaultdict(int)
    for rang, (n, brute) in enumerate(brutes):
        if progression is not None and rang % PAS_DE_PROGRESSION == 0:
            progression(rang, len(brutes))
        cellules = {
            v1: _sans_neutralisation(brute.get(col, ""))
            for v1, col in correspondance.colonnes.items()
        }
        for v1, colonne in primaires.items():
            if cellules[v1]:
                reprises[f"{colonne} → {v1}"] += 1
        for v1, colonne in correspondance.secours.items():
            if not cellules.get(v1) and brute.get(colonne):
                cellules[v1] = brute[colonne]
                reprises[f"{colonne} → {v1}"] += 1
        valeurs = verificateur.verifier(n, cellules)
        if valeurs is not None and not _dans_le_perimetre(n, valeurs, communes_autorisees, erreurs):
            valeurs = None
        if valeurs is not None:
            lignes.append((n, valeurs))
    if progression is not None:  # every row checked: the writing comes next
        progression(len(brutes), len(brutes))
    rapport.reprises = dict(sorted(reprises.items()))
    if erreurs:
        erreurs.sort(key=lambda e: e.ligne)
        if not partiel or not lignes:
            raise DonneesInvalides(erreurs)
        par_ligne: dict[int, list[ErreurLigne]] = defaultdict(list)
        for erreur in erreurs:
            par_ligne[erreur.ligne].append(erreur)
        brutes_par_ligne = dict(brutes) | illisibles
        rapport.refusees = [
            LigneRefusee(n, brutes_par_ligne.get(n, {}), liste) for n, liste in par_ligne.items()
        ]

    rapport.total = len(lignes)
    rapport.avertissements = [*verificateur.avertissements, *doublons_probables(lignes)]
    with transaction.atomic():
        _ecrire(lignes, rapport, dry_run)
    return rapport


def _dans_le_perimetre(n: int, v: dict, autorisees: set[str] | None, erreurs: list) -> bool:
    if autorisees is None or v["commune_id"] in autorisees:
        return True
    erreurs.append(
        ErreurLigne(
            n,
            "code_insee",
            f"la commune {v['commune_id']} est hors de votre territoire : retirez cette ligne "
            "ou demandez son import à sa coordination",
        )
    )
    return False


def _sans_neutralisation(valeur: str) -> str:
    """``'@telier`` → ``@telier``: the apostrophe our exports put before a text that a
    spreadsheet would read as a formula is not part of the value (the export puts it back)."""
    if valeur[:1] == "'" and valeur[1:2] and valeur[1] in DEBUTS_DE_FORMULE:
        return valeur[1:]
    return valeur


def _ecrire(lignes: list[tuple[int, dict]], rapport: RapportImport, dry_run: bool) -> None:
    # one Structure per pivot: the existing one, or one made from its first site
    pivots = {v["pivot"] for _, v in lignes if v["pivot"]}
    structures: dict[str, int] = {}
    # an active structure before an archived one (a merged duplicate keeps its pivot)
    for pk, pivot in (
        Structure.objects.tous()
        .filter(pivot__in=pivots)
        .order_by(models.F("archivee_le").asc(nulls_first=True), "pk")
        .values_list("pk", "pivot")
    ):
        structures.setdefault(pivot, pk)
    # sites without a pivot (France Services) hang on a structure found by name
    sans_pivot = {v["structure_parente"] or v["nom"] for _, v in lignes if not v["pivot"]}
    par_nom: dict[str, int] = {}
    if sans_pivot:
        for pk, nom in (
            Structure.objects.tous()
            .filter(pivot="", nom__in=sans_pivot)
            .order_by(models.F("archivee_le").asc(nulls_first=True), "pk")
            .values_list("pk", "nom")
        ):
            par_nom.setdefault(nom, pk)

    def cle_structure(v):
        return v["pivot"] or f"nom:{v['structure_parente'] or v['nom']}"

    nouvelles: dict[str, Structure] = {}
    for _, v in lignes:
        cle = cle_structure(v)
        connue = structures.get(v["pivot"]) if v["pivot"] else par_nom.get(cle[4:])
        if connue is None and cle not in nouvelles:
            nom = (v["structure_parente"] or v["nom"])[:250]
            nouvelles[cle] = Structure(
                pivot=v["pivot"],
                nom=nom,
                nom_recherche=normaliser(nom)[:250],
                typologies=v["typologies"],
                commune_id=v["commune_id"],
                programmes=v["programmes"],
                labels=v["formations_labels"],
            )
    if not dry_run and nouvelles:
        Structure.objects.bulk_create(nouvelles.values(), batch_size=LOT)

    def structure_id(v):
        if v["pivot"] and v["pivot"] in structures:
            return structures[v["pivot"]]
        if not v["pivot"] and cle_structure(v)[4:] in par_nom:
            return par_nom[cle_structure(v)[4:]]
        return nouvelles[cle_structure(v)].pk

    sources = {v["source"] for _, v in lignes}
    existants = {
        (ligne["source"], ligne["identifiant"]): ligne
        for ligne in Lieu.objects.tous()
        .filter(source__in=sources)
        .values("pk", "source", "identifiant", *CHAMPS_IMPORTES)
        .iterator(chunk_size=5000)
    }
    a_creer, a_modifier = [], []
    maintenant = timezone.now()
    for _, v in lignes:
        v["structure_id"] = structure_id(v) if not dry_run else None
        stocke = existants.get((v["source"], v["identifiant"]))
        if stocke is None:
            rapport.crees += 1
            a_creer.append(v)
            continue
        if dry_run and v["structure_id"] is None:
            v["structure_id"] = structures.get(v["pivot"], stocke["structure_id"])
        if v["date_maj"] is None:
            v["date_maj"] = stocke["date_maj"]
        if v["zone_id"] is None:  # an arrondissement found, or the district chosen here
            v["zone_id"] = stocke["zone_id"]
        if any(stocke[champ] != v[champ] for champ in CHAMPS_IMPORTES):
            rapport.modifies += 1
            a_modifier.append(Lieu(pk=stocke["pk"], modifie_le=maintenant, **_champs(v)))
        else:
            rapport.inchanges += 1
    if dry_run:
        return
    crees = Lieu.objects.bulk_create(
        [
            Lieu(
                source=v["source"],
                identifiant=v["identifiant"],
                **_champs(v, date_par_defaut=timezone.localdate()),
            )
            for v in a_creer
        ],
        batch_size=LOT,
    )
    Lieu.objects.tous().bulk_update(
        a_modifier, [*CHAMPS_IMPORTES, "modifie_le"], batch_size=LOT // 2
    )
    # the audit trail: one version per created or changed site, marked as an import
    ids = [lieu.pk for lieu in a_modifier]
    modifies = [
        lieu
        for debut in range(0, len(ids), LOT)
        for lieu in Lieu.objects.tous().filter(pk__in=ids[debut : debut + LOT])
    ]
    Lieu.history.bulk_history_create(crees, batch_size=LOT, default_change_reason="import")
    Lieu.history.bulk_history_create(
        modifies, batch_size=LOT, update=True, default_change_reason="import"
    )
    recalculer_creneaux(lieux=[*crees, *a_modifier])


def _champs(v: dict, date_par_defaut: dt.date | None = None) -> dict:
    champs = {champ: v[champ] for champ in CHAMPS_IMPORTES}
    if champs["date_maj"] is None:
        champs["date_maj"] = date_par_defaut
    return champs
