"""URLs of the officials' dashboard (merged into indicateurs/urls.py)."""

from django.urls import path

from . import views_comite

urlpatterns: list = [
    path("tableau-de-bord/", views_comite.tableau_de_bord, name="tableau_de_bord"),
    path("tableau-de-bord.csv", views_comite.tableau_de_bord_csv, name="tableau_de_bord_csv"),
    path("tableau-de-bord.xlsx", views_comite.tableau_de_bord_xlsx, name="tableau_de_bord_xlsx"),
    path("tableau-de-bord.pdf", views_comite.tableau_de_bord_pdf, name="tableau_de_bord_pdf"),
]
