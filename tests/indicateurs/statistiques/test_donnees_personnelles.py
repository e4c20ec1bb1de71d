"""What leaves the portal carries no personal data of the people helped: the committee's
dashboard and its CSV, XLSX and PDF exports, the statistics API and the activity reports
read by a coordinator never show a followed beneficiary nor a workshop registrant."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from indicateurs.statistiques.calcul import calculer_periode
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS, donnees  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
PERIODE = {"du": "2026-03", "au": "2026-04"}
PRENOM = "Zébulonne"


@pytest.fixture
def calcule(donnees):  # noqa: F811
    suivie = donnees["suivie"]
    suivie.prenom, suivie.annee_naissance = PRENOM, 1937
    suivie.save()
    calculer_periode(MARS, AVRIL)
    return donnees


def _texte_xlsx(contenu: bytes) -> str:
    classeur = load_workbook(io.BytesIO(contenu), read_only=True)
    return " ".join(
        str(cellule)
        for feuille in classeur.worksheets
        for ligne in feuille.iter_rows(values_only=True)
        for cellule in ligne
        if cellule is not None
    )


def _texte_pdf(contenu: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


@pytest.mark.parametrize("role", ["elu", "coordinateur"])
def test_aucun_export_ne_nomme_un_beneficiaire(calcule, client_de, role):
    client = client_de(role)
    textes = {
        "page": client.get("/tableau-de-bord/", PERIODE).content.decode(),
        "csv": client.get("/tableau-de-bord.csv", PERIODE).content.decode("utf-8-sig"),
        "xlsx": _texte_xlsx(client.get("/tableau-de-bord.xlsx", PERIODE).content),
        "pdf": _texte_pdf(client.get("/tableau-de-bord.pdf", PERIODE).content),
        "api": client.get(
            "/api/v1/statistiques/mensuelles/", {"du": "2026-03", "au": "2026-04"}
        ).content.decode(),
    }
    if role == "coordinateur":
        textes["activites"] = client.get("/api/v1/activites/").content.decode()
    for nom, texte in textes.items():
        # the export is not empty: it names the advisor, or holds the figures
        attendu = {"api": "accompagnements", "activites": "2026-03-02"}.get(nom, "Alice")
        assert attendu in texte, nom
        assert PRENOM not in texte, nom
        # the year as a number of its own: a timestamp's microseconds may hold its digits
        assert not re.search(r"(?<!\d)1937(?!\d)", texte), nom
