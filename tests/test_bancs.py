"""The benchmarks of bench/ still import (a renamed function of the portal breaks them
silently otherwise), and their shared verdict refuses a target met on an empty result."""

import importlib

import pytest

# charge_locust.py is locust's file, read by bench/charge.py with its settings
SCRIPTS = [
    "activites",
    "charge",
    "couverture",
    "import_lieux",
    "import_territoires",
    "indice",
    "lieux",
    "statistiques",
]


@pytest.mark.parametrize("nom", SCRIPTS)
def test_chaque_banc_s_importe(nom):
    module = importlib.import_module(f"bench.{nom}")
    assert callable(module.main)


def test_un_resultat_vide_ne_tient_pas_son_objectif():
    from bench.commun import Resultats

    serie = Resultats("liste", 100)
    serie.ajouter("/lieux/?q=a", 0.01, 0.001, 3)
    assert serie.atteint() and serie.verdict() == "atteint"
    serie.ajouter("/lieux/?q=b", 0.01, 0.001, 0)
    assert not serie.atteint()
    assert serie.verdict() == "ÉCHEC : 1 sans résultat"
