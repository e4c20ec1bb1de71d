from django.urls import path

from .views import espace, gestion

app_name = "conseillers"

urlpatterns = [
    # -- espace --
    path("conseiller/activites/", espace.activites, name="activites"),
    path("conseiller/activites/nouvelle/", espace.nouvelle_activite, name="nouvelle_activite"),
    path(
        "conseiller/activites/<int:pk>/modifier/",
        espace.modifier_activite,
        name="modifier_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/dupliquer/",
        espace.dupliquer_activite,
        name="dupliquer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/supprimer/",
        espace.supprimer_activite,
        name="supprimer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/restaurer/",
        espace.restaurer_activite,
        name="restaurer_activite",
    ),
    path(
        "conseiller/activites/<int:pk>/historique/",
        espace.historique_activite,
        name="historique_activite",
    ),
    path("conseiller/profil/", espace.profil, name="profil"),
    path("conseiller/planning/", espace.planning, name="planning"),
    path("conseiller/statistiques/", espace.statistiques, name="statistiques"),
    path("conseiller/beneficiaires/", espace.beneficiaires, name="beneficiaires"),
    path(
        "conseiller/beneficiaires/nouveau/",
        espace.nouveau_beneficiaire,
        name="nouveau_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/doublons/",
        espace.doublons_beneficiaires,
        name="doublons_beneficiaires",
    ),
    path(
        "conseiller/beneficiaires/fusionner/",
        espace.fusionner_beneficiaires,
        name="fusionner_beneficiaires",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/modifier/",
        espace.modifier_beneficiaire,
        name="modifier_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/donnees/",
        espace.exporter_beneficiaire,
        name="exporter_beneficiaire",
    ),
    path(
        "conseiller/beneficiaires/<int:pk>/supprimer/",
        espace.supprimer_beneficiaire,
        name="supprimer_beneficiaire",
    ),
    # -- gestion --
    path("gestion/conseillers/", gestion.gestion_conseillers, name="gestion_conseillers"),
    path(
        "gestion/conseillers/competences/",
        gestion.competences_conseillers,
        name="competences_conseillers",
    ),
    path("gestion/conseillers/nouveau/", gestion.creer_conseiller, name="creer_conseiller"),
    path("gestion/conseillers/<int:pk>/", gestion.conseiller, name="conseiller"),
    path(
        "gestion/conseillers/<int:pk>/modifier/",
        gestion.modifier_conseiller,
        name="modifier_conseiller",
    ),
    path(
        "gestion/mises-a-disposition/",
        gestion.mises_a_disposition,
        name="mises_a_disposition",
    ),
    path(
        "gestion/mises-a-disposition/nouvelle/",
        gestion.creer_mise_a_disposition,
        name="creer_mise_a_disposition",
    ),
    path(
        "gestion/mises-a-disposition/<int:pk>/modifier/",
        gestion.modifier_mise_a_disposition,
        name="modifier_mise_a_disposition",
    ),
]
