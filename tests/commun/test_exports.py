"""Spreadsheet formula injection: every CSV and XLSX the portal writes neutralises text
cells that a spreadsheet would run (=, +, -, @, tab, carriage return first)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from commun.exports import (
    EcrivainCSVDict,
    Pourcentage,
    Table,
    csv_des_tables,
    csv_du_tableau,
    neutraliser,
    nom_d_onglet,
    xlsx_des_tables,
)


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


def test_xlsx_nombres_formats_et_entete_figee():
    """Numbers stay numbers with a format (Excel shows 10 557, 2,7, 12,5 %), the header
    stays in view, an empty value is an empty cell."""
    tables = [
        Table(
            "Par lieu",
            ["Lieu", "Participants", "Heures", "Indice", "Part", "Évolution"],
            [
                ["Aragon", 10557, 2.5, 4.4444, Pourcentage(12.5), Pourcentage(-4.0, signe=True)],
                ["Brassens", 3, 12.0, None, Pourcentage(0), None],
            ],
        )
    ]
    feuille = load_workbook(io.BytesIO(xlsx_des_tables(tables, "Titre")))["Par lieu"]
    assert feuille.freeze_panes == "A3"
    aragon = {c.column_letter: c for c in feuille[3]}
    assert aragon["B"].value == 10557 and aragon["B"].data_type == "n"
    assert aragon["B"].number_format == "#,##0"
    assert aragon["C"].value == 2.5 and aragon["C"].number_format == "#,##0.0"
    assert aragon["D"].value == pytest.approx(4.4444) and aragon["D"].number_format == "#,##0.0000"
    assert aragon["E"].value == pytest.approx(0.125) and aragon["E"].data_type == "n"
    assert aragon["E"].number_format == "0.0%"
    assert aragon["F"].value == pytest.approx(-0.04)
    assert aragon["F"].number_format == "+0.0%;-0.0%;0.0%"
    brassens = {c.column_letter: c for c in feuille[4]}
    assert brassens["C"].value == 12 and brassens["C"].number_format == "#,##0.0"
    assert brassens["D"].value is None and brassens["F"].value is None
    # the CSV keeps the same values, French style
    texte = csv_des_tables(tables, "Titre").decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert ["Aragon", "10557", "2,5", "4,4444", "12,5\u00a0%", "-4,0\u00a0%"] in lignes
    assert ["Brassens", "3", "12,0", "", "0,0\u00a0%", ""] in lignes


def test_noms_d_onglets():
    pris: set[str] = set()
    assert (
        nom_d_onglet("Par commune où l'activité a eu lieu", pris)
        == "Par commune où l'activité a eu"
    )
    assert nom_d_onglet("'Entre apostrophes'", pris) == "Entre apostrophes"
    assert nom_d_onglet("Janvier/février [2026]: bilan?*", pris) == "Janvier février 2026 bilan"
    assert (
        nom_d_onglet("par commune où l'activité a eu lieu", pris)
        == "par commune où l'activité a (2)"
    )
    assert nom_d_onglet("", pris) == "Tableau"
    tables = [
        Table("Comparaison avec l'année précédente", ["A"], [], "Comparaison sur un an"),
        ("Comparaison avec l'année précédente", ["A"], []),
        ("Comparaison avec l'année précédente", ["A"], []),
    ]
    classeur = load_workbook(io.BytesIO(xlsx_des_tables(tables, "Titre")))
    assert classeur.sheetnames == [
        "Comparaison sur un an",
        "Comparaison avec l'année",
        "Comparaison avec l'année (2)",
    ]


def test_csv_du_tableau():
    contenu = csv_du_tableau(
        ["code", "nom", "valeur"], [["72181", "=1+1", 0.00001], ["1", "A", None]]
    )
    assert contenu.startswith("\ufeff".encode())
    assert contenu.decode("utf-8-sig").splitlines() == [
        "code;nom;valeur",
        "72181;'=1+1;0,00001",
        "1;A;",
    ]
