from django.urls import path

from . import views

app_name = "structures"

urlpatterns = [
    # -- public pages (lieux, map, site page, error report) --
    path("lieux/", views.lieux, name="lieux"),
    path("lieux/carte/", views.lieux_carte, name="lieux_carte"),
    path("lieux/<int:pk>/", views.lieu, name="lieu"),
    path("lieux/<int:pk>/signaler/", views.signaler, name="signaler"),
    # -- back-office (coordinators and referents) --
]
