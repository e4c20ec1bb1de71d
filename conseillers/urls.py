"""Advisors' pages; each area keeps its routes in its own module."""

from . import urls_espace, urls_gestion, urls_saisie

app_name = "conseillers"

urlpatterns = [
    *urls_saisie.urlpatterns,  # conseiller/activites/...: entry, history, edit
    *urls_espace.urlpatterns,  # conseiller/planning/, statistiques/, beneficiaires/
    *urls_gestion.urlpatterns,  # gestion/conseillers/, gestion/mises-a-disposition/
]
