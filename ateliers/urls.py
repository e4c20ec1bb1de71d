from django.urls import path

from . import views, views_catalogue

app_name = "ateliers"

urlpatterns = [
    path("ateliers/agenda/", views.agenda, name="agenda"),
    path("ateliers/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("ateliers/programme/", views_catalogue.programme_trimestriel, name="programme"),
    path("ateliers/catalogue/", views_catalogue.catalogue, name="catalogue"),
    path("ateliers/catalogue/nouvelle/", views_catalogue.fiche_nouvelle, name="fiche_nouvelle"),
    path("ateliers/catalogue/<int:pk>/", views_catalogue.fiche, name="fiche"),
    path(
        "ateliers/catalogue/<int:pk>/modifier/",
        views_catalogue.fiche_modifier,
        name="fiche_modifier",
    ),
    path("ateliers/conventions/", views_catalogue.conventions, name="conventions"),
    path(
        "ateliers/conventions/nouvelle/",
        views_catalogue.convention_nouvelle,
        name="convention_nouvelle",
    ),
    path("ateliers/conventions/<int:pk>/", views_catalogue.convention, name="convention"),
    path(
        "ateliers/conventions/<int:pk>/document/",
        views_catalogue.convention_document,
        name="convention_document",
    ),
    path("ateliers/demandes/", views.demandes, name="demandes"),
    path("ateliers/demandes/nouvelle/", views.nouvelle_demande, name="nouvelle_demande"),
    path("ateliers/demandes/<int:pk>/", views.demande, name="demande"),
    path("ateliers/planification/", views.planification, name="planification"),
    path("ateliers/seances/", views.seances, name="seances"),
    path("ateliers/seances/<int:pk>/", views.seance, name="seance"),
]
