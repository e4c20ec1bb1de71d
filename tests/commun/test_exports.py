"""Spreadsheet formula injection: every CSV and XLSX the portal writes neutralises text
cells that a spreadsheet would run (=, +, -, @, tab, carriage return first)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from commun.exports import EcrivainCSVDict, csv_des_tables, neutraliser, xlsx_des_tables


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("=1+1", "'=1+1"),
        ("+33 pirate", "'+33 pirate"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Médiathèque", "Médiathèque"),
        ("", ""),
        (-3.5, -3.5),
        (12, 12),
        (None, None),
    ],
)
def test_neutraliser(valeur, attendu):
    assert neutraliser(valeur) == attendu


def test_csv_et_xlsx_des_tables():
    tables = [("Par lieu", ["Lieu", "Heures"], [["=cmd|' /C calc'!A0", -1.5], ["Aragon", 2]])]
    texte = csv_des_tables(tables, "+Titre").decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert lignes[0] == ["'+Titre"]
    assert ["'=cmd|' /C calc'!A0", "-1,5"] in lignes
    assert ["Aragon", "2"] in lignes
    feuille = load_workbook(io.BytesIO(xlsx_des_tables(tables, "+Titre")))["Par lieu"]
    assert feuille["A1"].value == "+Titre" and feuille["A1"].data_type == "s"
    assert feuille["A3"].value == "=cmd|' /C calc'!A0"
    assert feuille["A3"].data_type == "s" and feuille["A3"].quotePrefix
    assert feuille["B3"].value == -1.5


def test_ecrivain_dict_garde_les_colonnes_formatees():
    flux = io.StringIO()
    ecrivain = EcrivainCSVDict(
        flux, ["nom", "telephone", "longitude"], sans=frozenset({"telephone", "longitude"})
    )
    ecrivain.writeheader()
    ecrivain.writerow({"nom": "=1+1", "telephone": "+33243474747", "longitude": "-0.55"})
    assert flux.getvalue().splitlines()[1] == "'=1+1,+33243474747,-0.55"
