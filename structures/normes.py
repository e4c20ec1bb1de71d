"""The national standard *lieux de médiation numérique* v1.0.2: export and import of sites.

Export: :func:`exporter_csv` writes the standard's 32 columns in the schema's order, one site
a line, multi-valued cells joined by ``|``, labels as the standard writes them.
:func:`exporter_json` writes a JSON array of objects with the same keys; in JSON the
multi-valued columns (:data:`COLONNES_MULTIPLES`) are lists of strings, ``latitude`` and
``longitude`` numbers (or ``null``), every other value the CSV cell's string.

Import: see :func:`importer_lieux`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from django.db import models

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
from .models import Lieu

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


def lieu_vers_ligne(lieu: Lieu) -> dict[str, str]:
    """One site as a row of the standard: every column a string, ``""`` when empty."""
    ligne = dict.fromkeys(COLONNES, "")
    ligne["id"] = lieu.identifiant
    ligne["source"] = lieu.source
    ligne["pivot"] = lieu.structure.pivot
    ligne["commune"] = lieu.commune.nom
    ligne["code_insee"] = lieu.commune_id
    for colonne, champ in TEXTES.items():
        ligne[colonne] = getattr(lieu, champ) or ""
    ligne["latitude"] = decimal_simple(lieu.latitude)
    ligne["longitude"] = decimal_simple(lieu.longitude)
    ligne["typologie"] = SEPARATEUR.join(lieu.typologies)
    ligne["date_maj"] = lieu.date_maj.isoformat() if lieu.date_maj else ""
    for colonne, (champ, _) in VOCABULAIRES.items():
        etiquettes = _ETIQUETTES[colonne]
        ligne[colonne] = SEPARATEUR.join(etiquettes.get(c, c) for c in getattr(lieu, champ))
    return ligne


def _parcourir(lieux: Iterable[Lieu]) -> Iterable[Lieu]:
    if isinstance(lieux, models.QuerySet):
        return lieux.select_related("commune", "structure").iterator(chunk_size=2000)
    return lieux


def exporter_csv(lieux: Iterable[Lieu], flux: TextIO) -> int:
    """Write ``lieux`` as the standard's CSV to the text stream ``flux``; returns the count."""
    ecrivain = csv.DictWriter(flux, fieldnames=COLONNES, lineterminator="\n")
    ecrivain.writeheader()
    total = 0
    for lieu in _parcourir(lieux):
        ecrivain.writerow(lieu_vers_ligne(lieu))
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
    for lieu in _parcourir(lieux):
        flux.write(",\n" if total else "\n")
        json.dump(ligne_vers_objet_json(lieu_vers_ligne(lieu)), flux, ensure_ascii=False)
        total += 1
    flux.write("\n]\n" if total else "]\n")
    return total
