from django.urls import path

from .views import public

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
    path("donnees/data.json", public.catalogue, name="catalogue"),
]
