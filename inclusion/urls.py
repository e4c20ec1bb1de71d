from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Administration du portail de l'inclusion numérique"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sante/", views.sante, name="sante"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees_personnelles"),
    path("", include("comptes.urls")),
    path("", include("structures.urls")),
    path("", include("conseillers.urls")),
    path("", include("ateliers.urls")),
    path("", include("indicateurs.urls")),
    path("", include("gestion_comptes.urls")),
    path("", include("reseau.urls")),
    path("", include("donnees.urls")),
    path("", include("imports.urls")),
    path("api/v1/", include(("inclusion.api", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]

handler400 = "inclusion.views.erreur_400"
handler403 = "inclusion.views.erreur_403"
handler404 = "inclusion.views.erreur_404"
handler500 = "inclusion.views.erreur_500"
