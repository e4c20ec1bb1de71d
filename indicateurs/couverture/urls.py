"""URLs of the coverage analysis (merged into indicateurs/urls.py)."""

from django.urls import path

from .views import pilotage

urlpatterns: list = [
    # pilotage: the analysis of a territory and its export
    path("indicateurs/couverture/", pilotage.couverture_territoire, name="couverture"),
    path("indicateurs/couverture.csv", pilotage.couverture_csv, name="couverture_csv"),
]
