"""Tables as downloads: CSV (semicolons, decimal commas, BOM for Excel) or XLSX (one sheet
per table), and the 400 answer of a download whose settings are wrong.

Every CSV and XLSX the portal writes goes through :func:`neutraliser` (or the writers
below, which call it): a site, structure or district name is typed by a user, possibly of
another territory, and a spreadsheet would run ``=HYPERLINK(…)`` as a formula."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

# what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur):
    """A text starting as a formula gets an apostrophe in front, which spreadsheets read as
    "this is text"; numbers, dates and empty values are left as they are."""
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


class EcrivainCSV:
    """``csv.writer`` whose every text cell is neutralised."""

    def __init__(self, flux, **options):
        self._ecrivain = csv.writer(flux, **options)

    def writerow(self, ligne):
        return self._ecrivain.writerow([neutraliser(v) for v in ligne])


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


def csv_des_tables(tables: list[tuple[str, list[str], list[list]]], titre: str) -> bytes:
    """Tables one after the other in one CSV (semicolons, decimal commas, BOM for Excel)."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow([neutraliser(titre)])
    for nom, entete, lignes in tables:
        ecrivain.writerow([])
        ecrivain.writerow([neutraliser(nom)])
        ecrivain.writerow([neutraliser(v) for v in entete])
        for ligne in lignes:
            # texts neutralised, numbers written with a decimal comma (a negative stays one)
            ecrivain.writerow(
                [
                    str(v).replace(".", ",") if isinstance(v, float) else neutraliser(v)
                    for v in ligne
                ]
            )
    return ("\ufeff" + sortie.getvalue()).encode("utf-8")


def xlsx_des_tables(tables: list[tuple[str, list[str], list[list]]], titre: str) -> bytes:
    """One sheet per table, its title in A1 and its header in bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    classeur.remove(classeur.active)
    for nom, entete, lignes in tables:
        feuille = classeur.create_sheet(nom[:31].replace("'", " "))
        feuille.append([titre])
        feuille["A1"].font = Font(bold=True)
        feuille.append(entete)
        for cellule in feuille[2]:
            cellule.font = Font(bold=True)
        for ligne in lignes:
            feuille.append(ligne)
        for rangee in feuille.iter_rows():
            _cellules_texte(rangee)
        feuille.column_dimensions["A"].width = 40
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
