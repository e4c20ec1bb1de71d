"""The refused rows of a partial import (``--partiel``) and their file (``--rejets``).

An import in partial mode writes its valid rows and keeps each refused row as it was read,
with its errors (objects with ``ligne``, ``colonne`` and ``raison``, such as
``ErreurLigne``). The refused rows are written as ``import_lieux`` writes its own: the
file's columns, then ``motifs_du_refus`` (``ligne N, colonne X\u00a0: raison ; …``); here for
spreadsheets (``;``, UTF-8 with BOM), every text cell neutralised against formulas. Once
fixed, the file imports again: the importers ignore the column of reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .exports import EcrivainCSVDict

# the same column as import_lieux's (structures.normes.COLONNE_MOTIFS)
COLONNE_MOTIFS = "motifs_du_refus"


@dataclass
class LigneRefusee:
    numero: int
    valeurs: dict[str, str]
    erreurs: list = field(default_factory=list)

    @property
    def motifs(self) -> str:
        return " ; ".join(str(e) for e in self.erreurs)


def ecrire_lignes_refusees(
    chemin: Path | str, entete: list[str], refusees: list[LigneRefusee]
) -> int:
    """Write the refused rows with their reasons; returns how many."""
    colonnes = [c for c in entete if c != COLONNE_MOTIFS] + [COLONNE_MOTIFS]
    with Path(chemin).open("w", encoding="utf-8-sig", newline="") as fichier:
        ecrivain = EcrivainCSVDict(fichier, colonnes, delimiter=";", lineterminator="\n")
        ecrivain.writeheader()
        for refusee in refusees:
            ligne = {c: refusee.valeurs.get(c, "") for c in colonnes}
            ligne[COLONNE_MOTIFS] = refusee.motifs
            ecrivain.writerow(ligne)
    return len(refusees)
