"""Tables as downloads: CSV (semicolons, decimal commas, BOM for Excel) or XLSX (one sheet
per table), and the 400 answer of a download whose settings are wrong."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse


def csv_des_tables(tables: list[tuple[str, list[str], list[list]]], titre: str) -> bytes:
    """Tables one after the other in one CSV (semicolons, decimal commas, BOM for Excel)."""
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow([titre])
    for nom, entete, lignes in tables:
        ecrivain.writerow([])
        ecrivain.writerow([nom])
        ecrivain.writerow(entete)
        for ligne in lignes:
            ecrivain.writerow(
                [str(v).replace(".", ",") if isinstance(v, float) else v for v in ligne]
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
