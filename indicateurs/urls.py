"""Pages of the indicateurs app: each area keeps its own URL module."""

from . import urls_comite, urls_couverture, urls_indice

app_name = "indicateurs"

urlpatterns = [
    *urls_comite.urlpatterns,
    *urls_indice.urlpatterns,
    *urls_couverture.urlpatterns,
]
