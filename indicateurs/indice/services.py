"""Writes of the fragility index: indicator values, computed and published index results."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection, transaction

from indicateurs.enums import Methode, Niveau
from indicateurs.territoire import CalculImpossible, Territoire, territoire_de_reference
from territoires.models import Commune, Zone

from . import calcul
from .models import IndiceUnite, ResultatIndice, ValeurIndicateur

LOT = 5000
INDICATEURS = calcul.INDICATEURS
AXES = calcul.AXES_COLONNES


# -- indicator values --------------------------------------------------------------------


@dataclass(frozen=True)
class Valeur:
    niveau: str
    code: str
    indicateur: str
    valeur: float
    millesime: int
    source: str
    commune_id: str | None
    zone_id: int | None


def enregistrer_valeurs(*, valeurs: list[Valeur]) -> None:
    """Insert the values; a value of the same (niveau, code, indicateur, millésime) is replaced."""
    objets = [
        ValeurIndicateur(
            niveau=v.niveau,
            code=v.code,
            indicateur=v.indicateur,
            valeur=v.valeur,
            millesime=v.millesime,
            source=v.source,
            commune_id=v.commune_id,
            zone_id=v.zone_id,
        )
        for v in valeurs
    ]
    with transaction.atomic():
        ValeurIndicateur.objects.bulk_create(
            objets,
            batch_size=LOT,
            update_conflicts=True,
            unique_fields=["niveau", "code", "indicateur", "millesime"],
            update_fields=["valeur", "source", "commune", "zone", "importe_le"],
        )


# -- computed index ----------------------------------------------------------------------


COLONNES_VALEURS = ["code", "indicateur", "valeur", "commune_id", "zone_id"]


def lire_valeurs(
    *, niveau: str, millesime: int, reference: Territoire | None = None
) -> pd.DataFrame:
    """The reference set as a long frame ``code, indicateur, valeur, commune_id, zone_id``.

    On PostgreSQL the rows come through ``COPY … TO STDOUT`` read by pandas' CSV parser
    (half a million values in well under a second); elsewhere through the ORM.
    """
    valeurs = ValeurIndicateur.objects.tous().du_millesime(niveau, millesime)
    if reference is not None:
        valeurs = valeurs.filter(reference.q("commune"))
    valeurs = valeurs.order_by().values_list(*COLONNES_VALEURS)
    if connection.vendor != "postgresql":
        return pd.DataFrame.from_records(list(valeurs), columns=COLONNES_VALEURS)
    sql, params = valeurs.query.sql_with_params()
    tampon = io.BytesIO()
    requete = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with connection.cursor() as curseur, curseur.cursor.copy(requete, params) as copie:
        for bloc in copie:
            tampon.write(bloc)
    tampon.seek(0)
    return pd.read_csv(
        tampon,
        names=COLONNES_VALEURS,
        header=None,
        dtype={"code": str, "indicateur": str, "valeur": "float64", "commune_id": str},
        keep_default_na=False,
        na_values={"commune_id": [""], "zone_id": [""]},
    )


def _noms(niveau: str, unites: pd.DataFrame) -> dict[str, str]:
    """Display name per unit code: the commune's or the zone's name, else the code."""
    if niveau == Niveau.COMMUNE:
        ids = unites["commune_id"].dropna().unique().tolist()
        par_id = dict(Commune.objects.filter(pk__in=ids).values_list("pk", "nom"))
        cles = unites["commune_id"]
    else:
        ids = [int(i) for i in unites["zone_id"].dropna().unique().tolist()]
        par_id = dict(Zone.objects.tous().filter(pk__in=ids).values_list("pk", "nom"))
        cles = unites["zone_id"]
    noms = cles.map(par_id)
    return dict(zip(unites["code"], noms.fillna(unites["code"]), strict=True))


def verifier_parametres(*, niveau: str, millesime: int, methode: str, echelle: float) -> None:
    if niveau not in Niveau.values:
        raise CalculImpossible(
            f"Niveau inconnu\u00a0: « {niveau} » (valeurs possibles\u00a0: "
            f"{', '.join(Niveau.values)})."
        )
    if methode not in (Methode.RANGS, Methode.RATIO):
        raise CalculImpossible(f"Méthode inconnue\u00a0: « {methode} » (rangs ou ratio).")
    if not (isinstance(echelle, int | float) and math.isfinite(echelle) and echelle > 0):
        raise CalculImpossible("L'échelle doit être un nombre strictement positif.")
    if not 1900 <= int(millesime) <= 2100:
        raise CalculImpossible(f"Millésime invalide\u00a0: {millesime}.")


def calculer_indice(
    *,
    niveau: str,
    millesime: int,
    methode: str = Methode.RANGS,
    echelle: float = calcul.ECHELLE_PAR_DEFAUT,
    reference: str | None = None,
    par=None,
    tache: str = "",
) -> ResultatIndice:
    """Compute the index over the reference set and store it as a new result (one transaction).

    The reference set is every unit of ``niveau`` and ``millesime`` with values, or only those
    within the territory ``reference`` (commune, EPCI or département code); the result holds
    the units of the reference set. Raises :class:`CalculImpossible` with a French message.
    """
    verifier_parametres(niveau=niveau, millesime=millesime, methode=methode, echelle=echelle)
    territoire = territoire_de_reference(reference) if reference else None
    valeurs = lire_valeurs(niveau=niveau, millesime=millesime, reference=territoire)
    if valeurs.empty:
        ou = f" dans {territoire.nom}" if territoire else ""
        raise CalculImpossible(
            f"Aucune valeur d'indicateur pour le niveau {niveau} en {millesime}{ou}\u00a0: "
            "importez-les d'abord (import_indicateurs)."
        )
    tableau = calcul.calculer(valeurs, methode=methode, echelle=echelle)
    unites = valeurs.drop_duplicates("code").set_index("code", drop=False)
    noms = _noms(niveau, unites)
    parametres = {"echelle": float(echelle)} if methode == Methode.RANGS else {}
    if territoire:
        parametres["reference"] = {
            "type": territoire.type,
            "code": territoire.code,
            "nom": territoire.nom,
        }
    codes = tableau.index.tolist()
    lignes = _lignes_d_unites(
        codes=codes,
        noms=[noms.get(code, code) for code in codes],
        communes=tableau.index.map(unites["commune_id"]).tolist(),
        zones=tableau.index.map(unites["zone_id"]).tolist(),
        tableau=tableau,
        entiers=methode == Methode.RANGS,
    )
    with transaction.atomic():
        resultat = ResultatIndice.objects.create(
            niveau=niveau,
            millesime=millesime,
            methode=methode,
            parametres=parametres,
            calcule_par=par,
            tache=tache,
            nombre_unites=len(lignes),
        )
        _inserer_unites(resultat, lignes)
    return resultat


def _absent(valeur) -> bool:
    return valeur is None or valeur != valeur  # None or NaN


def _lignes_d_unites(*, codes, noms, communes, zones, tableau, entiers: bool) -> list[tuple]:
    """One tuple per unit in :data:`COLONNES_UNITES` order (NaN → None, scores as a dict)."""
    indices = tableau["indice"].tolist()
    axes = tableau[AXES].to_numpy().tolist()
    scores = tableau[INDICATEURS].to_numpy().tolist()
    conversion = int if entiers else float
    lignes = []
    for i, code in enumerate(codes):
        lignes.append(
            (
                code,
                noms[i],
                None if _absent(communes[i]) else communes[i],
                None if _absent(zones[i]) else int(zones[i]),
                None if _absent(indices[i]) else indices[i],
                *(None if _absent(a) else a for a in axes[i]),
                {
                    indicateur: conversion(v)
                    for indicateur, v in zip(INDICATEURS, scores[i], strict=True)
                    if v == v
                },
            )
        )
    return lignes


COLONNES_UNITES = ["code", "nom", "commune_id", "zone_id", "indice", *AXES, "scores"]


def _inserer_unites(resultat: ResultatIndice, lignes: list[tuple]) -> None:
    """Bulk insert: ``COPY`` on PostgreSQL (50,000 rows in about a second), else the ORM."""
    if connection.vendor != "postgresql":
        IndiceUnite.objects.bulk_create(
            [
                IndiceUnite(resultat=resultat, **dict(zip(COLONNES_UNITES, ligne, strict=True)))
                for ligne in lignes
            ],
            batch_size=LOT,
        )
        return
    table = IndiceUnite._meta.db_table
    colonnes = ", ".join(["resultat_id", *COLONNES_UNITES])
    requete = f"COPY {table} ({colonnes}) FROM STDIN"
    with connection.cursor() as curseur, curseur.cursor.copy(requete) as copie:
        for ligne in lignes:
            copie.write_row((resultat.pk, *ligne[:-1], json.dumps(ligne[-1])))


# -- published index ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnitePubliee:
    """One row of a published table: a commune or a zone and its index as published.

    A published IRIS that no zone of the portal holds is given by ``code_publie`` (its INSEE
    code) and its commune; ``niveau_publie`` forces the level (a district table whose zones
    carry IRIS codes stays a district table). ``axes`` (axis → score) and the two global
    scores are stored when the source publishes them.
    """

    indice: float
    commune: Commune | None = None
    zone: Zone | None = None
    niveau_publie: str | None = None
    code_publie: str = ""
    nom_publie: str = ""
    axes: dict = field(default_factory=dict)
    acces_global: float | None = None
    competences_global: float | None = None

    @property
    def niveau(self) -> str:
        if self.niveau_publie:
            return self.niveau_publie
        if self.code_publie:
            return Niveau.IRIS
        if self.zone is None:
            return Niveau.COMMUNE
        return Niveau.IRIS if self.zone.code else Niveau.QUARTIER

    @property
    def code(self) -> str:
        niveau = self.niveau
        if niveau == Niveau.COMMUNE:
            return self.commune.pk
        if niveau == Niveau.QUARTIER:
            return str(self.zone.pk)
        return self.zone.code if self.zone is not None and self.zone.code else self.code_publie

    @property
    def nom(self) -> str:
        if self.nom_publie:
            return self.nom_publie
        return self.zone.nom if self.zone is not None else self.commune.nom


def charger_indice_publie(
    *,
    unites: Iterable[UnitePubliee],
    millesime: int,
    source: str,
    par=None,
    tache: str = "",
    parametres: dict | None = None,
) -> ResultatIndice:
    """Store a published table (values as published) as a new result with method ``publie``.

    Every unit must be of the same level: communes, IRIS or districts. ``parametres`` adds
    to the source what a reader needs to read the values (publisher, base, reference).
    """
    unites = list(unites)
    niveaux = {u.niveau for u in unites}
    if len(niveaux) != 1:
        raise CalculImpossible("Un indice publié porte sur un seul niveau (communes ou zones).")
    codes = [u.code for u in unites]
    if len(set(codes)) != len(codes):
        raise CalculImpossible("Une même unité apparaît deux fois dans l'indice publié.")
    with transaction.atomic():
        resultat = ResultatIndice.objects.create(
            niveau=niveaux.pop(),
            millesime=millesime,
            methode=Methode.PUBLIE,
            parametres={"source": source, **(parametres or {})},
            calcule_par=par,
            tache=tache,
            nombre_unites=len(unites),
        )
        IndiceUnite.objects.bulk_create(
            [
                IndiceUnite(
                    resultat=resultat,
                    code=u.code,
                    nom=u.nom,
                    commune=u.zone.commune if u.zone else u.commune,
                    zone=u.zone,
                    indice=u.indice,
                    acces_global=u.acces_global,
                    competences_global=u.competences_global,
                    **{axe: u.axes.get(axe) for axe in AXES},
                )
                for u in unites
            ],
            batch_size=LOT,
        )
    return resultat
