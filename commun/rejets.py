"""The refused rows of a partial import (``--partiel``) and their file (``--rejets``), and
what every import command does with them (one way for ``import_lieux``,
``import_activites``, ``import_indice_publie`` and ``import_indicateurs``).

An import in partial mode writes its valid rows and keeps each refused row as it was read,
with its errors (objects with ``ligne``, ``colonne`` and ``raison``, such as
``ErreurLigne``). The refused rows are written as ``import_lieux`` writes its own: the
file's columns, then ``motifs_du_refus`` (``ligne N, colonne X\u00a0: raison ; …``); here for
spreadsheets (``;``, UTF-8 with BOM), every text cell neutralised against formulas. Once
fixed, the file imports again: the importers ignore the column of reasons.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError

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


def csv_des_lignes_refusees(entete: list[str], refusees: list[LigneRefusee]) -> bytes:
    """The refused rows as read, then their reasons: ``;``, UTF-8 with BOM, neutralised."""
    colonnes = [c for c in entete if c != COLONNE_MOTIFS] + [COLONNE_MOTIFS]
    flux = io.StringIO(newline="")
    ecrivain = EcrivainCSVDict(flux, colonnes, delimiter=";", lineterminator="\n")
    ecrivain.writeheader()
    for refusee in refusees:
        ligne = {c: refusee.valeurs.get(c, "") for c in colonnes}
        ligne[COLONNE_MOTIFS] = refusee.motifs
        ecrivain.writerow(ligne)
    return flux.getvalue().encode("utf-8-sig")


def ecrire_lignes_refusees(
    chemin: Path | str, entete: list[str], refusees: list[LigneRefusee]
) -> int:
    """Write the refused rows with their reasons; returns how many."""
    Path(chemin).write_bytes(csv_des_lignes_refusees(entete, refusees))
    return len(refusees)


# -- the import commands -------------------------------------------------------------

Rapport = TypeVar("Rapport")


def verifier_les_options(fichier: Path, *, partiel: bool = False, rejets=None) -> None:
    if not fichier.is_file():
        raise CommandError(f"Fichier introuvable\u00a0: {fichier}")
    if rejets and not partiel:
        raise CommandError("--rejets ne s'emploie qu'avec --partiel.")


def importer_en_commande(
    commande: BaseCommand, importer: Callable[[], Rapport], *, invalide: type[Exception]
) -> Rapport:
    """Run ``importer``; a refused file prints each error and stops the command (exit 1)."""
    try:
        return importer()
    except invalide as exc:
        for erreur in exc.erreurs:
            commande.stderr.write(str(erreur))
        raise CommandError(
            f"Import refusé\u00a0: {len(exc.erreurs)} erreur(s), aucune donnée n'a été écrite."
        ) from exc


def signaler_les_lignes_refusees(
    commande: BaseCommand,
    refusees: list[LigneRefusee],
    *,
    entete: list[str],
    rejets: Path | None = None,
) -> None:
    """A partial import's refused rows: each error on stderr, the rows in ``rejets``."""
    for refusee in refusees:
        for erreur in refusee.erreurs:
            commande.stderr.write(str(erreur))
    if rejets:
        ecrire_lignes_refusees(rejets, entete, refusees)
        commande.stdout.write(f"Lignes refusées et leurs raisons\u00a0: {rejets}")
