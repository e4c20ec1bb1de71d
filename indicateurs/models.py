"""The subjects' models, imported here so that Django and the migrations of the
``indicateurs`` app see them. Each subject keeps its own (``app_label = "indicateurs"``):
read them from ``indicateurs.indice.models`` and ``indicateurs.statistiques.models``."""

from indicateurs.indice.models import Contour, IndiceUnite, ResultatIndice, ValeurIndicateur
from indicateurs.statistiques.models import CalculStatistiques, StatistiqueMensuelle

__all__ = [
    "CalculStatistiques",
    "Contour",
    "IndiceUnite",
    "ResultatIndice",
    "StatistiqueMensuelle",
    "ValeurIndicateur",
]
