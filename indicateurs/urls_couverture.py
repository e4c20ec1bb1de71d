"""URLs of the couverture pages (merged into indicateurs/urls.py)."""

from django.urls import path

from . import views_couverture

urlpatterns: list = [
    path(
        "indicateurs/couverture/",
        views_couverture.couverture_territoire,
        name="couverture",
    ),
    path(
        "indicateurs/couverture.csv",
        views_couverture.couverture_csv,
        name="couverture_csv",
    ),
]
