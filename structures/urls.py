from django.urls import path

from .views import gestion, public

app_name = "structures"

urlpatterns = [
    # -- public --
    path("lieux/", public.lieux, name="lieux"),
    path("lieux/carte/", public.lieux_carte, name="lieux_carte"),
    path("lieux/<int:pk>/", public.lieu, name="lieu"),
    path("lieux/<int:pk>/signaler/", public.signaler, name="signaler"),
    # -- gestion --
    path("gestion/lieux/", gestion.gestion_lieux, name="gestion_lieux"),
    path("gestion/lieux/nouveau/", gestion.creer_lieu, name="creer_lieu"),
    path("gestion/lieux/<int:pk>/modifier/", gestion.modifier_lieu, name="modifier_lieu"),
    path("gestion/signalements/", gestion.signalements, name="signalements"),
    path("gestion/signalements/<int:pk>/", gestion.signalement, name="signalement"),
    path(
        "gestion/suggestions/communes/", gestion.suggestions_communes, name="suggestions_communes"
    ),
    path(
        "gestion/suggestions/structures/",
        gestion.suggestions_structures,
        name="suggestions_structures",
    ),
    path("lieux/guide.pdf", gestion.guide, name="guide"),
]
