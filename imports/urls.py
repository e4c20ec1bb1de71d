from django.urls import path

from .views import gestion

app_name = "imports"

urlpatterns = [
    # -- gestion --
    path("gestion/imports/", gestion.liste, name="liste"),
    path("gestion/imports/nouveau/", gestion.nouveau, name="nouveau"),
    path("gestion/imports/<int:pk>/", gestion.detail, name="import"),
    path("gestion/imports/<int:pk>/confirmer/", gestion.confirmer, name="confirmer"),
    path("gestion/imports/<int:pk>/etat/", gestion.etat, name="etat"),
    path("gestion/imports/<int:pk>/lignes-refusees/", gestion.rejets, name="rejets"),
]
