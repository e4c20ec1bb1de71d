from django.urls import path

from .views import gestion

app_name = "gestion_comptes"

urlpatterns = [
    # -- gestion --
    path("gestion/comptes/", gestion.liste, name="liste"),
    path("gestion/comptes/inviter/", gestion.inviter, name="inviter"),
    path("gestion/comptes/importer/", gestion.importer, name="importer"),
    path("gestion/comptes/<int:pk>/", gestion.compte, name="compte"),
    path("gestion/comptes/<int:pk>/rattacher/", gestion.rattacher, name="rattacher"),
    path("gestion/comptes/<int:pk>/desactiver/", gestion.desactiver, name="desactiver"),
    path("gestion/comptes/<int:pk>/reactiver/", gestion.reactiver, name="reactiver"),
    path(
        "gestion/comptes/<int:pk>/invitation/renvoyer/",
        gestion.renvoyer_invitation,
        name="renvoyer_invitation",
    ),
    path(
        "gestion/comptes/<int:pk>/invitation/annuler/",
        gestion.annuler_invitation,
        name="annuler_invitation",
    ),
]
