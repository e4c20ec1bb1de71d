"""URLs of the gestion pages (included by conseillers/urls.py under app_name "conseillers")."""

from django.urls import path

from . import views_gestion

urlpatterns: list = [
    path("gestion/conseillers/", views_gestion.gestion_conseillers, name="gestion_conseillers"),
    path(
        "gestion/conseillers/competences/",
        views_gestion.competences_conseillers,
        name="competences_conseillers",
    ),
    path("gestion/conseillers/nouveau/", views_gestion.creer_conseiller, name="creer_conseiller"),
    path("gestion/conseillers/<int:pk>/", views_gestion.conseiller, name="conseiller"),
    path(
        "gestion/conseillers/<int:pk>/modifier/",
        views_gestion.modifier_conseiller,
        name="modifier_conseiller",
    ),
    path(
        "gestion/mises-a-disposition/",
        views_gestion.mises_a_disposition,
        name="mises_a_disposition",
    ),
    path(
        "gestion/mises-a-disposition/nouvelle/",
        views_gestion.creer_mise_a_disposition,
        name="creer_mise_a_disposition",
    ),
    path(
        "gestion/mises-a-disposition/<int:pk>/modifier/",
        views_gestion.modifier_mise_a_disposition,
        name="modifier_mise_a_disposition",
    ),
]
