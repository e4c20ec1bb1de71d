from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, renderers, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.views import APIView

from commun.limites import LimiteParPortee

from .models import TerritoireUtilisateur, User
from .services import creer_jeton


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


class DemandeJetonSerializer(AuthTokenSerializer):
    libelle = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="nom de l'outil qui se servira du jeton, affiché dans votre espace",
    )


class JetonSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="le jeton, donné une seule fois")
    expire_le = serializers.DateTimeField()
    libelle = serializers.CharField()


class JetonView(APIView):
    """Exchange an e-mail and a password for a new API token, valid API_JETON_DUREE_JOURS
    days (locked like the login page, and recorded as a login)."""

    # DRF's token view turned throttles off; this one counts per address (LIMITE_API_JETON)
    throttle_classes, throttle_scope = [LimiteParPortee], "jeton"
    permission_classes = ()
    parser_classes = (parsers.FormParser, parsers.MultiPartParser, parsers.JSONParser)
    renderer_classes = (renderers.JSONRenderer,)

    @extend_schema(
        summary="Obtenir un jeton d'API",
        description="Un nouveau jeton à chaque appel, valable `API_JETON_DUREE_JOURS` jours "
        "(90 par défaut), donné une seule fois\u00a0: le portail n'en garde qu'une empreinte. "
        "`libelle` nomme l'outil qui s'en servira, pour le reconnaître dans votre espace "
        "(«\u202fJetons d'API\u202f», où vous pouvez aussi le révoquer). Un changement ou une "
        "réinitialisation du mot de passe et la désactivation du compte révoquent tous ses "
        "jetons.",
        tags=["comptes"],
        request=DemandeJetonSerializer,
        responses={
            200: JetonSerializer,
            400: OpenApiResponse(description="identifiants refusés"),
            403: OpenApiResponse(description="trop de jetons valides pour ce compte"),
            429: OpenApiResponse(description="compte verrouillé après trop d'échecs"),
        },
    )
    def post(self, request, *args, **kwargs):
        # django-axes marks the Django request, not DRF's wrapper, as locked out.
        demande = DemandeJetonSerializer(data=request.data, context={"request": request._request})
        demande.is_valid(raise_exception=True)
        user = demande.validated_data["user"]
        try:
            jeton, secret = creer_jeton(user, libelle=demande.validated_data["libelle"])
        except ValidationError as erreur:
            return Response({"detail": erreur.messages[0]}, status=status.HTTP_403_FORBIDDEN)
        # a password exchanged for a token is a login: last_login, axes' log and reset
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response(
            JetonSerializer(
                {"token": secret, "expire_le": jeton.expiry, "libelle": jeton.libelle}
            ).data
        )
