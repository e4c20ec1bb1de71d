"""The index maths on small datasets computed by hand (no database)."""

import math

import pandas as pd
import pytest

from indicateurs.indice.calcul import calculer, en_tableau, scores_rangs

NAN = float("nan")


def longue(colonnes: dict[str, list[float]], codes="ABCDE") -> pd.DataFrame:
    """Wide hand-written data → the long frame the service reads from the database."""
    lignes = [
        {"code": code, "indicateur": indicateur, "valeur": valeur}
        for indicateur, valeurs in colonnes.items()
        for code, valeur in zip(codes, valeurs, strict=True)
        if not math.isnan(valeur)
    ]
    return pd.DataFrame(lignes)


# A..E; non_couverture_thd has a tie, pauvrete a missing value (B), chomage is decreasing.
JEU = {
    "non_couverture_thd": [1, 1, 2, 3, 4],
    "pauvrete": [10, NAN, 30, 20, 40],
    "chomage": [5, 4, 3, 2, 1],
}


def en_dict(serie: pd.Series) -> dict:
    return {code: (None if pd.isna(v) else v) for code, v in serie.items()}


def test_seuils_des_scores_sur_dix_rangs():
    tableau = en_tableau(longue({"chomage": list(range(1, 11))}, codes="ABCDEFGHIJ"))
    # p = 0.1 … 1.0: ≤0.10 → −3, ≤0.20 → −2, ≤0.40 → −1, <0.60 → 0, <0.80 → +1, <0.90 → +2, +3
    assert scores_rangs(tableau)["chomage"].tolist() == [-3, -2, -1, -1, 0, 1, 1, 2, 3, 3]


def test_rangs_avec_ex_aequo_et_valeur_manquante():
    scores = calculer(longue(JEU), methode="rangs")
    # ties 1,1 → average rank 1.5 → p = 0.3 for both
    assert en_dict(scores["non_couverture_thd"]) == {"A": -1, "B": -1, "C": 1, "D": 2, "E": 3}
    # B missing: ranks among the 4 present (p = 0.25, 0.75, 0.5, 1.0)
    assert en_dict(scores["pauvrete"]) == {"A": -1, "B": None, "C": 1, "D": 0, "E": 3}
    assert en_dict(scores["chomage"]) == {"A": 3, "B": 2, "C": 1, "D": -1, "E": -2}
    # index = sum × 10 ÷ (3 × k); B has k = 2
    attendu = {"A": 10 / 9, "B": 10 / 6, "C": 30 / 9, "D": 10 / 9, "E": 40 / 9}
    assert en_dict(scores["indice"]) == pytest.approx(attendu)
    assert scores["peu_diplomes"].isna().all()


def test_rangs_axes():
    scores = calculer(longue(JEU), methode="rangs")
    assert en_dict(scores["acces_numerique"]) == pytest.approx(
        {"A": -20 / 6, "B": -10 / 3, "C": 20 / 6, "D": 20 / 6, "E": 10.0}
    )
    assert en_dict(scores["competences_administratives"]) == pytest.approx(
        {"A": 10.0, "B": 20 / 3, "C": 10 / 3, "D": -10 / 3, "E": -20 / 3}
    )
    # no indicator of these axes: no axis score
    assert scores["acces_information"].isna().all()
    assert scores["competences_numeriques"].isna().all()


def test_rangs_autre_echelle():
    scores = calculer(longue(JEU), methode="rangs", echelle=3)
    # E = 3: index = mean score
    assert en_dict(scores["indice"]) == pytest.approx(
        {"A": 1 / 3, "B": 0.5, "C": 1.0, "D": 1 / 3, "E": 4 / 3}
    )
    assert en_dict(calculer(longue(JEU), echelle=100)["indice"])["E"] == pytest.approx(400 / 9)


def test_unite_sans_valeur_pour_un_axe():
    donnees = longue({"chomage": [1, 2, NAN]}, codes="ABC")
    donnees.loc[len(donnees)] = {"code": "C", "indicateur": "pauvrete", "valeur": 5}
    scores = calculer(donnees)
    # chomage: p = 0.5 and 1 → 0 and +3; pauvrete has one unit only: p = 1 → +3
    assert en_dict(scores["indice"]) == pytest.approx({"A": 0.0, "B": 10.0, "C": 10.0})
    assert pd.isna(scores.loc["C", "competences_administratives"])


def test_ratio():
    scores = calculer(
        longue(
            {"non_couverture_thd": [10, 20, 30], "pauvrete": [2, NAN, 4], "chomage": [1, 1, 4]},
            codes="ABC",
        ),
        methode="ratio",
    )
    # 100 × value ÷ mean (20, 3 and 2)
    assert en_dict(scores["non_couverture_thd"]) == pytest.approx({"A": 50, "B": 100, "C": 150})
    assert en_dict(scores["pauvrete"]) == pytest.approx({"A": 200 / 3, "B": None, "C": 400 / 3})
    assert en_dict(scores["chomage"]) == pytest.approx({"A": 50, "B": 50, "C": 200})
    # axis = mean of its indicators, index = mean of the axes present
    assert en_dict(scores["acces_numerique"]) == pytest.approx(
        {"A": (50 + 200 / 3) / 2, "B": 100, "C": (150 + 400 / 3) / 2}
    )
    assert en_dict(scores["indice"]) == pytest.approx(
        {"A": ((50 + 200 / 3) / 2 + 50) / 2, "B": 75, "C": ((150 + 400 / 3) / 2 + 200) / 2}
    )


def test_ratio_moyenne_nulle_sans_score():
    scores = calculer(longue({"chomage": [0, 0], "pauvrete": [1, 3]}, codes="AB"), methode="ratio")
    assert scores["chomage"].isna().all()
    assert en_dict(scores["indice"]) == pytest.approx({"A": 50, "B": 150})


def test_methode_inconnue():
    with pytest.raises(ValueError, match="Méthode"):
        calculer(longue(JEU), methode="publie")
