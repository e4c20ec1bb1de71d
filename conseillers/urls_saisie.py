"""URLs of the saisie pages (included by conseillers/urls.py under app_name "conseillers")."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("conseiller/activites/", views.activites, name="activites"),
    path("conseiller/activites/nouvelle/", views.nouvelle_activite, name="nouvelle_activite"),
    path(
        "conseiller/activites/<int:pk>/modifier/",
        views.modifier_activite,
        name="modifier_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/dupliquer/",
        views.dupliquer_activite,
        name="dupliquer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/supprimer/",
        views.supprimer_activite,
        name="supprimer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/restaurer/",
        views.restaurer_activite,
        name="restaurer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/historique/",
        views.historique_activite,
        name="historique_activite",
    ),
]
