"""The officials' dashboard and its exports: figures equal to the snapshots, filters,
French errors, scoping, bounded queries."""

import csv
import io
import re
import tempfile

import pytest
from openpyxl import load_workbook

from indicateurs.statistiques.calcul import TABLEAU_COMITE, calculer_periode
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS, donnees  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
CODES = [code for code, _ in TABLEAU_COMITE]
CHIFFRES = [
    "personnes_accompagnees",
    "accompagnements",
    "ateliers",
    "participants_ateliers",
    "accompagnements_individuels",
    "demandes_ponctuelles",
]
URL = "/tableau-de-bord/"
MARS_AVRIL = {"du": "2026-03", "au": "2026-04"}


@pytest.fixture
def calcule(donnees):  # noqa: F811
    calculer_periode(MARS, AVRIL)
    return donnees


def _ligne(contenu: str, code: str) -> str:
    debut = contenu.index(f'id="ligne-{code}"')
    return contenu[debut : contenu.index("</tr>", debut)]


def test_tableau_du_comite(calcule, client_de):
    reponse = client_de("elu").get(URL, MARS_AVRIL)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    # Le Mans: March 11 accompaniments (7 persons), April 1; total 12, mean 6
    accompagnements = _ligne(contenu, "accompagnements")
    assert '<td class="total">12</td><td class="moyenne">6</td><td>11</td><td>1</td>' in (
        accompagnements
    )
    personnes = _ligne(contenu, "personnes_accompagnees")
    assert '<td class="total">8</td><td class="moyenne">4</td><td>7</td><td>1</td>' in personnes
    assert '<td class="total">1</td>' in _ligne(contenu, "ateliers")
    assert "Mars 2026" in contenu and "Avril 2026" in contenu
    # breakdowns with names; the advisor without structure of Angers is not in this territory
    assert "Cyber-base" in contenu and "Alice" in contenu and "Yvré-l&#x27;Évêque" in contenu
    assert "Angers" not in contenu.split('id="titre-ventilations"')[1]
    # one chart per subject, each with its data table
    for identifiant in ("tendance", "thematiques", "canaux", "ages"):
        assert f'id="graphique-{identifiant}"' in contenu
    assert contenu.count("<svg") == 4


def test_comparaison_annee_precedente(calcule, client_de):
    import datetime as dt

    from indicateurs.statistiques.calcul import calculer_mois
    from tests.conseillers.factories import ActiviteFactory

    ActiviteFactory(conseiller=calcule["alice"], date=dt.date(2025, 3, 4))
    calculer_mois(dt.date(2025, 3, 1))
    contenu = client_de("coordinateur").get(URL, MARS_AVRIL).content.decode()
    comparaison = contenu.split('id="tableau-comparaison"')[1].split("</table>")[0]
    # accompaniments: 1 a year before, 12 now: +1 100,0 %
    assert "<td>1</td><td>12</td><td>+1100,0\u00a0%</td>" in comparaison


def test_autre_territoire_ne_voit_rien_de_celui_ci(calcule, client_de):
    contenu = client_de("coordinateur_autre_territoire").get(URL, MARS_AVRIL).content.decode()
    assert '<td class="total">1</td>' in _ligne(contenu, "accompagnements")  # Chloé, Angers
    assert "Cyber-base" not in contenu and "Alice" not in contenu
    # asking for Le Mans Métropole gives nothing more
    autre = client_de("coordinateur_autre_territoire").get(
        URL, {**MARS_AVRIL, "territoire": "247200132"}
    )
    assert '<td class="total">0</td>' in _ligne(autre.content.decode(), "accompagnements")


def test_filtre_territoire(calcule, client_de):
    contenu = client_de("staff").get(URL, {**MARS_AVRIL, "territoire": "49"}).content.decode()
    assert '<td class="total">1</td>' in _ligne(contenu, "accompagnements")


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"du": "2026-13"}, "du « 2026-13 » invalide"),
        ({"du": "2026-05", "au": "2026-03"}, "La période est inversée"),
        ({"territoire": "XYZ"}, "Territoire inconnu"),
    ],
)
def test_erreurs_en_francais(client_de, comptes, parametres, message):
    reponse = client_de("elu").get(URL, parametres)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    export = client_de("elu").get("/tableau-de-bord.csv", parametres)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_sans_instantane(client_de, comptes):
    contenu = client_de("elu").get(URL).content.decode()
    assert "Aucune statistique n'a encore été calculée" in contenu


def test_nombre_de_requetes_borne(calcule, client_de, django_assert_max_num_queries):
    client = client_de("elu")
    client.get(URL, MARS_AVRIL)
    with django_assert_max_num_queries(20):
        assert client.get(URL, {"du": "2024-11", "au": "2026-10"}).status_code == 200


def test_export_csv(calcule, client_de):
    reponse = client_de("elu").get("/tableau-de-bord.csv", MARS_AVRIL)
    assert reponse["Content-Type"].startswith("text/csv")
    assert 'filename="tableau-de-bord-2026-03-2026-04.csv"' in reponse["Content-Disposition"]
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))
    assert ["Accompagnements", "12", "6", "11", "1"] in lignes
    assert [
        "Indicateur",
        "Total de la période",
        "Moyenne mensuelle",
        "mars 2026",
        "avril 2026",
    ] in (lignes)
    assert any(ligne and ligne[0] == "Cyber-base" for ligne in lignes)


def test_export_xlsx(calcule, client_de):
    """Numbers as numbers with a format, the change as a percentage, short sheet names,
    the header frozen."""
    import datetime as dt

    from indicateurs.statistiques.calcul import calculer_mois
    from tests.conseillers.factories import ActiviteFactory

    ActiviteFactory(conseiller=calcule["alice"], date=dt.date(2025, 3, 4))
    calculer_mois(dt.date(2025, 3, 1))
    reponse = client_de("elu").get("/tableau-de-bord.xlsx", MARS_AVRIL)
    classeur = load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == [
        "Tableau du comité",
        "Comparaison sur un an",
        "Par structure employeuse",
        "Par conseiller",
        "Par commune",
        "Par quartier ou IRIS",
    ]
    feuille = classeur["Tableau du comité"]
    valeurs = [[c.value for c in ligne] for ligne in feuille.iter_rows()]
    assert ["Accompagnements", 12, 6, 11, 1] in valeurs
    for feuille in classeur.worksheets:
        assert feuille.freeze_panes == "A3"
        assert feuille["A1"].value.startswith("Activité de la médiation numérique")
        for rangee in feuille.iter_rows(min_row=3):
            for cellule in rangee[1:]:
                if isinstance(cellule.value, int) and "%" not in cellule.number_format:
                    assert cellule.number_format == "#,##0", (feuille.title, cellule)
                assert not isinstance(cellule.value, str) or "%" not in cellule.value
    comparaison = {
        ligne[0].value: ligne for ligne in classeur["Comparaison sur un an"].iter_rows(min_row=3)
    }
    avant, periode, evolution = comparaison["Accompagnements"][1:4]
    assert (avant.value, periode.value) == (1, 12)
    assert evolution.data_type == "n" and evolution.value == pytest.approx(11.0)  # +1 100 %
    assert evolution.number_format == "+0.0%;-0.0%;0.0%"
    assert comparaison["Ateliers réalisés"][3].value is None  # nothing a year before


def _texte_pdf(contenu: bytes) -> tuple[list[str], str]:
    from pypdf import PdfReader

    lecteur = PdfReader(io.BytesIO(contenu))
    for page in lecteur.pages:
        assert page.mediabox.width > page.mediabox.height  # landscape
    pages = [page.extract_text() for page in lecteur.pages]
    # lines joined; the no-break spaces kept
    return pages, re.sub(r"[ \t\r\n]+", " ", " ".join(pages))


def test_export_pdf(calcule, client_de):
    reponse = client_de("elu").get("/tableau-de-bord.pdf", MARS_AVRIL)
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")
    _, texte = _texte_pdf(reponse.content)
    assert "Rapport d'activité de la médiation numérique" in texte
    # (a paragraph keeps its no-break spaces on the line; pypdf reads them as spaces)
    assert "Territoire : CU Le Mans Métropole — période : de mars 2026 à avril 2026" in (
        texte.replace("\u00a0", " ")
    )
    assert "Cyber-base" in texte and "Définitions" in texte
    assert b"/Subtype /Image" not in reponse.content  # the logo is an SVG: the name alone


@pytest.mark.parametrize(
    ("du", "au", "blocs"),
    [("2026-02", "2026-04", 1), ("2025-05", "2026-04", 2), ("2024-05", "2026-04", 4)],
)
def test_rapport_pdf_de_3_12_et_24_mois(calcule, client_de, settings, du, au, blocs):
    """Every month of the period is in the PDF, the monthly table cut into six-month blocks
    each headed by its whole first column; each page numbered and signed."""
    from django.utils.text import capfirst

    from indicateurs.statistiques.calcul import lire_filtres
    from indicateurs.statistiques.comite import libelle_mois

    reponse = client_de("elu").get("/tableau-de-bord.pdf", {"du": du, "au": au})
    pages, texte = _texte_pdf(reponse.content)
    for mois in lire_filtres({"du": du, "au": au}).mois:
        assert capfirst(libelle_mois(f"{mois:%Y-%m}")) in texte  # its column in the table
    # the first column's header, whole, on each block and on the comparison
    assert texte.count("Indicateur Total de la période Moyenne mensuelle") == 1
    assert len(re.findall(r"\bIndicateur\b", texte)) == blocs + 1
    assert "ateur " not in texte.replace("Indicateur ", "")
    for numero, page in enumerate(pages, start=1):
        assert f"page {numero} sur {len(pages)}" in page
        assert settings.PORTAIL_TERRITOIRE in page
    # no near-empty last page: it holds more than its frame
    dernier = pages[-1]
    for cadre in (f"page {len(pages)} sur {len(pages)}", settings.PORTAIL_TERRITOIRE):
        dernier = dernier.replace(cadre, "")
    assert len(dernier.split()) > 40


def test_rapport_pdf_nombres_a_la_francaise(settings):
    """Thousands with a narrow no-break space, decimal commas, signed changes; a raster
    logo is drawn."""
    from commun.pdf import polices
    from indicateurs.statistiques import comite

    serie = {
        "mois": [{"mois": "2026-09", **dict.fromkeys(CODES, 10557)}],
        "total": dict.fromkeys(CODES, 10557),
        "moyenne_mensuelle": dict.fromkeys(CODES, 10557),
    }
    ventilation = {
        "axe": "commune",
        "titre": "Par commune où l'activité a eu lieu",
        "colonne": "Commune",
        "avec_indice": True,
        "lignes": [comite.LigneVentilation("Yvré-l'Évêque", dict.fromkeys(CHIFFRES, 1234), 2.718)],
    }
    contenu = {
        "serie": serie,
        "mois": ["septembre 2026"],
        "comite": comite.tableau_comite(serie),
        "comparaison": comite.comparaison(serie, dict.fromkeys(CODES, 8446)),
        "ventilations": [ventilation],
    }
    pdf = comite.en_pdf(contenu, "Rapport", "Le Mans Métropole", "septembre 2026")
    _, texte = _texte_pdf(pdf)
    # (without DejaVu Sans, a no-break space stands for the narrow one; read as a space)
    fine = "\u202f" if polices().espace_fine else " "
    assert f"10{fine}557" in texte and f"1{fine}234" in texte
    assert "2,72" in texte and "Septembre 2026" in texte
    assert "+25,0 %" in texte.replace("\u00a0", " ")  # the font draws both spaces alike
    assert "10557" not in texte and "2.72" not in texte
    # a PNG logo (a static file) is drawn on each page
    from PIL import Image

    with tempfile.TemporaryDirectory() as temporaire:
        Image.new("RGB", (80, 40), "#00607a").save(f"{temporaire}/logo.png")
        settings.STATICFILES_DIRS = [temporaire, *settings.STATICFILES_DIRS]
        settings.PORTAIL_LOGO = "logo.png"
        avec_logo = comite.en_pdf(contenu, "Rapport", "Le Mans Métropole", "septembre 2026")
    assert b"/Subtype /Image" in avec_logo


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [(0, "0"), (1234567, "1\u00a0234\u00a0567"), (-4200, "-4\u00a0200"), (2.5, "3"), (None, "")],
)
def test_filtre_entier_comme_floatformat(valeur, attendu):
    from django.template.defaultfilters import floatformat
    from django.utils import translation

    from indicateurs.statistiques.templatetags.nombres import entier

    assert entier(valeur) == attendu
    if valeur is not None:
        with translation.override("fr"):
            assert entier(valeur) == floatformat(valeur, "0g")


def test_les_exports_ne_lancent_aucune_formule(donnees, client_de):  # noqa: F811
    """A structure's name typed as a formula reaches the CSV as text (leading apostrophe)
    and the XLSX as a text cell, never as a formula."""
    from structures.models import Structure

    piege = '=HYPERLINK("https://pirate.example/";"Cyber-base")'
    assert Structure.objects.tous().filter(nom="Cyber-base").update(nom=piege) == 1
    calculer_periode(MARS, AVRIL)
    client = client_de("elu")
    texte = client.get("/tableau-de-bord.csv", MARS_AVRIL).content.decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert any(ligne and ligne[0] == "'" + piege for ligne in lignes)
    assert not any(ligne and ligne[0] == piege for ligne in lignes)
    classeur = load_workbook(io.BytesIO(client.get("/tableau-de-bord.xlsx", MARS_AVRIL).content))
    cellules = [
        cellule
        for feuille in classeur.worksheets
        for rangee in feuille.iter_rows()
        for cellule in rangee
        if isinstance(cellule.value, str) and "pirate.example" in cellule.value
    ]
    assert cellules
    assert all(c.data_type == "s" and c.quotePrefix for c in cellules)
