from django.urls import path

from .views import espace, gestion, public

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
    path("gestion/structures/", gestion.annuaire, name="annuaire"),
    path("gestion/structures/export.csv", gestion.export_annuaire, name="export_annuaire"),
    path("gestion/structures/nouvelle/", gestion.creer_structure, name="creer_structure"),
    path("gestion/structures/<int:pk>/", gestion.structure, name="structure"),
    path(
        "gestion/structures/<int:pk>/modifier/",
        gestion.modifier_structure,
        name="modifier_structure",
    ),
    path(
        "gestion/structures/<int:pk>/archiver/",
        gestion.archiver_structure,
        name="archiver_structure",
    ),
    path(
        "gestion/structures/<int:pk>/desarchiver/",
        gestion.desarchiver_structure,
        name="desarchiver_structure",
    ),
    path(
        "gestion/structures/<int:pk>/fusionner/",
        gestion.fusionner_structure,
        name="fusionner_structure",
    ),
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
    # -- espace --
    path(
        "espace/structures/<int:pk>/modifier/",
        espace.modifier_ma_structure,
        name="modifier_ma_structure",
    ),
]
