"""URLs of the espace pages (included by conseillers/urls.py under app_name "conseillers")."""

from django.urls import path

from . import views_espace

urlpatterns: list = [
    path("conseiller/profil/", views_espace.profil, name="profil"),
    path("conseiller/planning/", views_espace.planning, name="planning"),
    path("conseiller/statistiques/", views_espace.statistiques, name="statistiques"),
    path("conseiller/beneficiaires/", views_espace.beneficiaires, name="beneficiaires"),
    path(
        "conseiller/beneficiaires/nouveau/",
        views_espace.nouveau_beneficiaire,
        name="nouveau_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/doublons/",
        views_espace.doublons_beneficiaires,
        name="doublons_beneficiaires",
    ),
    path(
        "conseiller/beneficiaires/fusionner/",
        views_espace.fusionner_beneficiaires,
        name="fusionner_beneficiaires",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/modifier/",
        views_espace.modifier_beneficiaire,
        name="modifier_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/donnees/",
        views_espace.exporter_beneficiaire,
        name="exporter_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/supprimer/",
        views_espace.supprimer_beneficiaire,
        name="supprimer_beneficiaire",
    ),
]
