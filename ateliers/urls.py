from django.urls import path

from .views import espace, gestion, public

app_name = "ateliers"

urlpatterns = [
    # -- public --
    path("ateliers/agenda/", public.agenda, name="agenda"),
    path("ateliers/agenda.ics", public.agenda_ics, name="agenda_ics"),
    path("ateliers/programme/", public.programme_trimestriel, name="programme"),
    # -- espace --
    path("ateliers/demandes/", espace.demandes, name="demandes"),
    path("ateliers/demandes/nouvelle/", espace.nouvelle_demande, name="nouvelle_demande"),
    path("ateliers/demandes/<int:pk>/", espace.demande, name="demande"),
    path("ateliers/seances/", espace.seances, name="seances"),
    path("ateliers/seances/<int:pk>/", espace.seance, name="seance"),
    # -- gestion --
    path("ateliers/catalogue/", gestion.catalogue, name="catalogue"),
    path("ateliers/catalogue/nouvelle/", gestion.fiche_nouvelle, name="fiche_nouvelle"),
    path("ateliers/catalogue/<int:pk>/", gestion.fiche, name="fiche"),
    path("ateliers/catalogue/<int:pk>/modifier/", gestion.fiche_modifier, name="fiche_modifier"),
    path("ateliers/conventions/", gestion.conventions, name="conventions"),
    path(
        "ateliers/conventions/nouvelle/",
        gestion.convention_nouvelle,
        name="convention_nouvelle",
    ),
    path("ateliers/conventions/<int:pk>/", gestion.convention, name="convention"),
    path(
        "ateliers/conventions/<int:pk>/document/",
        gestion.convention_document,
        name="convention_document",
    ),
    path("ateliers/planification/", gestion.planification, name="planification"),
]
