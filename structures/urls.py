from django.urls import path

from . import views, views_gestion

app_name = "structures"

urlpatterns = [
    # -- public pages (lieux, map, site page, error report) --
    path("lieux/", views.lieux, name="lieux"),
    path("lieux/carte/", views.lieux_carte, name="lieux_carte"),
    path("lieux/<int:pk>/", views.lieu, name="lieu"),
    path("lieux/<int:pk>/signaler/", views.signaler, name="signaler"),
    # -- back-office (coordinators and referents) --
    path("gestion/lieux/", views_gestion.gestion_lieux, name="gestion_lieux"),
    path("gestion/lieux/nouveau/", views_gestion.creer_lieu, name="creer_lieu"),
    path("gestion/lieux/<int:pk>/modifier/", views_gestion.modifier_lieu, name="modifier_lieu"),
    path("lieux/guide.pdf", views_gestion.guide, name="guide"),
]
