"""URLs of the fragility index (merged into indicateurs/urls.py)."""

from django.urls import path

from .views import gestion, pilotage

urlpatterns: list = [
    # pilotage: the ranking and its map, a unit's detail, the exports
    path("indicateurs/indice/", pilotage.classement, name="indice"),
    path("indicateurs/indice.csv", pilotage.classement_csv, name="indice_csv"),
    path("indicateurs/indice.xlsx", pilotage.classement_xlsx, name="indice_xlsx"),
    path("indicateurs/indice/unite/<int:pk>/", pilotage.unite, name="indice_unite"),
    # gestion: computing a new version, loading outlines
    path("indicateurs/indice/calculer/", gestion.calculer, name="indice_calculer"),
    path("indicateurs/contours/importer/", gestion.importer_contours, name="contours_importer"),
]
