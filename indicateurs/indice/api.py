"""``GET /api/v1/indices/?niveau=…&millesime=…[&methode=…]``: the latest index of a level.

Readable by coordinators, élus and staff, as the index pages
(``permissions.peut_lire_indices``), for the units of their own territories: the result
read is the latest one (latest vintage when ``millesime`` is
left out, then latest computation) among those with at least one unit in the user's
territory, and only those units are listed, most fragile first. 400 with a French message
on a missing or invalid parameter, 404 when no result matches.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from indicateurs.enums import Methode, Niveau
from indicateurs.permissions import peut_lire_indices

from .models import MILLESIME_MAX, MILLESIME_MIN, IndiceUnite, ResultatIndice


class LectureIndices(permissions.BasePermission):
    message = "L'indice de fragilité numérique se consulte par les coordinateurs et les élus."

    def has_permission(self, request, view):
        return peut_lire_indices(request.user)


class IndiceUniteSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()
    indice = serializers.FloatField(allow_null=True)
    axes = serializers.SerializerMethodField(
        help_text="les quatre axes (vide pour un indice publié qui ne les donne pas)"
    )
    scores = serializers.JSONField(
        help_text="score de chaque indicateur présent (−3 à +3 en rangs, base 100 en ratio)",
    )

    def get_axes(self, unite) -> dict[str, float | None]:
        axes = unite.axes
        if self.context.get("methode") == Methode.PUBLIE and all(v is None for v in axes.values()):
            return {}
        return axes


class ParametresIndices(serializers.Serializer):
    niveau = serializers.ChoiceField(
        choices=Niveau.choices,
        error_messages={
            "required": "Le paramètre « niveau » est obligatoire (commune, iris ou quartier).",
            "invalid_choice": "Niveau inconnu « {input} »\u00a0: commune, iris ou quartier.",
        },
    )
    millesime = serializers.IntegerField(
        required=False,
        min_value=MILLESIME_MIN,
        max_value=MILLESIME_MAX,
        error_messages={"invalid": "Le millésime est une année, par exemple 2022."},
    )
    methode = serializers.ChoiceField(
        choices=Methode.choices,
        required=False,
        error_messages={
            "invalid_choice": "Méthode inconnue « {input} »\u00a0: rangs, ratio ou publie."
        },
    )


@extend_schema_view(
    list=extend_schema(
        summary="Indice de fragilité numérique des unités de mon territoire",
        description="Dernier résultat calculé ou publié pour le niveau (et le millésime, la "
        "méthode) demandés, unités les plus fragiles d'abord. `axes`\u00a0: les quatre axes ; "
        "`scores`\u00a0: le score de chaque indicateur présent.",
        parameters=[
            OpenApiParameter("niveau", str, required=True, enum=Niveau.values),
            OpenApiParameter(
                "millesime", OpenApiTypes.INT, description="année (par défaut la plus récente)"
            ),
            OpenApiParameter("methode", str, enum=Methode.values),
        ],
        tags=["indicateurs"],
    ),
)
class IndiceViewSet(viewsets.GenericViewSet):
    serializer_class = IndiceUniteSerializer
    permission_classes = [LectureIndices]
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return IndiceUnite.objects.pour(self.request.user)

    def list(self, request):
        parametres = ParametresIndices(data=request.query_params)
        if not parametres.is_valid():
            raise ValidationError(
                {champ: [str(e) for e in erreurs] for champ, erreurs in parametres.errors.items()}
            )
        p = parametres.validated_data
        resultat = (
            ResultatIndice.objects.pour(request.user)
            .du_millesime(p["niveau"], p.get("millesime"), p.get("methode"))
            .plus_recent()
        )
        if resultat is None:
            raise NotFound("Aucun indice calculé ou publié pour ce niveau sur votre territoire.")
        unites = self.get_queryset().filter(resultat=resultat).classement()
        contexte = {**self.get_serializer_context(), "methode": resultat.methode}
        donnees = self.get_serializer(unites, many=True, context=contexte).data
        reponse = Response(donnees)
        reponse["X-Indice-Resultat"] = str(resultat.pk)
        reponse["X-Indice-Methode"] = resultat.methode
        reponse["X-Indice-Millesime"] = str(resultat.millesime)
        return reponse
