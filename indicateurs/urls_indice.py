"""URLs of the fragility-index pages (merged into indicateurs/urls.py)."""

from django.urls import path

from . import views_indice

urlpatterns = [
    path("indicateurs/indice/", views_indice.classement, name="indice"),
    path("indicateurs/indice.csv", views_indice.classement_csv, name="indice_csv"),
    path("indicateurs/indice.xlsx", views_indice.classement_xlsx, name="indice_xlsx"),
    path("indicateurs/indice/unite/<int:pk>/", views_indice.unite, name="indice_unite"),
    path("indicateurs/indice/calculer/", views_indice.calculer, name="indice_calculer"),
    path(
        "indicateurs/contours/importer/", views_indice.importer_contours, name="contours_importer"
    ),
]
