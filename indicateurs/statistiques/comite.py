"""The officials' dashboard and the council report: the figures laid out from the snapshots.

Everything here reads the stored snapshots through :mod:`indicateurs.statistiques.calcul`
(``serie_mensuelle``, ``ventilation``): a fixed number of queries whatever the period.
Python only lays out the figures (tables, charts, exports). No personal data: advisors are
named (professionals), followed beneficiaries are only counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.text import capfirst

from commun import formats
from commun.exports import Pourcentage, Table, csv_des_tables, xlsx_des_tables
from commun.pdf import cadre_de_page, canevas_numerote, polices
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
    lignes_filtrees,
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
        "somme des participants de tous les comptes rendus\u00a0: 1 par accompagnement individuel "
        "ou demande ponctuelle, le nombre de participants pour un atelier collectif\u202f; "
        "«\u202fdont récurrents\u202f»\u00a0: participants déjà venus.",
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


def taux_de_variation(avant: int, apres: int) -> float | None:
    """The change in per cent, ``None`` when there was nothing before."""
    return 100 * (apres - avant) / avant if avant else None


def variation(avant: int, apres: int) -> str:
    taux = taux_de_variation(avant, apres)
    if taux is None:
        return "–"
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
            "taux": taux_de_variation(precedente[code], serie["total"][code]),
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


def _mois_decale(mois: dt.date, decalage: int) -> dt.date:
    rang = mois.year * 12 + mois.month - 1 + decalage
    return dt.date(rang // 12, rang % 12 + 1, 1)


def _evolution(avant: int, apres: int, libelle: str) -> dict:
    taux = taux_de_variation(avant, apres)
    if taux is None:  # nothing to compare with
        sens = "sans_comparaison"
    else:
        sens = "hausse" if taux > 0 else "baisse" if taux < 0 else "stable"
    return {"libelle": libelle, "avant": avant, "variation": variation(avant, apres), "sens": sens}


def chiffres_cles(user, filtres: Filtres) -> dict:
    """The figures of the period's last month against the month before and the same month a
    year before: three sums, whatever the period."""
    mois = filtres.au.replace(day=1)
    precedent = _mois_decale(mois, -1)
    un_an_avant = _mois_decale(mois, -12)

    # one aggregate over the thirteen months, each sum filtered on its month
    lignes = lignes_filtrees(user, dataclasses.replace(filtres, du=un_an_avant, au=mois))
    sommes = lignes.aggregate(
        **{
            f"{code}_{rang}": Sum(code, filter=Q(mois=debut))
            for rang, debut in enumerate((mois, precedent, un_an_avant))
            for code in CHIFFRES_CLES
        }
    )
    courant, avant, annee = (
        {code: int(sommes[f"{code}_{rang}"] or 0) for code in CHIFFRES_CLES} for rang in range(3)
    )
    libelle_precedent = libelle_mois(f"{precedent:%Y-%m}")
    libelle_annee = libelle_mois(f"{un_an_avant:%Y-%m}")
    return {
        "mois": libelle_mois(f"{mois:%Y-%m}"),
        "mois_precedent": libelle_precedent,
        "mois_un_an_avant": libelle_annee,
        "chiffres": [
            {
                "code": code,
                "libelle": libelle,
                "valeur": courant[code],
                "evolutions": [
                    _evolution(avant[code], courant[code], libelle_precedent),
                    _evolution(annee[code], courant[code], libelle_annee),
                ],
            }
            for code, libelle in TABLEAU_COMITE
            if code in CHIFFRES_CLES
        ],
    }


# the key figures shown first on the dashboard (the others stay in the committee's table)
CHIFFRES_CLES = (
    "personnes_accompagnees",
    "accompagnements",
    "ateliers",
    "participants_ateliers",
)


def donnees(user, filtres: Filtres) -> dict:
    serie = serie_mensuelle(user, filtres)
    precedente = totaux(user, periode_precedente(filtres))
    return {
        "chiffres_cles": chiffres_cles(user, filtres),
        "serie": serie,
        "mois": [libelle_mois(m["mois"]) for m in serie["mois"]],
        "comite": tableau_comite(serie),
        "comparaison": comparaison(serie, precedente),
        "periode_precedente": periode_precedente(filtres),
        "graphiques": graphiques(serie),
        "ventilations": ventilations(user, filtres),
        "temps_heures": serie["total"]["temps_total_heures"],
        "duree_minutes": serie["total"]["duree_minutes"],
        "beneficiaires": serie["total"]["beneficiaires_suivis"],
    }


# -- exports ------------------------------------------------------------------------------


# the XLSX sheet of a table whose title is longer than Excel's 31 characters
ONGLETS = {
    "Comparaison avec l'année précédente": "Comparaison sur un an",
    "Par commune où l'activité a eu lieu": "Par commune",
}


def tables_export(contenu: dict) -> list[Table]:
    """Every table of the report, shared by CSV, XLSX and PDF: numbers stay numbers, a
    change is a :class:`Pourcentage`, a missing value ``None``."""
    tables = [
        Table(
            "Tableau du comité",
            ["Indicateur", "Total de la période", "Moyenne mensuelle", *contenu["mois"]],
            [[r["libelle"], r["total"], r["moyenne"], *r["mois"]] for r in contenu["comite"]],
        ),
        Table(
            "Comparaison avec l'année précédente",
            ["Indicateur", "Même période un an avant", "Période", "Évolution"],
            [
                [
                    r["libelle"],
                    r["avant"],
                    r["apres"],
                    None if r["taux"] is None else Pourcentage(r["taux"], signe=True),
                ]
                for r in contenu["comparaison"]
            ],
            ONGLETS["Comparaison avec l'année précédente"],
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
                valeurs.append(ligne.indice)
            lignes.append(valeurs)
        tables.append(Table(ventil["titre"], entete, lignes, ONGLETS.get(ventil["titre"])))
    return tables


def en_csv(contenu: dict, titre: str) -> bytes:
    return csv_des_tables(tables_export(contenu), titre)


def en_xlsx(contenu: dict, titre: str) -> bytes:
    return xlsx_des_tables(tables_export(contenu), titre)


# -- the council report (PDF) ----------------------------------------------------------------

MOIS_ABREGES = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
MOIS_PAR_BLOC = 6  # the monthly table is cut into blocks of six months
LIGNES_PDF = 60  # rows of a breakdown in the PDF; the rest is in the CSV and XLSX
CM = 28.3465  # points
MARGE, HAUT, BAS = 1.5 * CM, 2.3 * CM, 1.8 * CM
COULEUR_ENTETE = "#e6f0f3"
REMPLISSAGE_MINIMUM = 0.4  # share of the last page's height below which another layout is tried


def _texte_pdf(valeur, decimales: int = 2) -> str:
    """A cell as a reader reads it: ``10 557``, ``2,72``, ``+4,0 %``, ``–`` for nothing."""
    if valeur is None or valeur == "":
        return "–"
    if isinstance(valeur, Pourcentage):
        return str(valeur)
    if isinstance(valeur, bool) or not isinstance(valeur, int | float):
        return str(valeur)
    if isinstance(valeur, float):
        return formats.nombre(valeur, decimales)
    return formats.nombre(valeur)


def libelle_court(mois: str) -> str:
    """``"2026-09"`` → ``"sept.\\n2026"`` (the chart's axis)."""
    annee, numero = mois.split("-")
    return f"{MOIS_ABREGES[int(numero) - 1]}\n{annee}"


class _MisePage:
    """Styles and builders of the report's flowables (reportlab imported on first use)."""

    def __init__(self):
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
        from reportlab.platypus import TableStyle

        self.p = p = polices()
        base = getSampleStyleSheet()

        def style(nom, parent, **options):
            return ParagraphStyle(nom, parent=base[parent], **options)

        self.styles = {
            "titre": style("titre", "Title", fontName=p.grasse, fontSize=17),
            "sous_titre": style("sous_titre", "Heading3", fontName=p.grasse, spaceBefore=0),
            "section": style("section", "Heading3", fontName=p.grasse, spaceBefore=4),
            "texte": style("texte", "Normal", fontName=p.normale, fontSize=9),
            "definition": style(
                "definition", "Normal", fontName=p.normale, fontSize=8, leading=9.8
            ),
            "note": style("note", "Normal", fontName=p.normale, fontSize=7.5, leading=9),
            "entete": style("entete", "Normal", fontName=p.grasse, fontSize=7.5, leading=9),
            "entete_chiffre": style(
                "entete_chiffre",
                "Normal",
                fontName=p.grasse,
                fontSize=7.5,
                leading=9,
                alignment=TA_RIGHT,
            ),
            "cellule": style("cellule", "Normal", fontName=p.normale, fontSize=8, leading=9.5),
        }
        self.style_table = TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), p.grasse, 7.5),
                ("FONT", (0, 1), (-1, -1), p.normale, 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(COULEUR_ENTETE)),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")]),
            ]
        )

    def para(self, texte: str, style: str, *, balises: bool = False):
        from reportlab.platypus import Paragraph

        texte = self.p.paragraphe(texte)
        return Paragraph(texte if balises else escape(texte), self.styles[style])

    def entetes(self, textes: list[str]) -> list:
        """Header cells: the first left, the figures' right, wrapped when long."""
        return [
            self.para(t, "entete_chiffre" if rang else "entete") for rang, t in enumerate(textes)
        ]

    def table(self, entete: list, lignes: list[list], largeurs: list[float]):
        from reportlab.platypus import Table as TablePdf

        def cellule(c):
            return c if not isinstance(c, str) else self.p.texte(c)

        return TablePdf(
            [[cellule(c) for c in ligne] for ligne in [entete, *lignes]],
            colWidths=largeurs,
            repeatRows=1,
            style=self.style_table,
            hAlign="LEFT",
        )


def _tableau_comite(m: _MisePage, comite: Table, largeur: float) -> list:
    """The committee's table in blocks of six months, the indicator repeated on each, the
    period's total and mean in the first."""
    from reportlab.platypus import KeepTogether, Spacer

    elements, titre = [], [m.para(comite.nom, "section")]
    col_indicateur, col_chiffre = 5.6 * CM, 2.2 * CM
    mois = comite.entete[3:]
    for rang, debut in enumerate(range(0, max(len(mois), 1), MOIS_PAR_BLOC)):
        bloc = slice(3 + debut, 3 + debut + MOIS_PAR_BLOC)
        entete = [comite.entete[0]] + [capfirst(x) for x in comite.entete[bloc]]
        lignes = [[ligne[0]] + [_texte_pdf(v) for v in ligne[bloc]] for ligne in comite.lignes]
        largeurs = [col_indicateur]
        if rang == 0:
            entete[1:1] = m.entetes(comite.entete[:3])[1:]
            for ligne, source in zip(lignes, comite.lignes, strict=True):
                ligne[1:1] = [_texte_pdf(source[1]), _texte_pdf(source[2])]
            largeurs += [col_chiffre, col_chiffre]
        reste = largeur - col_indicateur - (2 * col_chiffre if rang == 0 else 0)
        largeurs += [reste / MOIS_PAR_BLOC] * (len(entete) - len(largeurs))
        elements += [KeepTogether([*titre, m.table(entete, lignes, largeurs)])]
        elements.append(Spacer(1, 0.25 * CM))
        titre = []
    return elements


def _ventilation_pdf(m: _MisePage, table: Table, largeur: float) -> list:
    """A breakdown, split across pages when long (its header repeated), 60 rows at most."""
    from reportlab.platypus import CondPageBreak, Spacer

    # the figures' columns wide enough for "Accompagnements" on one line
    autres = max((largeur - 6 * CM) / (len(table.entete) - 1), 88)
    lignes = [
        [m.para(ligne[0], "cellule")] + [_texte_pdf(v) for v in ligne[1:]]
        for ligne in table.lignes[:LIGNES_PDF]
    ]
    elements = [
        CondPageBreak(4.5 * CM),  # the title with the header and a few rows, or a new page
        m.para(table.nom, "section"),
        m.table(
            m.entetes(table.entete),
            lignes,
            [largeur - autres * (len(table.entete) - 1)] + [autres] * (len(table.entete) - 1),
        ),
    ]
    if (reste := len(table.lignes) - LIGNES_PDF) > 0:
        pluriel = "s" if reste > 1 else ""
        elements.append(
            m.para(
                f"… et {formats.nombre(reste)} autre{pluriel} ligne{pluriel}\u00a0: voir les "
                "exports CSV et XLSX.",
                "note",
            )
        )
    return [*elements, Spacer(1, 0.25 * CM)]


def _histoire(
    m: _MisePage,
    contenu: dict,
    titre: str,
    territoire: str,
    periode: str,
    largeur: float,
    *,
    definitions_avant: bool,
) -> list:
    """The report's flowables; the definitions after the chart or at the very end."""
    from reportlab.platypus import KeepTogether, Spacer

    comite, comparaison, *ventilations_ = tables_export(contenu)
    elements = [
        m.para(titre, "titre"),
        m.para(f"Territoire\u00a0: {territoire} — période\u00a0: {periode}", "sous_titre"),
        m.para(
            f"Document généré le {formats.date_longue(timezone.localdate())} à partir des "
            "comptes rendus d'activité des conseillers et conseillères numériques.",
            "texte",
        ),
        Spacer(1, 0.3 * CM),
        *_tableau_comite(m, comite, largeur),
        KeepTogether(
            [
                m.para(comparaison.nom, "section"),
                m.table(
                    m.entetes(comparaison.entete),
                    [[ligne[0], *map(_texte_pdf, ligne[1:])] for ligne in comparaison.lignes],
                    [5.6 * CM, 4.5 * CM, 4.5 * CM, 3.5 * CM],
                ),
                Spacer(1, 0.25 * CM),
            ]
        ),
        KeepTogether(
            [
                m.para("Accompagnements par mois", "section"),
                _graphique_pdf(contenu, largeur, m.p),
                Spacer(1, 0.25 * CM),
            ]
        ),
    ]
    ventilations_pdf = [
        e for t in ventilations_ if t.lignes for e in _ventilation_pdf(m, t, largeur)
    ]
    definitions = [m.para("Définitions", "section")] + [
        m.para(f"<b>{escape(terme)}</b>\u00a0: {escape(texte)}", "definition", balises=True)
        for terme, texte in DEFINITIONS
    ]
    if definitions_avant:
        return [*elements, KeepTogether(definitions), Spacer(1, 0.25 * CM), *ventilations_pdf]
    return [*elements, *ventilations_pdf, KeepTogether(definitions)]


def en_pdf(contenu: dict, titre: str, territoire: str, periode: str) -> bytes:
    """The report to annex to a council deliberation: A4 landscape, the monthly table in
    blocks of six months (any period fits the width), the comparison, the chart, the
    breakdowns and the definitions; each page with the territory's name (and logo when
    reportlab can draw it) and « page 2 sur 5 ». When the definitions at the end would
    leave a last page mostly empty, they go after the chart if that does better."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    class Document(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            cadre = self.frame  # how far down the page the last flowable ends
            if cadre is not None:
                self.remplissage = (cadre._y2 - cadre._y) / (cadre._y2 - cadre._y1)

    m = _MisePage()
    page = landscape(A4)
    largeur = page[0] - 2 * MARGE
    pied = f"{titre} — {territoire} — {periode}"

    def construire(definitions_avant: bool) -> tuple[bytes, int, float]:
        sortie = io.BytesIO()
        document = Document(
            sortie,
            pagesize=page,
            title=pied,
            author=settings.PORTAIL_NOM,
            leftMargin=MARGE,
            rightMargin=MARGE,
            topMargin=HAUT,
            bottomMargin=BAS,
        )
        histoire = _histoire(
            m, contenu, titre, territoire, periode, largeur, definitions_avant=definitions_avant
        )
        cadre = cadre_de_page(pied, marge=MARGE, haut=HAUT, bas=BAS)
        document.build(histoire, canvasmaker=canevas_numerote(cadre))
        return sortie.getvalue(), document.page, document.remplissage

    pdf, pages, remplissage = construire(definitions_avant=False)
    if pages > 1 and remplissage < REMPLISSAGE_MINIMUM:
        autre, autres_pages, autre_remplissage = construire(definitions_avant=True)
        if (autres_pages, -autre_remplissage) < (pages, -remplissage):
            return autre
    return pdf


def _graphique_pdf(contenu: dict, largeur: float, p):
    """Bars of the accompaniments per month: a titled value axis, a label per month
    (« sept. 2026 »; one in two or more past three years), the value on each bar."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, Group, String
    from reportlab.lib import colors

    mois = contenu["serie"]["mois"]
    valeurs = [m["accompagnements"] for m in mois]
    dessin = Drawing(largeur, 190)
    graphique = VerticalBarChart()
    graphique.x, graphique.y = 55, 32
    # bars no wider than about 40 points when there are few months
    graphique.width, graphique.height = min(largeur - 70, max(len(mois), 6) * 60), 145
    graphique.data = [valeurs or [0]]
    pas = max(1, math.ceil(len(mois) / 36))
    graphique.categoryAxis.categoryNames = [
        libelle_court(m["mois"]) if rang % pas == 0 else "" for rang, m in enumerate(mois)
    ] or [""]
    graphique.categoryAxis.labels.fontName = p.normale
    graphique.categoryAxis.labels.fontSize = 6.5 if len(mois) > 12 else 7.5
    graphique.categoryAxis.labels.boxAnchor = "n"
    graphique.categoryAxis.labels.dy = -3
    axe = graphique.valueAxis
    axe.labels.fontName = p.normale
    axe.labels.fontSize = 7
    axe.valueMin = 0
    if max(valeurs, default=0) < 5:
        axe.valueMax, axe.valueStep = 5, 1
    axe.labelTextFormat = lambda v: p.texte(formats.nombre(round(v)))
    axe.visibleGrid = True
    axe.gridStrokeColor = colors.HexColor("#dddddd")
    axe.gridStrokeWidth = 0.4
    graphique.bars[0].fillColor = colors.HexColor(settings.PORTAIL_COULEUR)
    graphique.bars[0].strokeColor = None
    if len(mois) <= 24:
        graphique.barLabelFormat = lambda v: p.texte(formats.nombre(v)) if v else ""
        graphique.barLabels.fontName = p.normale
        graphique.barLabels.fontSize = 6.5
        graphique.barLabels.nudge = 6
    dessin.add(graphique)
    titre_axe = String(
        0, 0, "Accompagnements", fontName=p.normale, fontSize=7.5, textAnchor="middle"
    )
    # turned a quarter left, along the value axis
    dessin.add(Group(titre_axe, transform=(0, 1, -1, 0, 12, graphique.y + graphique.height / 2)))
    return dessin
