from django.urls import path

from .views import espace, public

app_name = "comptes"

urlpatterns = [
    # -- public --
    path("connexion/", public.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", public.DeconnexionView.as_view(), name="deconnexion"),
    path("mot-de-passe/oublie/", public.ReinitialisationView.as_view(), name="reinitialisation"),
    path(
        "mot-de-passe/oublie/envoye/",
        public.ReinitialisationEnvoyeeView.as_view(),
        name="reinitialisation_envoyee",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        public.NouveauMotDePasseView.as_view(),
        name="nouveau_mot_de_passe",
    ),
    path(
        "mot-de-passe/modifie/", public.MotDePasseModifieView.as_view(), name="mot_de_passe_modifie"
    ),
    path("invitation/<str:signe>/", public.invitation, name="invitation"),
    # -- espace --
    path(
        "mot-de-passe/changer/",
        espace.ChangementMotDePasseView.as_view(),
        name="changement_mot_de_passe",
    ),
    path("espace/", espace.espace, name="espace"),
    path("espace/coordination/", espace.espace_coordination, name="espace_coordination"),
    path("espace/conseiller/", espace.espace_conseiller, name="espace_conseiller"),
    path("espace/structure/", espace.espace_structure, name="espace_structure"),
    path("espace/elu/", espace.espace_elu, name="espace_elu"),
    path("espace/jetons/", espace.jetons, name="jetons"),
    path(
        "espace/jetons/<uuid:identifiant>/revoquer/",
        espace.revoquer_jeton,
        name="revoquer_jeton",
    ),
    path("espace/jetons/revoquer-tout/", espace.revoquer_jetons, name="revoquer_jetons"),
]
