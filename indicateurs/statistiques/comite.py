"""The officials' dashboard and the council report: the figures laid out from the snapshots.

Everything here reads the stored snapshots through :mod:`indicateurs.statistiques.calcul`
(``serie_mensuelle``, ``ventilation``): a fixed number of queries whatever the period.
Python only lays out the figures (tables, charts, exports). No personal data: advisors are
named (professionals), followed beneficiaries are only counted.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q

from commun.exports import csv_des_tables, xlsx_des_tables
from conseillers.enums import CHAMPS_AGE, Canal, Thematique
from conseillers.models import Conseiller
from conseillers.statistiques import MOIS, Barre, Graphique, nombre
from indicateurs.enums import Niveau
from indicateurs.indice.models import IndiceUnite, ResultatIndice
from structures.models import Structure
from territoires.models import Commune, Zone

from .calcul import (
    CODES_COMITE,
    TABLEAU_COMITE,
    Filtres,
    serie_mensuelle,
    totaux,
    ventilation,
)
from .models import AxeStatistique

DEFINITIONS = [
    (
        "Personnes accompagnées",
        "somme des participants de toutes les activités, moins les participants déjà "
        "accompagnés auparavant (accompagnements − accompagnements récurrents).",
    ),
    (
        "Accompagnements",
        "somme des participants de tous les comptes rendus : 1 par accompagnement individuel "
        "ou demande ponctuelle, le nombre de participants pour un atelier collectif ; « dont "
        "récurrents » : participants déjà venus.",
    ),
    ("Ateliers réalisés", "nombre de comptes rendus d'ateliers collectifs."),
    ("Participants aux ateliers", "somme des participants des ateliers collectifs."),
    ("Accompagnements individuels", "nombre de comptes rendus d'accompagnement individuel."),
    ("Demandes ponctuelles", "nombre de comptes rendus de demande ponctuelle."),
    (
        "Moyenne mensuelle",
        "total de la période divisé par le nombre de mois, arrondi à l'entier le plus proche.",
    ),
    (
        "Source",
        "comptes rendus d'activité saisis par les conseillers numériques, agrégés chaque mois "
        "(instantanés recalculés lorsqu'une activité est saisie ou corrigée après coup).",
    ),
]

AXES_VENTILATION = [
    (AxeStatistique.STRUCTURE, "Par structure employeuse", "Structure"),
    (AxeStatistique.CONSEILLER, "Par conseiller", "Conseiller ou conseillère"),
    (AxeStatistique.COMMUNE, "Par commune où l'activité a eu lieu", "Commune"),
    (AxeStatistique.ZONE, "Par quartier ou IRIS", "Quartier"),
]
SANS_CLE = {
    AxeStatistique.STRUCTURE: "sans structure",
    AxeStatistique.CONSEILLER: "—",
    AxeStatistique.COMMUNE: "à distance ou non renseignée",
    AxeStatistique.ZONE: "hors quartier ou non renseigné",
}


def libelle_mois(mois: str) -> str:
    """``"2026-03"`` → ``"mars 2026"``."""
    annee, numero = mois.split("-")
    return f"{MOIS[int(numero) - 1]} {annee}"


def variation(avant: int, apres: int) -> str:
    if not avant:
        return "–"
    taux = 100 * (apres - avant) / avant
    return f"{taux:+.1f}".replace(".", ",").replace("-", "−") + "\u00a0%"


@dataclass
class LigneVentilation:
    nom: str
    chiffres: dict
    indice: float | None = None


def _noms(axe: str, cles: list[str]) -> dict[str, str]:
    ids = [c for c in cles if c]
    if not ids:
        return {}
    if axe == AxeStatistique.STRUCTURE:
        lignes = Structure.objects.tous().filter(pk__in=ids).values_list("pk", "nom")
    elif axe == AxeStatistique.CONSEILLER:
        lignes = (
            (pk, f"{prenom} {nom}".strip())
            for pk, prenom, nom in Conseiller.objects.tous()
            .filter(pk__in=ids)
            .values_list("pk", "prenom", "nom")
        )
    elif axe == AxeStatistique.COMMUNE:
        lignes = Commune.objects.filter(pk__in=ids).values_list("pk", "nom")
    else:
        lignes = Zone.objects.tous().filter(pk__in=ids).values_list("pk", "nom")
    return {str(pk): nom for pk, nom in lignes}


def _indices(user, axe: str, cles: list[str]) -> dict[str, float | None]:
    """The latest index of each commune or district, when one was computed or published."""
    ids = [c for c in cles if c]
    if axe not in (AxeStatistique.COMMUNE, AxeStatistique.ZONE) or not ids:
        return {}
    niveaux = [Niveau.COMMUNE] if axe == AxeStatistique.COMMUNE else [Niveau.QUARTIER, Niveau.IRIS]
    resultat = ResultatIndice.objects.pour(user).filter(niveau__in=niveaux).plus_recent()
    if resultat is None:
        return {}
    filtre = Q(commune_id__in=ids) if axe == AxeStatistique.COMMUNE else Q(zone_id__in=ids)
    unites = IndiceUnite.objects.pour(user).filter(filtre, resultat=resultat)
    champ = "commune_id" if axe == AxeStatistique.COMMUNE else "zone_id"
    return {str(cle): indice for cle, indice in unites.values_list(champ, "indice")}


def ventilations(user, filtres: Filtres) -> list[dict]:
    resultat = []
    for axe, titre, colonne in AXES_VENTILATION:
        lignes = ventilation(user, filtres, axe, CODES_COMITE)
        cles = [ligne["cle"] for ligne in lignes]
        noms = _noms(axe, cles)
        indices = _indices(user, axe, cles)
        resultat.append(
            {
                "axe": axe,
                "titre": titre,
                "colonne": colonne,
                "avec_indice": bool(indices),
                "lignes": [
                    LigneVentilation(
                        nom=noms.get(ligne["cle"], SANS_CLE[axe])
                        if ligne["cle"]
                        else SANS_CLE[axe],
                        chiffres=ligne,
                        indice=indices.get(ligne["cle"]),
                    )
                    for ligne in lignes
                ],
            }
        )
    return resultat


def periode_precedente(filtres: Filtres) -> Filtres:
    def un_an_avant(mois: dt.date) -> dt.date:
        return mois.replace(year=mois.year - 1)

    return Filtres(
        un_an_avant(filtres.du),
        un_an_avant(filtres.au),
        filtres.territoire,
        filtres.structure,
        filtres.conseiller,
    )


def tableau_comite(serie: dict) -> list[dict]:
    """The committee's rows: label, total, monthly mean, each month."""
    return [
        {
            "code": code,
            "libelle": libelle,
            "total": serie["total"][code],
            "moyenne": serie["moyenne_mensuelle"][code],
            "mois": [m[code] for m in serie["mois"]],
        }
        for code, libelle in TABLEAU_COMITE
    ]


def comparaison(serie: dict, precedente: dict[str, int]) -> list[dict]:
    """The period's totals against the same months a year before (``precedente``: totals)."""
    return [
        {
            "libelle": libelle,
            "avant": precedente[code],
            "apres": serie["total"][code],
            "variation": variation(precedente[code], serie["total"][code]),
        }
        for code, libelle in TABLEAU_COMITE
    ]


def graphiques(serie: dict) -> list[Graphique]:
    total = serie["total"]
    participants = total["accompagnements"]
    tendance = Graphique(
        "tendance",
        "Accompagnements par mois",
        "Accompagnements",
        [
            Barre(libelle_mois(m["mois"]), m["accompagnements"], nombre(m["accompagnements"]))
            for m in serie["mois"]
        ],
    )
    themes = sorted(
        (
            Barre(t.label, total[f"thematique_{t.value}"], nombre(total[f"thematique_{t.value}"]))
            for t in Thematique
        ),
        key=lambda b: -b.valeur,
    )
    thematiques = Graphique(
        "thematiques",
        "Activités par thématique",
        "Activités",
        [b for b in themes if b.valeur],
    )
    canaux = Graphique(
        "canaux",
        "Activités par lieu (canal)",
        "Activités",
        [
            Barre(c.label, total[f"canal_{c.value}"], nombre(total[f"canal_{c.value}"]))
            for c in Canal
        ],
    )
    pourcentages = total["pourcentages"]
    ages = Graphique(
        "ages",
        "Âge des participants (part des accompagnements)",
        "Part",
        [
            Barre(
                tranche.label,
                total[champ],
                _pourcent(pourcentages[champ]),
                [nombre(total[champ])],
            )
            for champ, tranche in CHAMPS_AGE.items()
        ]
        + [
            Barre(
                "non renseigné",
                max(participants - sum(total[c] for c in CHAMPS_AGE), 0),
                _pourcent(pourcentages["age_non_renseigne"]),
                [nombre(max(participants - sum(total[c] for c in CHAMPS_AGE), 0))],
            )
        ],
        ["Participants"],
    )
    return [tendance, thematiques, canaux, ages]


def _pourcent(valeur: float | None) -> str:
    if valeur is None:
        return "–"
    return f"{valeur:.1f}".replace(".", ",") + "\u00a0%"


def donnees(user, filtres: Filtres) -> dict:
    serie = serie_mensuelle(user, filtres)
    precedente = totaux(user, periode_precedente(filtres))
    return {
        "serie": serie,
        "mois": [libelle_mois(m["mois"]) for m in serie["mois"]],
        "comite": tableau_comite(serie),
        "comparaison": comparaison(serie, precedente),
        "periode_precedente": periode_precedente(filtres),
        "graphiques": graphiques(serie),
        "ventilations": ventilations(user, filtres),
        "temps_heures": serie["total"]["temps_total_heures"],
        "beneficiaires": serie["total"]["beneficiaires_suivis"],
    }


# -- exports ------------------------------------------------------------------------------


def tables_export(contenu: dict) -> list[tuple[str, list[str], list[list]]]:
    """Every table of the report: (title, header, rows), shared by CSV, XLSX and PDF."""
    tables = [
        (
            "Tableau du comité",
            ["Indicateur", "Total de la période", "Moyenne mensuelle", *contenu["mois"]],
            [[r["libelle"], r["total"], r["moyenne"], *r["mois"]] for r in contenu["comite"]],
        ),
        (
            "Comparaison avec l'année précédente",
            ["Indicateur", "Même période un an avant", "Période", "Évolution"],
            [
                [r["libelle"], r["avant"], r["apres"], r["variation"]]
                for r in contenu["comparaison"]
            ],
        ),
    ]
    for ventil in contenu["ventilations"]:
        entete = [
            ventil["colonne"],
            "Personnes accompagnées",
            "Accompagnements",
            "Ateliers",
            "Participants aux ateliers",
            "Accompagnements individuels",
            "Demandes ponctuelles",
        ]
        if ventil["avec_indice"]:
            entete.append("Indice de fragilité")
        lignes = []
        for ligne in ventil["lignes"]:
            c = ligne.chiffres
            valeurs = [
                ligne.nom,
                c["personnes_accompagnees"],
                c["accompagnements"],
                c["ateliers"],
                c["participants_ateliers"],
                c["accompagnements_individuels"],
                c["demandes_ponctuelles"],
            ]
            if ventil["avec_indice"]:
                valeurs.append("" if ligne.indice is None else ligne.indice)
            lignes.append(valeurs)
        tables.append((ventil["titre"], entete, lignes))
    return tables


def en_csv(contenu: dict, titre: str) -> bytes:
    return csv_des_tables(tables_export(contenu), titre)


def en_xlsx(contenu: dict, titre: str) -> bytes:
    return xlsx_des_tables(tables_export(contenu), titre)


def en_pdf(contenu: dict, titre: str, territoire: str, periode: str) -> bytes:
    """The report to annex to a council deliberation (reportlab, built-in fonts only)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    sortie = io.BytesIO()
    document = SimpleDocTemplate(
        sortie,
        pagesize=landscape(A4),
        title=titre,
        author="Portail de l'inclusion numérique",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    elements = [
        Paragraph(titre, styles["Title"]),
        Paragraph(f"Territoire : {territoire} — période : {periode}", styles["Heading3"]),
        Paragraph(
            f"Document généré le {dt.date.today():%d/%m/%Y} à partir des comptes rendus "
            "d'activité des conseillers numériques.",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    style_table = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
            ("FONT", (0, 1), (-1, -1), "Helvetica", 7),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6f0f3")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    )
    for rang, (nom, entete, lignes) in enumerate(tables_export(contenu)):
        if rang == 2:
            elements.append(_graphique_pdf(contenu, Drawing, VerticalBarChart, colors))
        if not lignes:
            continue
        elements.append(Paragraph(nom, styles["Heading3"]))
        elements.append(Table([entete, *lignes[:60]], repeatRows=1, style=style_table))
        elements.append(Spacer(1, 0.3 * cm))
    elements.append(Paragraph("Définitions", styles["Heading3"]))
    for terme, definition in DEFINITIONS:
        elements.append(Paragraph(f"<b>{terme}</b> : {definition}", styles["Normal"]))
    document.build(elements)
    return sortie.getvalue()


def _graphique_pdf(contenu, Drawing, VerticalBarChart, colors):
    dessin = Drawing(720, 200)
    graphique = VerticalBarChart()
    graphique.x, graphique.y, graphique.width, graphique.height = 40, 40, 660, 140
    graphique.data = [[m["accompagnements"] for m in contenu["serie"]["mois"]]]
    graphique.categoryAxis.categoryNames = [m[:3] + m[-2:] for m in contenu["mois"]]
    graphique.categoryAxis.labels.fontSize = 6
    graphique.valueAxis.labels.fontSize = 7
    graphique.valueAxis.valueMin = 0
    graphique.bars[0].fillColor = colors.HexColor("#00607a")
    dessin.add(graphique)
    return dessin
