"""The refused rows of a partial import (``--partiel``) and their file (``--rejets``).

An import in partial mode writes its valid rows and keeps each refused row as it was read,
with its errors (objects with ``colonne`` and ``raison``, such as ``ErreurLigne``). The
refused rows are written to a CSV for spreadsheets (``;``, UTF-8 with BOM): the line number
first, the file's own columns, then the reasons; once fixed, the file imports again (the
importers ignore the two added columns).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

COLONNE_LIGNE = "ligne"
COLONNE_RAISONS = "raisons du refus"


@dataclass
class LigneRefusee:
    numero: int
    valeurs: dict[str, str]
    erreurs: list = field(default_factory=list)

    @property
    def raison(self) -> str:
        return " ; ".join(f"colonne {e.colonne} : {e.raison}" for e in self.erreurs)


def ecrire_lignes_refusees(
    chemin: Path | str, entete: list[str], refusees: list[LigneRefusee]
) -> int:
    """Write the refused rows with their reasons; returns how many."""
    with Path(chemin).open("w", encoding="utf-8-sig", newline="") as fichier:
        ecrivain = csv.writer(fichier, delimiter=";")
        ecrivain.writerow([COLONNE_LIGNE, *entete, COLONNE_RAISONS])
        for refusee in refusees:
            ecrivain.writerow(
                [refusee.numero, *(refusee.valeurs.get(c, "") for c in entete), refusee.raison]
            )
    return len(refusees)
