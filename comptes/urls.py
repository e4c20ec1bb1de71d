from django.urls import path

from . import views

app_name = "comptes"

urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path("mot-de-passe/oublie/", views.ReinitialisationView.as_view(), name="reinitialisation"),
    path(
        "mot-de-passe/oublie/envoye/",
        views.ReinitialisationEnvoyeeView.as_view(),
        name="reinitialisation_envoyee",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.NouveauMotDePasseView.as_view(),
        name="nouveau_mot_de_passe",
    ),
    path(
        "mot-de-passe/modifie/", views.MotDePasseModifieView.as_view(), name="mot_de_passe_modifie"
    ),
    path(
        "mot-de-passe/changer/",
        views.ChangementMotDePasseView.as_view(),
        name="changement_mot_de_passe",
    ),
    path("espace/", views.espace, name="espace"),
    path("espace/coordination/", views.espace_coordination, name="espace_coordination"),
    path("espace/conseiller/", views.espace_conseiller, name="espace_conseiller"),
    path("espace/structure/", views.espace_structure, name="espace_structure"),
    path("espace/elu/", views.espace_elu, name="espace_elu"),
]
