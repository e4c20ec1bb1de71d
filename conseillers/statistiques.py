"""An advisor's own figures over a period, and the bar charts that show them (SVG, server-side).

Every figure comes from :meth:`conseillers.models.ActiviteQuerySet.chiffres` or from a
filtered count in the database; Python only lays the results out (months, labels, shares).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from commun.formats import MOIS

from .enums import CHAMPS_AGE, CHAMPS_STATUT, Canal, Thematique

TRANCHES_DUREE = [
    ("moins_30", "moins de 30 min", Q(duree_minutes__lt=30)),
    ("de_30_a_60", "de 30 min à moins d'1 h", Q(duree_minutes__gte=30, duree_minutes__lt=60)),
    ("de_60_a_120", "de 1 h à moins de 2 h", Q(duree_minutes__gte=60, duree_minutes__lt=120)),
    ("120_plus", "2 h et plus", Q(duree_minutes__gte=120)),
]

DEFINITIONS = [
    (
        "Personnes accompagnées",
        "participants de toutes les activités, moins ceux déjà venus\u00a0: chaque personne n'est "
        "comptée qu'à sa première venue.",
    ),
    (
        "Accompagnements",
        "somme des participants de toutes les activités (une personne venue trois fois compte "
        "trois accompagnements)\u202f; « dont récurrents »\u00a0: participants déjà accompagnés.",
    ),
    (
        "Ateliers",
        "nombre d'ateliers collectifs\u202f; participants\u00a0: somme de leurs participants.",
    ),
    (
        "Accompagnements individuels, demandes ponctuelles",
        "nombre de comptes rendus de chacun de ces types (une personne chacun).",
    ),
    ("Temps passé", "somme des durées déclarées des activités."),
    (
        "Bénéficiaires suivis",
        "personnes distinctes qui ont accepté un suivi et sont liées à une activité de la période.",
    ),
    (
        "Âges et statuts",
        "part des participants, sur la somme des participants de la période\u202f; la répartition "
        "étant facultative, la part « non renseigné » complète à 100 %.",
    ),
]


def nombre(valeur: int) -> str:
    """``12345`` → ``"12 345"`` (narrow no-break space, French typography)."""
    return f"{valeur:,}".replace(",", "\u202f")


def pourcentage(part: int, total: int) -> str:
    """One decimal, French style: ``"12,5 %"``; ``"–"`` when there is nothing to share."""
    if not total:
        return "–"
    return f"{100 * part / total:.1f}".replace(".", ",") + "\u00a0%"


def duree(minutes: int) -> str:
    heures, reste = divmod(minutes, 60)
    if not heures:
        return f"{reste} min"
    return f"{nombre(heures)} h {reste:02d}" if reste else f"{nombre(heures)} h"


# -- charts -----------------------------------------------------------------------------

LARGEUR = 640
MARGE_GAUCHE = 8
LARGEUR_BARRES = 520
HAUTEUR_LIGNE = 40


@dataclass
class Barre:
    libelle: str
    valeur: int
    texte: str
    # the other columns of the data table (e.g. a share, the participants)
    colonnes: list[str] = field(default_factory=list)
    largeur: float = 0.0
    y: int = 0


@dataclass
class Graphique:
    identifiant: str
    titre: str
    colonne_valeur: str
    barres: list[Barre]
    autres_colonnes: list[str] = field(default_factory=list)
    hauteur: int = 0
    largeur: int = LARGEUR

    def __post_init__(self):
        maximum = max((b.valeur for b in self.barres), default=0)
        for rang, barre in enumerate(self.barres):
            barre.largeur = round(LARGEUR_BARRES * barre.valeur / maximum, 1) if maximum else 0
            barre.y = rang * HAUTEUR_LIGNE
        self.hauteur = max(len(self.barres) * HAUTEUR_LIGNE, HAUTEUR_LIGNE)

    @property
    def vide(self) -> bool:
        return not any(b.valeur for b in self.barres)


# -- the figures ------------------------------------------------------------------------


def _mois_de_la_periode(du: dt.date, au: dt.date) -> list[tuple[int, int]]:
    mois, courant = [], (du.year, du.month)
    while courant <= (au.year, au.month):
        mois.append(courant)
        annee, numero = courant
        courant = (annee + numero // 12, numero % 12 + 1)
    return mois


# the short name of each chart's tab on the statistics page
ONGLETS = {
    "mois": "Par mois",
    "thematiques": "Thématiques",
    "canaux": "Lieux",
    "durees": "Durées",
    "ages": "Âges",
    "statuts": "Statuts",
}


def statistiques(activites, *, du: dt.date, au: dt.date) -> dict:
    """The advisor's page: totals, and the charts per month, theme, channel, duration band,
    age and status. Five queries whatever the number of reports."""
    activites = activites.entre(du, au)
    totaux = activites.chiffres(thematiques=True)  # two queries (with followed beneficiaries)
    par_mois = {
        (ligne["date__year"], ligne["date__month"]): ligne
        for ligne in activites.chiffres("date__year", "date__month")
    }
    par_canal = {ligne["canal"]: ligne for ligne in activites.chiffres("canal")}
    durees = activites.order_by().aggregate(
        **{code: Count("pk", filter=filtre) for code, _libelle, filtre in TRANCHES_DUREE}
    )

    participants = totaux["accompagnements"]
    nb_activites = totaux["activites"]

    mois = []
    for annee, numero in _mois_de_la_periode(du, au):
        ligne = par_mois.get((annee, numero), {})
        valeur = ligne.get("accompagnements", 0)
        mois.append(
            Barre(
                libelle=f"{MOIS[numero - 1]} {annee}",
                valeur=valeur,
                texte=nombre(valeur),
                colonnes=[nombre(ligne.get("activites", 0)), nombre(ligne.get("ateliers", 0))],
            )
        )

    themes = sorted(
        (
            Barre(
                libelle=t.label,
                valeur=totaux[f"thematique_{t.value}"],
                texte=nombre(totaux[f"thematique_{t.value}"]),
                colonnes=[
                    pourcentage(totaux[f"thematique_{t.value}"], nb_activites),
                    nombre(totaux[f"participants_{t.value}"]),
                ],
            )
            for t in Thematique
            if totaux[f"thematique_{t.value}"]
        ),
        key=lambda b: -b.valeur,
    )

    canaux = []
    for canal in Canal:
        ligne = par_canal.get(canal.value, {})
        valeur = ligne.get("activites", 0)
        canaux.append(
            Barre(
                libelle=canal.label,
                valeur=valeur,
                texte=nombre(valeur),
                colonnes=[
                    pourcentage(valeur, nb_activites),
                    nombre(ligne.get("accompagnements", 0)),
                ],
            )
        )

    tranches = [
        Barre(
            libelle=libelle,
            valeur=durees[code],
            texte=nombre(durees[code]),
            colonnes=[pourcentage(durees[code], nb_activites)],
        )
        for code, libelle, _filtre in TRANCHES_DUREE
    ]

    def repartition(champs: dict) -> list[Barre]:
        barres = [
            Barre(
                libelle=choix.label,
                valeur=totaux[nom],
                texte=pourcentage(totaux[nom], participants),
                colonnes=[nombre(totaux[nom])],
            )
            for nom, choix in champs.items()
        ]
        inconnus = participants - sum(b.valeur for b in barres)
        barres.append(
            Barre(
                libelle="non renseigné",
                valeur=inconnus,
                texte=pourcentage(inconnus, participants),
                colonnes=[nombre(inconnus)],
            )
        )
        return barres

    graphiques = [
        Graphique(
            "mois",
            "Accompagnements par mois",
            "Accompagnements",
            mois,
            ["Activités", "Ateliers"],
        ),
        Graphique(
            "thematiques",
            "Activités par thématique",
            "Activités",
            themes,
            ["Part des activités", "Participants"],
        ),
        Graphique(
            "canaux",
            "Activités par lieu d'intervention",
            "Activités",
            canaux,
            ["Part des activités", "Accompagnements"],
        ),
        Graphique("durees", "Activités par durée", "Activités", tranches, ["Part des activités"]),
        Graphique(
            "ages",
            "Âge des participants",
            "Part des participants",
            repartition(CHAMPS_AGE),
            ["Participants"],
        ),
        Graphique(
            "statuts",
            "Statut des participants",
            "Part des participants",
            repartition(CHAMPS_STATUT),
            ["Participants"],
        ),
    ]
    chiffres_cles = [
        (
            "personnes-accompagnees",
            "Personnes accompagnées",
            nombre(totaux["personnes_accompagnees"]),
        ),
        (
            "accompagnements",
            "Accompagnements",
            f"{nombre(totaux['accompagnements'])} (dont "
            f"{nombre(totaux['accompagnements_recurrents'])} récurrents)",
        ),
        ("ateliers", "Ateliers", nombre(totaux["ateliers"])),
        (
            "participants-ateliers",
            "Participants aux ateliers",
            nombre(totaux["participants_ateliers"]),
        ),
        (
            "accompagnements-individuels",
            "Accompagnements individuels",
            nombre(totaux["accompagnements_individuels"]),
        ),
        ("demandes-ponctuelles", "Demandes ponctuelles", nombre(totaux["demandes_ponctuelles"])),
        ("temps", "Temps passé", duree(totaux["duree_minutes"])),
        ("beneficiaires-suivis", "Bénéficiaires suivis", nombre(totaux["beneficiaires_suivis"])),
    ]
    return {
        "totaux": totaux,
        "chiffres_cles": chiffres_cles,
        "graphiques": graphiques,
        "onglets": [(g, ONGLETS.get(g.identifiant, g.titre)) for g in graphiques],
        "definitions": DEFINITIONS,
    }
