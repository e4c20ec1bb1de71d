"""Pages of the indicateurs app: each subject keeps its own URL module."""

from .couverture import urls as couverture
from .indice import urls as indice
from .statistiques import urls as statistiques

app_name = "indicateurs"

urlpatterns = [
    *statistiques.urlpatterns,
    *indice.urlpatterns,
    *couverture.urlpatterns,
]
