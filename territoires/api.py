import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .models import Commune, Departement, Epci, Region, Zone


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "nom"]


class DepartementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Departement
        fields = ["code", "nom", "region"]


class EpciSerializer(serializers.ModelSerializer):
    class Meta:
        model = Epci
        fields = ["siren", "nom", "type", "population"]


class CommuneSerializer(serializers.ModelSerializer):
    codes_postaux = serializers.ListField(
        source="liste_codes_postaux", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Commune
        fields = [
            "code_insee",
            "nom",
            "departement",
            "epci",
            "codes_postaux",
            "population",
            "latitude",
            "longitude",
        ]


class ZoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Zone
        fields = ["id", "commune", "type", "code", "nom"]


class CommuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filtrer_recherche",
        label="nom ou code postal (sans tenir compte des accents ni de la casse)",
    )
    epci = django_filters.CharFilter(field_name="epci_id", label="SIREN de l'EPCI")
    departement = django_filters.CharFilter(
        field_name="departement_id", label="code du département"
    )

    class Meta:
        model = Commune
        fields = ["q", "epci", "departement"]

    def filtrer_recherche(self, queryset, name, value):
        return queryset.recherche(value)


class ReferentielViewSet(viewsets.ReadOnlyModelViewSet):
    """Open reference data: readable without an account, throttled."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]


@extend_schema_view(
    list=extend_schema(summary="Régions", tags=["territoires"]),
    retrieve=extend_schema(summary="Une région", tags=["territoires"]),
)
class RegionViewSet(ReferentielViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary="Départements", tags=["territoires"]),
    retrieve=extend_schema(summary="Un département", tags=["territoires"]),
)
class DepartementViewSet(ReferentielViewSet):
    queryset = Departement.objects.all()
    serializer_class = DepartementSerializer
    filterset_fields = ["region"]
    pagination_class = None


@extend_schema_view(
    list=extend_schema(summary="EPCI à fiscalité propre", tags=["territoires"]),
    retrieve=extend_schema(summary="Un EPCI", tags=["territoires"]),
)
class EpciViewSet(ReferentielViewSet):
    queryset = Epci.objects.all()
    serializer_class = EpciSerializer
    filterset_fields = ["type"]


@extend_schema_view(
    list=extend_schema(
        summary="Communes",
        description="Recherche par nom (« yvre l eveque » trouve Yvré-l'Évêque) ou code "
        "postal, filtre par EPCI ou département.",
        tags=["territoires"],
    ),
    retrieve=extend_schema(summary="Une commune", tags=["territoires"]),
)
class CommuneViewSet(ReferentielViewSet):
    queryset = Commune.objects.all()
    serializer_class = CommuneSerializer
    filterset_class = CommuneFilter


@extend_schema_view(
    list=extend_schema(
        summary="Zones infra-communales (IRIS, quartiers) de mon territoire",
        tags=["territoires"],
        parameters=[OpenApiParameter("commune", str, description="code INSEE de la commune")],
    ),
    retrieve=extend_schema(summary="Une zone infra-communale", tags=["territoires"]),
)
class ZoneViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ZoneSerializer
    filterset_fields = ["commune", "type"]

    def get_queryset(self):
        return Zone.objects.pour(self.request.user).order_by("commune_id", "nom")
