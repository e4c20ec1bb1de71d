"""Tables as downloads: CSV (semicolons, decimal commas, BOM for Excel) or XLSX (one sheet
per table), and the 400 answer of a download whose settings are wrong.

Every CSV and XLSX the portal writes goes through :func:`neutraliser` (or the writers
below, which call it): a site, structure or district name is typed by a user, possibly of
another territory, and a spreadsheet would run ``=HYPERLINK(…)`` as a formula."""

from __future__ import annotations

import csv
import io
import math
import numbers
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.http import HttpResponse

from . import formats

# what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur):
    """A text starting as a formula gets an apostrophe in front, which spreadsheets read as
    "this is text"; numbers, dates and empty values are left as they are."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


class EcrivainCSVDict:
    """``csv.DictWriter`` whose text cells are neutralised, except in ``sans`` (columns
    whose format is checked and may start with ``+`` or ``-``: phones, coordinates)."""

    def __init__(self, flux, fieldnames, *, sans: frozenset[str] = frozenset(), **options):
        self._ecrivain = csv.DictWriter(flux, fieldnames=fieldnames, **options)
        self._sans = sans

    def writeheader(self):
        return self._ecrivain.writeheader()

    def writerow(self, ligne: dict):
        return self._ecrivain.writerow(
            {c: v if c in self._sans else neutraliser(v) for c, v in ligne.items()}
        )


def _cellules_texte(rangee) -> None:
    """XLSX: a text starting as a formula stays text (string type, quote prefix): Excel
    shows it as typed and never runs it."""
    for cellule in rangee:
        if isinstance(cellule.value, str) and cellule.value.startswith(DEBUTS_DE_FORMULE):
            cellule.data_type = "s"
            cellule.quotePrefix = True


class Table(NamedTuple):
    """One exported table: its title, header and rows; ``onglet``: the XLSX sheet's short
    name when the title is longer than Excel's 31 characters."""

    nom: str
    entete: list[str]
    lignes: list[list]
    onglet: str | None = None


@dataclass(frozen=True)
class Pourcentage:
    """A percentage (``12.5`` for 12,5 %): a number with a percent format in XLSX,
    ``12,5 %`` in CSV and ``str()`` (``signe``: ``+4,0 %``, ``−4,0 %``)."""

    valeur: float
    decimales: int = 1
    signe: bool = False

    def __str__(self) -> str:
        return formats.pourcentage(self.valeur, self.decimales, signe=self.signe)

    def format_xlsx(self) -> str:
        motif = "0." + "0" * self.decimales + "%" if self.decimales else "0%"
        return f"+{motif};-{motif};{motif}" if self.signe else motif


def _decimal_csv(valeur: float) -> str:
    """``-1.5`` → ``"-1,5"``, never ``1e-05`` (a spreadsheet reads it as a date or text)."""
    texte = repr(float(valeur))
    if "e" in texte or "E" in texte:
        texte = f"{valeur:.15f}".rstrip("0").rstrip(".")
    return texte.replace(".", ",")


def cellule_csv(valeur):
    """A cell for a spreadsheet CSV: text neutralised, numbers with a decimal comma (a
    negative stays one), a percentage as ``12,5 %``, nothing for ``None``."""
    if valeur is None or isinstance(valeur, bool):
        return neutraliser(valeur)
    if isinstance(valeur, Pourcentage):
        texte = f"{valeur.valeur:.{valeur.decimales}f}".replace(".", ",")
        if valeur.signe and valeur.valeur > 0:
            texte = "+" + texte
        return texte + "\u00a0%"
    if isinstance(valeur, numbers.Integral):
        return str(int(valeur))
    if isinstance(valeur, (numbers.Real, Decimal)):
        return "" if math.isnan(valeur) else _decimal_csv(valeur)
    return neutraliser(valeur)


def _en_csv(ecrire) -> bytes:
    sortie = io.StringIO()
    ecrire(csv.writer(sortie, delimiter=";"))
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def csv_du_tableau(entete: list[str], lignes: list[list]) -> bytes:
    """One table, its header on the first line: for data meant to be re-read (semicolons,
    decimal commas, BOM for Excel)."""

    def ecrire(ecrivain):
        ecrivain.writerow([neutraliser(v) for v in entete])
        for ligne in lignes:
            ecrivain.writerow([cellule_csv(v) for v in ligne])

    return _en_csv(ecrire)


def csv_des_tables(tables: list[tuple[str, list[str], list[list]]], titre: str) -> bytes:
    """Tables one after the other in one CSV (semicolons, decimal commas, BOM for Excel)."""

    def ecrire(ecrivain):
        ecrivain.writerow([neutraliser(titre)])
        for nom, entete, lignes, *_ in tables:
            ecrivain.writerow([])
            ecrivain.writerow([neutraliser(nom)])
            ecrivain.writerow([neutraliser(v) for v in entete])
            for ligne in lignes:
                ecrivain.writerow([cellule_csv(v) for v in ligne])

    return _en_csv(ecrire)


# -- XLSX ---------------------------------------------------------------------------------

ONGLET_MAX = 31
ONGLET_INTERDITS = set("[]:*?/\\")
FORMAT_ENTIER = "#,##0"  # Excel writes it with the reader's separators: 10 557 in French


def nom_d_onglet(nom: str, pris: set[str]) -> str:
    """An Excel sheet name: none of ``[]:*?/\\``, no apostrophe first or last, 31 characters
    at most (cut at a word), unique whatever the case (`` (2)`` added)."""
    propre = " ".join("".join(" " if c in ONGLET_INTERDITS else c for c in nom).split())
    if len(propre) > ONGLET_MAX:
        coupe = propre[: ONGLET_MAX + 1].rsplit(" ", 1)[0]
        propre = coupe if len(coupe) <= ONGLET_MAX else propre[:ONGLET_MAX]
    propre = propre.strip("' ") or "Tableau"
    candidat, rang = propre, 1
    while candidat.casefold() in pris:
        rang += 1
        suffixe = f" ({rang})"
        candidat = propre[: ONGLET_MAX - len(suffixe)].rstrip("' ") + suffixe
    pris.add(candidat.casefold())
    return candidat


def _decimales(valeur: float) -> int:
    texte = repr(float(valeur))
    if "e" in texte or "." not in texte:
        return 1
    return len(texte.split(".")[1].rstrip("0"))


def _valeur_xlsx(valeur):
    """(value, number format) of a cell: numbers stay numbers, a percentage a fraction."""
    if valeur is None or valeur == "" or isinstance(valeur, bool):
        return (None if valeur == "" else valeur), None
    if isinstance(valeur, Pourcentage):
        return valeur.valeur / 100, valeur.format_xlsx()
    if isinstance(valeur, numbers.Integral):
        return int(valeur), FORMAT_ENTIER
    if isinstance(valeur, (numbers.Real, Decimal)):
        return (None, None) if math.isnan(valeur) else (float(valeur), "decimal")
    return valeur, None


def xlsx_des_tables(tables: list[tuple[str, list[str], list[list]]], titre: str) -> bytes:
    """One sheet per table, its title in A1, its header in bold and frozen under it;
    integers as ``10 557``, decimals with as many places as the column needs (1 to 4),
    percentages as numbers with a percent format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    classeur = Workbook()
    classeur.remove(classeur.active)
    pris: set[str] = set()
    for nom, entete, lignes, *reste in tables:
        onglet = reste[0] if reste and reste[0] else nom
        feuille = classeur.create_sheet(nom_d_onglet(onglet, pris))
        feuille.append([titre])
        feuille["A1"].font = Font(bold=True)
        feuille.append(entete)
        for cellule in feuille[2]:
            cellule.font = Font(bold=True)
        formats_ = [[_valeur_xlsx(v) for v in ligne] for ligne in lignes]
        places: dict[int, int] = {}
        for formatees in formats_:
            for colonne, (valeur, format_) in enumerate(formatees):
                if format_ == "decimal":
                    places[colonne] = max(places.get(colonne, 1), min(_decimales(valeur), 4))
        for formatees in formats_:
            feuille.append([valeur for valeur, _ in formatees])
            rangee = feuille[feuille.max_row]
            for colonne, (_, format_) in enumerate(formatees):
                if format_ == "decimal":
                    rangee[colonne].number_format = "#,##0." + "0" * places[colonne]
                elif format_:
                    rangee[colonne].number_format = format_
        for rangee in feuille.iter_rows():
            _cellules_texte(rangee)
        feuille.freeze_panes = "A3"
        feuille.column_dimensions["A"].width = 40
        for colonne, intitule in enumerate(entete[1:], start=2):
            largeur = min(max(len(str(intitule)) + 2, 12), 30)
            feuille.column_dimensions[get_column_letter(colonne)].width = largeur
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def parametres_invalides(formulaire) -> HttpResponse:
    """The 400 answer of a download whose settings are wrong, with the form's messages."""
    erreurs = "\u00a0; ".join(str(e) for liste in formulaire.errors.values() for e in liste)
    return HttpResponse(
        f"Paramètres invalides\u00a0: {erreurs}\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )
