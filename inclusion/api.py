"""The REST API under /api/v1/: each app registers its viewsets here."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from comptes.api import JetonView, MoiView
from conseillers import api as conseillers_api
from indicateurs.indice import api as indice_api
from indicateurs.statistiques import api as statistiques_api
from structures import api as structures_api
from territoires import api as territoires_api

router = DefaultRouter()
router.register("regions", territoires_api.RegionViewSet, basename="region")
router.register("departements", territoires_api.DepartementViewSet, basename="departement")
router.register("epci", territoires_api.EpciViewSet, basename="epci")
router.register("communes", territoires_api.CommuneViewSet, basename="commune")
router.register("zones", territoires_api.ZoneViewSet, basename="zone")
router.register("lieux", structures_api.LieuViewSet, basename="lieu")
router.register("activites", conseillers_api.ActiviteViewSet, basename="activite")
router.register("conseillers", conseillers_api.ConseillerViewSet, basename="conseiller")
router.register("indices", indice_api.IndiceViewSet, basename="indice")

urlpatterns = [
    path("", include(router.urls)),
    path(
        "statistiques/mensuelles/",
        statistiques_api.StatistiquesMensuellesView.as_view(),
        name="statistiques-mensuelles",
    ),
    path("moi/", MoiView.as_view(), name="moi"),
    path("jeton/", JetonView.as_view(), name="jeton"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "documentation/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="documentation",
    ),
]
