from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from commun.limites import LimiteParPortee

from .models import TerritoireUtilisateur, User


class TerritoireUtilisateurSerializer(serializers.ModelSerializer):
    niveau = serializers.SerializerMethodField()
    code = serializers.SerializerMethodField()
    nom = serializers.SerializerMethodField()

    class Meta:
        model = TerritoireUtilisateur
        fields = ["niveau", "code", "nom"]

    def get_niveau(self, obj) -> str:
        return "commune" if obj.commune_id else "epci" if obj.epci_id else "departement"

    def get_code(self, obj) -> str:
        return obj.commune_id or obj.epci_id or obj.departement_id

    def get_nom(self, obj) -> str:
        return obj.territoire.nom


class MoiSerializer(serializers.ModelSerializer):
    territoires = TerritoireUtilisateurSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["email", "prenom", "nom", "role", "is_staff", "territoires"]


class MoiView(APIView):
    """The authenticated account, its role and its territories."""

    @extend_schema(summary="Mon compte", tags=["comptes"], responses=MoiSerializer)
    def get(self, request):
        user = User.objects.prefetch_related(
            "territoires__commune", "territoires__epci", "territoires__departement"
        ).get(pk=request.user.pk)
        return Response(MoiSerializer(user).data)


class JetonView(ObtainAuthToken):
    """Exchange an e-mail and a password for an API token (locked like the login page)."""

    throttle_classes, throttle_scope = [LimiteParPortee], "jeton"

    def get_serializer_context(self):
        # django-axes marks the Django request, not DRF's wrapper, as locked out.
        return {**super().get_serializer_context(), "request": self.request._request}

    @extend_schema(summary="Obtenir un jeton d'API", tags=["comptes"])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
