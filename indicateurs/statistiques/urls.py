"""URLs of the monthly statistics (merged into indicateurs/urls.py)."""

from django.urls import path

from .views import pilotage

urlpatterns: list = [
    # pilotage: the officials' dashboard and its exports
    path("tableau-de-bord/", pilotage.tableau_de_bord, name="tableau_de_bord"),
    path("tableau-de-bord.csv", pilotage.tableau_de_bord_csv, name="tableau_de_bord_csv"),
    path("tableau-de-bord.xlsx", pilotage.tableau_de_bord_xlsx, name="tableau_de_bord_xlsx"),
    path("tableau-de-bord.pdf", pilotage.tableau_de_bord_pdf, name="tableau_de_bord_pdf"),
]
