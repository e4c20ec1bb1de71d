"""Monthly statistics for the steering committee: computing and reading the snapshots.

**Computing** (:func:`calculer_mois`): one SQL ``GROUP BY`` over the month's reports at the
finest grain (advisor × commune of the activity × district), through the one aggregation
of the project (``ActiviteQuerySet.chiffres``); pandas rolls it up to the five axes of
:class:`~indicateurs.statistiques.models.AxeStatistique`; one query reads the month's
distinct pairs of (keys of the grain, followed beneficiary), which pandas counts per axis
(they do not add up). The month's rows are then replaced in one transaction. On PostgreSQL
an advisory lock per month serialises two runs of the same month: the second waits, then
replaces the first one's rows, so exactly one set remains.

**Late entries**: reports may be entered or corrected after the month is computed.
:func:`reprendre_saisies_tardives` (Celery beat, every 15 minutes) finds the reports
modified since its previous run (index on ``modifie_le``) and recomputes their months, for
the advisors' communes concerned only.

**Reading** (:func:`serie_mensuelle`): sums of the stored rows, never of the reports.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from comptes.enums import Role
from conseillers.enums import CHAMPS_AGE, CHAMPS_STATUT
from conseillers.models import Activite
from indicateurs.territoire import CalculImpossible, Territoire, territoire_de_reference

from .models import (
    NOMS_CHIFFRES,
    AxeStatistique,
    CalculStatistiques,
    MotifCalcul,
    StatistiqueMensuelle,
)

LOT = 5000
# the six rows of the committee's table, in its order (name, label)
TABLEAU_COMITE = (
    ("personnes_accompagnees", "Personnes accompagnées"),
    ("accompagnements", "Accompagnements"),
    ("accompagnements_recurrents", "dont accompagnements récurrents"),
    ("ateliers", "Ateliers réalisés"),
    ("participants_ateliers", "Participants aux ateliers"),
    ("accompagnements_individuels", "Accompagnements individuels"),
    ("demandes_ponctuelles", "Demandes ponctuelles"),
)
CODES_COMITE = tuple(code for code, _ in TABLEAU_COMITE)
# the grain of the one GROUP BY, and the key of each axis within it
_GRAIN = {
    "conseiller": "conseiller",
    "conseiller__commune": "territoire",
    "conseiller__structure": "structure",
    "commune": "commune_activite",
    "zone": "zone",
}
_AXES = {
    AxeStatistique.TERRITOIRE: ("territoire",),
    AxeStatistique.STRUCTURE: ("territoire", "structure"),
    AxeStatistique.CONSEILLER: ("territoire", "structure", "conseiller"),
    AxeStatistique.COMMUNE: ("territoire", "commune_activite"),
    AxeStatistique.ZONE: ("territoire", "zone"),
}
_CLE = {
    AxeStatistique.TERRITOIRE: None,
    AxeStatistique.STRUCTURE: "structure",
    AxeStatistique.CONSEILLER: "conseiller",
    AxeStatistique.COMMUNE: "commune_activite",
    AxeStatistique.ZONE: "zone",
}
_CHEMINS_BENEFICIAIRES = {
    "territoire": "activite__conseiller__commune",
    "structure": "activite__conseiller__structure",
    "conseiller": "activite__conseiller",
    "commune_activite": "activite__commune",
    "zone": "activite__zone",
}
_VERROU = 7_202_611  # first key of the PostgreSQL advisory lock of a month's computation
MARGE_REPRISE = dt.timedelta(minutes=5)
PREMIER_MOIS = dt.date(2020, 1, 1)
MOIS_MAXIMUM = 120


# -- months -------------------------------------------------------------------------------


def premier_jour(jour: dt.date) -> dt.date:
    return jour.replace(day=1)


def mois_suivant(mois: dt.date) -> dt.date:
    return (mois.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def mois_precedent(mois: dt.date) -> dt.date:
    return (mois.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def liste_mois(du: dt.date, au: dt.date) -> list[dt.date]:
    mois, resultat = premier_jour(du), []
    while mois <= au:
        resultat.append(mois)
        mois = mois_suivant(mois)
    return resultat


def lire_mois(texte: str, nom: str = "mois") -> dt.date:
    """``2026-03`` → 1 March 2026; a French message otherwise."""
    texte = (texte or "").strip()
    correspondance = re.fullmatch(r"(\d{4})-(\d{2})", texte)
    if not correspondance or not 1 <= int(correspondance[2]) <= 12:
        raise ValueError(
            f"{nom} « {texte} » invalide\u00a0: format attendu AAAA-MM, par exemple 2026-03."
        )
    mois = dt.date(int(correspondance[1]), int(correspondance[2]), 1)
    if mois < PREMIER_MOIS:
        raise ValueError(
            f"{nom} « {texte} » invalide\u00a0: les comptes rendus commencent en 2020."
        )
    return mois


def dernier_mois_clos(aujourd_hui: dt.date | None = None) -> dt.date:
    return mois_precedent(aujourd_hui or timezone.localdate())


# -- computing --------------------------------------------------------------------------


@dataclass
class RapportCalcul:
    mois: list[dt.date]
    lignes: int
    activites: int
    duree: float

    def resume(self) -> str:
        periode = (
            f"{self.mois[0]:%m/%Y}"
            if len(self.mois) == 1
            else f"{self.mois[0]:%m/%Y} à {self.mois[-1]:%m/%Y}"
        )
        return (
            f"Statistiques calculées pour {len(self.mois)} mois ({periode})\u00a0: "
            f"{_nombre(self.activites)} activités lues, {_nombre(self.lignes)} lignes écrites "
            f"en {self.duree:.1f} s."
        )


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _verrouiller(mois: dt.date) -> None:
    """Serialise the computations of one month (PostgreSQL; SQLite locks the whole file)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as curseur:
            curseur.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [_VERROU, mois.year * 100 + mois.month]
            )


def _grain(activites) -> pd.DataFrame:
    """The month's figures at the finest grain: one SQL GROUP BY, one row per group.

    The query is the ORM's (``ActiviteQuerySet.requete_chiffres``, the same aggregates as
    everywhere else); its rows are read raw, without the ORM's per-value converters, which
    cost a fifth of the computation on 100 columns, and the frame is built from one integer
    array: pandas infers no type, column by column."""
    mesures = activites.mesures_chiffres(thematiques=True, repartitions=True)
    sql, parametres = activites.requete_chiffres(*_GRAIN, **mesures).query.sql_with_params()
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)
        lignes = curseur.fetchall()
    colonnes = [*_GRAIN.values(), *NOMS_CHIFFRES]
    if not lignes:
        return pd.DataFrame(columns=colonnes)
    nombres = list(mesures)
    cadre = pd.DataFrame(
        np.array([ligne[len(_GRAIN) :] for ligne in lignes], dtype=np.int64), columns=nombres
    )
    for rang, cle in enumerate(_GRAIN.values()):
        # keys as text, "" when absent: no NaN in groups
        cadre[cle] = [_cle(ligne[rang]) for ligne in lignes]
    cadre["personnes_accompagnees"] = 0  # computed after the roll-up
    cadre["beneficiaires_suivis"] = 0
    return cadre[colonnes]


def _liens_suivis(activites) -> pd.DataFrame:
    """The month's distinct (keys of the grain, followed beneficiary) pairs, in one query:
    few reports name a followed beneficiary, and each axis counts its distinct ones."""
    liens = Activite.beneficiaires.through.objects.filter(activite__in=activites.values("pk"))
    chemins = [*_CHEMINS_BENEFICIAIRES.values(), "beneficiaire"]
    lignes = list(liens.values_list(*chemins).distinct().order_by())
    cadre = pd.DataFrame.from_records(
        lignes, columns=[*_CHEMINS_BENEFICIAIRES, "beneficiaire"], coerce_float=False
    )
    for cle in _CHEMINS_BENEFICIAIRES:
        cadre[cle] = [_cle(v) for v in cadre[cle]]
    return cadre


def _beneficiaires(liens: pd.DataFrame, cles: tuple[str, ...]) -> pd.DataFrame:
    """Distinct followed beneficiaries per group of ``cles`` (they do not add up)."""
    return (
        liens.groupby(list(cles), sort=False)["beneficiaire"]
        .nunique()
        .rename("beneficiaires_suivis")
        .reset_index()
    )


def _cle(valeur) -> str:
    if valeur is None or (isinstance(valeur, float) and pd.isna(valeur)):
        return ""
    if isinstance(valeur, float):
        return str(int(valeur))
    return str(valeur)


# the stored columns, in the order of the tuples written (COPY) or of the model's kwargs
COLONNES = [
    "mois",
    "axe",
    "commune_id",
    "cle",
    "structure_id",
    "conseiller_id",
    "commune_activite_id",
    "zone_id",
    "calcule_le",
    *NOMS_CHIFFRES,
]


def _lignes_d_un_axe(grain: pd.DataFrame, liens: pd.DataFrame, axe: str) -> list[tuple]:
    """The rows of one axis as tuples of :data:`COLONNES` (``mois`` and ``calcule_le`` left
    as ``None``, filled by the writer)."""
    if grain.empty:
        return []
    cles = _AXES[axe]
    chiffres = [n for n in NOMS_CHIFFRES if n != "beneficiaires_suivis"]
    cadre = grain.groupby(list(cles), sort=False)[chiffres].sum().reset_index()
    beneficiaires = _beneficiaires(liens, cles)
    if not beneficiaires.empty:
        cadre = cadre.merge(beneficiaires, on=list(cles), how="left")
        cadre["beneficiaires_suivis"] = cadre["beneficiaires_suivis"].fillna(0)
    else:
        cadre["beneficiaires_suivis"] = 0
    cadre["personnes_accompagnees"] = cadre["accompagnements"] - cadre["accompagnements_recurrents"]
    n = len(cadre)
    attribut_cle = _CLE[axe]
    cle = cadre[attribut_cle].tolist() if attribut_cle else [""] * n
    aucun = [None] * n

    def identifiants(valeurs) -> list:
        return [int(v) if v else None for v in valeurs]

    colonnes = {
        "mois": aucun,
        "axe": [axe] * n,
        "commune_id": cadre["territoire"].tolist(),
        "cle": cle,
        "structure_id": identifiants(cadre["structure"]) if "structure" in cadre else aucun,
        "conseiller_id": identifiants(cle) if axe == AxeStatistique.CONSEILLER else aucun,
        "commune_activite_id": [v or None for v in cle] if axe == AxeStatistique.COMMUNE else aucun,
        "zone_id": identifiants(cle) if axe == AxeStatistique.ZONE else aucun,
        "calcule_le": aucun,
    }
    chiffres = cadre[NOMS_CHIFFRES].astype("int64").to_numpy().tolist()
    cles = zip(*[colonnes[c] for c in COLONNES[:9]], strict=True)
    return [(*cle, *valeurs) for cle, valeurs in zip(cles, chiffres, strict=True)]


def _ecrire(lignes: list[tuple], mois: dt.date, maintenant) -> None:
    """Insert the rows: ``COPY`` on PostgreSQL (100 columns × thousands of rows would cost
    seconds through ``bulk_create``), ``bulk_create`` elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(StatistiqueMensuelle._meta.db_table)
        colonnes = ", ".join(
            connection.ops.quote_name(StatistiqueMensuelle._meta.get_field(c).column)
            for c in COLONNES
        )
        with (
            connection.cursor() as curseur,
            curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie,
        ):
            for ligne in lignes:
                copie.write_row((mois, *ligne[1:8], maintenant, *ligne[9:]))
        return
    objets = []
    for ligne in lignes:
        valeurs = dict(zip(COLONNES, ligne, strict=True))
        valeurs.update(mois=mois, calcule_le=maintenant)
        objets.append(StatistiqueMensuelle(**valeurs))
    StatistiqueMensuelle.objects.bulk_create(objets, batch_size=LOT)


def calculer_mois(
    mois: dt.date,
    territoire: Territoire | None = None,
    *,
    communes: list[str] | None = None,
    motif: str = MotifCalcul.MANUEL,
    tache: str = "",
) -> CalculStatistiques:
    """Compute and store one month's snapshots: all territories, one territory, or the
    advisors of some communes. Replaces the month's rows for that scope; all or nothing."""
    mois = premier_jour(mois)
    debut = time.perf_counter()
    demarre = timezone.now()
    with transaction.atomic():
        _verrouiller(mois)
        maintenant = timezone.now()
        activites = (
            Activite.objects.tous().visibles().filter(date__gte=mois, date__lt=mois_suivant(mois))
        )
        anciennes = StatistiqueMensuelle.objects.tous().filter(mois=mois)
        if territoire is not None:
            activites = activites.filter(territoire.q("conseiller__commune"))
            anciennes = anciennes.filter(territoire.q("commune"))
        if communes is not None:
            activites = activites.filter(conseiller__commune__in=communes)
            anciennes = anciennes.filter(commune__in=communes)
        grain = _grain(activites)
        liens = _liens_suivis(activites) if len(grain) else None
        lignes = []
        for axe in AxeStatistique.values:
            lignes += _lignes_d_un_axe(grain, liens, axe)
        anciennes.delete()
        _ecrire(lignes, mois, maintenant)
        return CalculStatistiques.objects.create(
            mois=mois,
            territoire=territoire.code if territoire else "",
            communes=len(communes) if communes is not None else 0,
            motif=motif,
            debut=demarre,
            duree_secondes=round(time.perf_counter() - debut, 3),
            lignes=len(lignes),
            activites=int(grain["activites"].sum()) if len(grain) else 0,
            tache=tache[:100],
        )


def calculer_periode(
    du: dt.date,
    au: dt.date | None = None,
    territoire: str | None = None,
    *,
    motif: str = MotifCalcul.MANUEL,
    tache: str = "",
) -> RapportCalcul:
    """Compute every month from ``du`` to ``au`` (each month in its own transaction)."""
    au = au or du
    if au < du:
        raise CalculImpossible("Le mois de fin précède le mois de début.")
    if len(liste_mois(du, au)) > MOIS_MAXIMUM:
        raise CalculImpossible(f"Période trop longue\u00a0: {MOIS_MAXIMUM} mois au plus.")
    reference = territoire_de_reference(territoire) if territoire else None
    debut = time.perf_counter()
    lignes = activites = 0
    mois = liste_mois(du, au)
    for un_mois in mois:
        calcul = calculer_mois(un_mois, reference, motif=motif, tache=tache)
        lignes += calcul.lignes
        activites += calcul.activites
    return RapportCalcul(mois, lignes, activites, time.perf_counter() - debut)


def mois_modifies_depuis(depuis, avant: dt.date) -> dict[dt.date, list[str]]:
    """Months before ``avant`` whose reports changed after ``depuis``, with the advisors'
    communes concerned."""
    lignes = (
        Activite.objects.tous()
        .filter(modifie_le__gt=depuis, date__lt=avant)
        .annotate(mois=TruncMonth("date"))
        .values_list("mois", "conseiller__commune")
        .distinct()
        .order_by()
    )
    resultat: dict[dt.date, list[str]] = {}
    for mois, commune in lignes:
        mois = mois.date() if isinstance(mois, dt.datetime) else mois
        resultat.setdefault(mois, []).append(commune)
    return {m: sorted(c) for m, c in sorted(resultat.items())}


def reprendre_saisies_tardives(*, tache: str = "") -> list[CalculStatistiques]:
    """Recompute the closed months whose reports changed since the previous run."""
    precedente = (
        CalculStatistiques.objects.filter(motif=MotifCalcul.REPRISE).aggregate(Max("debut"))[
            "debut__max"
        ]
        or CalculStatistiques.objects.aggregate(Max("debut"))["debut__max"]
    )
    if precedente is None:
        return []  # nothing was ever computed: the monthly run will do it
    debut = timezone.now()
    depuis = precedente - MARGE_REPRISE
    calculs = []
    for mois, communes in mois_modifies_depuis(depuis, premier_jour(timezone.localdate())).items():
        calculs.append(
            calculer_mois(mois, communes=communes, motif=MotifCalcul.REPRISE, tache=tache)
        )
    if not calculs:
        # nothing changed: one trace row, moved forward, so that the next run starts from now
        trace, _ = CalculStatistiques.objects.update_or_create(
            motif=MotifCalcul.REPRISE,
            lignes=0,
            communes=0,
            defaults={"mois": dernier_mois_clos(), "debut": debut, "tache": tache[:100]},
        )
        calculs.append(trace)
    return calculs


def rattraper_mois_ecoule(*, maintenant=None, tache: str = "") -> CalculStatistiques | None:
    """The month just closed, computed for every territory when its monthly run did not
    happen (broker or worker down on the 1st at 3:15): run every hour, it does nothing once
    the month has its computation, and nothing before the scheduled run had its chance."""
    maintenant = timezone.localtime(maintenant or timezone.now())
    if maintenant.day == 1 and maintenant.hour < 4:
        return None
    mois = dernier_mois_clos(maintenant.date())
    fait = CalculStatistiques.objects.filter(
        mois=mois, territoire="", motif__in=[MotifCalcul.MENSUEL, MotifCalcul.MANUEL]
    ).exists()
    if fait:
        return None
    return calculer_mois(mois, motif=MotifCalcul.MENSUEL, tache=tache)


# -- reading ------------------------------------------------------------------------------


def statistiques_visibles(user):
    """The snapshot rows ``user`` may read, and the axis it reads by default.

    Staff: every row. Coordinators and élus: their territories. A structure referent: its
    structures' figures, not each of their advisors' (an advisor's own figures are read by
    the advisor and the territory's coordination: docs/securite.md, "Décisions"). An
    advisor: its own figures.
    """
    lignes = StatistiqueMensuelle.objects
    if not (user and user.is_authenticated and user.is_active):
        return lignes.none()
    if user.is_staff or user.is_superuser:
        return lignes.tous()
    if user.role in (Role.COORDINATEUR, Role.ELU):
        return lignes.pour(user)
    if user.role == Role.REFERENT:
        return (
            lignes.tous().filter(structure__referents=user).exclude(axe=AxeStatistique.CONSEILLER)
        )
    if user.role == Role.CONSEILLER:
        return lignes.tous().filter(conseiller__user=user)
    return lignes.none()


def axe_par_defaut(user) -> str:
    if user.is_authenticated and not user.is_staff:
        if user.role == Role.REFERENT:
            return AxeStatistique.STRUCTURE
        if user.role == Role.CONSEILLER:
            return AxeStatistique.CONSEILLER
    return AxeStatistique.TERRITOIRE


@dataclass(frozen=True)
class Filtres:
    du: dt.date
    au: dt.date
    territoire: Territoire | None = None
    structure: int | None = None
    conseiller: int | None = None

    @property
    def mois(self) -> list[dt.date]:
        return liste_mois(self.du, self.au)


def lire_filtres(parametres, *, defaut_mois: int = 12) -> Filtres:
    """Period and filters from a query string; ``ValueError`` with a French message."""
    au = lire_mois(parametres["au"], "au") if parametres.get("au") else dernier_mois_clos()
    if parametres.get("du"):
        du = lire_mois(parametres["du"], "du")
    else:
        du = au
        for _ in range(defaut_mois - 1):
            du = mois_precedent(du)
    if du > au:
        raise ValueError("La période est inversée\u00a0: « du » doit précéder « au ».")
    if len(liste_mois(du, au)) > MOIS_MAXIMUM:
        raise ValueError(f"Période trop longue\u00a0: {MOIS_MAXIMUM} mois au plus.")
    territoire = None
    if code := (parametres.get("territoire") or "").strip():
        try:
            territoire = territoire_de_reference(code)
        except CalculImpossible as erreur:
            raise ValueError(str(erreur).replace("de référence ", "")) from erreur
    entiers = {}
    for nom in ("structure", "conseiller"):
        valeur = (parametres.get(nom) or "").strip()
        if valeur and not valeur.isdigit():
            raise ValueError(f"{nom} « {valeur} » invalide\u00a0: identifiant numérique attendu.")
        entiers[nom] = int(valeur) if valeur else None
    return Filtres(du, au, territoire, **entiers)


def lignes_filtrees(user, filtres: Filtres, axe: str | None = None, *, visibles=None):
    """The rows of one axis for the filters, within what ``user`` may read (or within
    ``visibles``: the rows a publication opens to the public, ``donnees.statistiques``)."""
    lignes = (statistiques_visibles(user) if visibles is None else visibles).entre(
        filtres.du, filtres.au
    )
    if axe is None:
        if filtres.conseiller:
            axe = AxeStatistique.CONSEILLER
        elif filtres.structure:
            axe = AxeStatistique.STRUCTURE
        else:
            axe = axe_par_defaut(user)
    lignes = lignes.filter(axe=axe)
    if filtres.territoire is not None:
        lignes = lignes.filter(filtres.territoire.q("commune"))
    if filtres.structure:
        lignes = lignes.filter(structure_id=filtres.structure)
    if filtres.conseiller:
        if axe != AxeStatistique.CONSEILLER:
            return lignes.none()
        lignes = lignes.filter(conseiller_id=filtres.conseiller)
    return lignes


def _sommes(noms=NOMS_CHIFFRES):
    return {n: Sum(n) for n in noms}


def _vide() -> dict[str, int]:
    return dict.fromkeys(NOMS_CHIFFRES, 0)


def _arrondi(valeur: Decimal, decimales: int = 0) -> float | int:
    pas = Decimal(1).scaleb(-decimales)
    arrondi = valeur.quantize(pas, rounding=ROUND_HALF_UP)
    return int(arrondi) if decimales == 0 else float(arrondi)


def pourcentages(chiffres: dict) -> dict[str, float | None]:
    """Ages and statuses as % of participants (one decimal); "non renseigné" for the rest."""
    total = chiffres["accompagnements"]
    resultat = {}
    for groupe, champs in (("age", CHAMPS_AGE), ("statut", CHAMPS_STATUT)):
        renseignes = 0
        for champ in champs:
            renseignes += chiffres[champ]
            resultat[champ] = _arrondi(Decimal(100 * chiffres[champ]) / total, 1) if total else None
        reste = total - renseignes
        resultat[f"{groupe}_non_renseigne"] = (
            _arrondi(Decimal(100 * reste) / total, 1) if total else None
        )
    return resultat


def avec_derives(chiffres: dict) -> dict:
    chiffres["temps_total_heures"] = _arrondi(Decimal(chiffres["duree_minutes"]) / 60, 1)
    chiffres["pourcentages"] = pourcentages(chiffres)
    return chiffres


def serie_mensuelle(user, filtres: Filtres, *, visibles=None, axe: str | None = None) -> dict:
    """The committee's series: each month (zeros included), the total and the monthly mean."""
    lignes = lignes_filtrees(user, filtres, axe, visibles=visibles)
    par_mois = {
        ligne.pop("mois"): ligne for ligne in lignes.order_by().values("mois").annotate(**_sommes())
    }
    mois = []
    total = _vide()
    for un_mois in filtres.mois:
        chiffres = {n: int(par_mois.get(un_mois, {}).get(n) or 0) for n in NOMS_CHIFFRES}
        for n in NOMS_CHIFFRES:
            total[n] += chiffres[n]
        mois.append({"mois": f"{un_mois:%Y-%m}", **avec_derives(chiffres)})
    nombre = len(filtres.mois)
    moyenne = {n: _arrondi(Decimal(total[n]) / nombre) for n in NOMS_CHIFFRES}
    return {
        "du": f"{filtres.du:%Y-%m}",
        "au": f"{filtres.au:%Y-%m}",
        "mois": mois,
        "total": avec_derives(total),
        "moyenne_mensuelle": moyenne,
    }


def totaux(user, filtres: Filtres, noms=CODES_COMITE) -> dict[str, int]:
    """The sums over the period of the figures ``noms`` only (one aggregate, no months)."""
    sommes = lignes_filtrees(user, filtres).aggregate(**_sommes(noms))
    return {n: int(v or 0) for n, v in sommes.items()}


def ventilation(user, filtres: Filtres, axe: str, noms=NOMS_CHIFFRES) -> list[dict]:
    """Totals over the period per key of ``axe`` (structure, advisor, commune, district), of
    the figures ``noms`` (all by default)."""
    lignes = lignes_filtrees(user, filtres, axe)
    resultat = []
    for ligne in lignes.order_by().values("cle").annotate(**_sommes(noms)):
        resultat.append({k: (int(v) if k != "cle" else v) for k, v in ligne.items()})
    resultat.sort(key=lambda ligne: (-ligne["accompagnements"], ligne["cle"]))
    return resultat


def dernier_calcul() -> CalculStatistiques | None:
    return CalculStatistiques.objects.exclude(lignes=0, motif=MotifCalcul.REPRISE).first()
