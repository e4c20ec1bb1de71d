from django.urls import path

from .views import gestion, integre, public, statistiques

app_name = "donnees"

urlpatterns = [
    # -- public: addresses kept stable, aggregators rely on them --
    path("donnees/", public.accueil, name="accueil"),
    path("donnees/lieux.csv", public.lieux_csv, name="lieux_csv"),
    path("donnees/lieux.json", public.lieux_json, name="lieux_json"),
    path("donnees/agenda.ics", public.agenda_ics, name="agenda_ics"),
    path("donnees/agenda.json", public.agenda_json, name="agenda_json"),
    path(
        "donnees/data-inclusion/structures.json",
        public.data_inclusion_structures,
        name="data_inclusion_structures",
    ),
    path(
        "donnees/data-inclusion/services.json",
        public.data_inclusion_services,
        name="data_inclusion_services",
    ),
    path("donnees/statistiques.csv", statistiques.statistiques_csv, name="statistiques_csv"),
    path("donnees/data.json", public.catalogue, name="catalogue"),
    # -- embedding: the builder, the embedded pages, the coordinators' list of partners --
    path("integrer/", integre.integrer, name="integrer"),
    path("integrer/lieux/", integre.lieux, name="integrer_lieux"),
    path("integrer/lieux/carte/", integre.lieux_carte, name="integrer_lieux_carte"),
    path("integrer/agenda/", integre.agenda, name="integrer_agenda"),
    path("gestion/integration/", gestion.integration, name="integration"),
    path("gestion/integration/<int:pk>/retirer/", gestion.retirer, name="retirer_origine"),
    # -- public statistics: published by the coordination, shared by a structure or advisor
    path("statistiques/", statistiques.liste, name="statistiques"),
    path("statistiques/<int:pk>/", statistiques.publication, name="statistiques_publication"),
    path(
        "statistiques/partage/<str:jeton>/",
        statistiques.partage,
        name="statistiques_partage",
    ),
    path("statistiques/partages/", statistiques.partages, name="partages"),
    path(
        "statistiques/partages/<int:pk>/revoquer/",
        statistiques.revoquer,
        name="revoquer_partage",
    ),
    path("gestion/statistiques-publiees/", statistiques.publier, name="statistiques_publiees"),
    path(
        "gestion/statistiques-publiees/<int:pk>/",
        statistiques.publier,
        name="modifier_publication",
    ),
]
