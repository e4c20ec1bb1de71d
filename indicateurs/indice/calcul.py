"""The maths of the digital fragility index, vectorised with pandas (no loop over units).

Input: a long frame ``code, indicateur, valeur`` holding the reference set (one row per unit
and indicator present). Output: a frame indexed by unit code with the columns ``indice``,
the four axes (:class:`~indicateurs.enums.Axe`) and the 11 indicators' scores.

``rangs`` (national method, 2021): within the reference set, each indicator value gets its
percentile rank ``p = rank(pct=True, method="average")`` among the units where it is known;
its score is −3 if p ≤ 0.10, −2 if p ≤ 0.20, −1 if p ≤ 0.40, 0 if p < 0.60, +1 if p < 0.80,
+2 if p < 0.90, else +3. A missing value is left out; the index is
``sum(scores) × E ÷ (3 × k)`` with ``k`` the number of indicators present for the unit and
``E`` the scale (default 10); each axis the same over its own indicators.

``ratio`` (method of 2020): each indicator = 100 × value ÷ the reference mean of that
indicator; an axis is the mean of its indicators, the index the mean of the axes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicateurs.enums import AXES, Indicateur, Methode

INDICATEURS = list(Indicateur.values)
AXES_COLONNES = [str(axe) for axe in AXES]
ECHELLE_PAR_DEFAUT = 10.0

# upper bounds of the percentile rank, with whether the bound is included, and the score
_SEUILS = [(0.10, True, -3), (0.20, True, -2), (0.40, True, -1), (0.60, False, 0)]
_SEUILS += [(0.80, False, 1), (0.90, False, 2)]


def en_tableau(valeurs: pd.DataFrame) -> pd.DataFrame:
    """Long ``code, indicateur, valeur`` → one row per unit, one column per indicator."""
    tableau = valeurs.pivot(index="code", columns="indicateur", values="valeur")
    tableau = tableau.reindex(columns=INDICATEURS).astype("float64")
    tableau.columns.name = None
    return tableau


def scores_rangs(tableau: pd.DataFrame) -> pd.DataFrame:
    """Each value's score from −3 to +3 (NaN when missing)."""
    rangs = tableau.rank(pct=True, method="average").to_numpy()
    conditions = [rangs <= borne if incluse else rangs < borne for borne, incluse, _ in _SEUILS]
    scores = np.select(conditions, [score for *_, score in _SEUILS], default=3).astype("float64")
    scores[np.isnan(rangs)] = np.nan
    return pd.DataFrame(scores, index=tableau.index, columns=tableau.columns)


def _indice_rangs(scores: pd.DataFrame, echelle: float) -> pd.Series:
    presents = scores.count(axis=1)
    somme = scores.sum(axis=1, min_count=1)
    return somme * echelle / (3 * presents.where(presents > 0))


def calculer_rangs(tableau: pd.DataFrame, *, echelle: float = ECHELLE_PAR_DEFAUT) -> pd.DataFrame:
    scores = scores_rangs(tableau)
    resultat = pd.DataFrame(index=tableau.index)
    resultat["indice"] = _indice_rangs(scores, echelle)
    for axe, indicateurs in AXES.items():
        resultat[str(axe)] = _indice_rangs(scores[indicateurs], echelle)
    return pd.concat([resultat, scores], axis=1)


def calculer_ratio(tableau: pd.DataFrame) -> pd.DataFrame:
    moyennes = tableau.mean(axis=0, skipna=True)
    moyennes = moyennes.where(moyennes != 0)  # an all-zero indicator has no ratio
    scores = tableau.div(moyennes, axis=1) * 100
    resultat = pd.DataFrame(index=tableau.index)
    for axe, indicateurs in AXES.items():
        resultat[str(axe)] = scores[indicateurs].mean(axis=1, skipna=True)
    resultat.insert(0, "indice", resultat[AXES_COLONNES].mean(axis=1, skipna=True))
    return pd.concat([resultat, scores], axis=1)


def calculer(
    valeurs: pd.DataFrame, *, methode: str = Methode.RANGS, echelle: float = ECHELLE_PAR_DEFAUT
) -> pd.DataFrame:
    """The index of every unit of the reference set ``valeurs`` (long frame)."""
    tableau = en_tableau(valeurs)
    if methode == Methode.RANGS:
        return calculer_rangs(tableau, echelle=echelle)
    if methode == Methode.RATIO:
        return calculer_ratio(tableau)
    raise ValueError(f"Méthode de calcul inconnue\u00a0: {methode}")
