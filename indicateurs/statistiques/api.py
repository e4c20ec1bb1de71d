"""``GET /api/v1/statistiques/mensuelles/``: the stored monthly snapshots, within what the
user may read (routed by ``inclusion/api.py``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import CHAMPS_CHIFFRES


def _chiffres_serializer(nom: str, *, derives: bool) -> serializers.Serializer:
    champs = {n: serializers.IntegerField(help_text=libelle) for n, libelle in CHAMPS_CHIFFRES}
    if derives:
        champs["temps_total_heures"] = serializers.FloatField(help_text="durée totale en heures")
        champs["pourcentages"] = serializers.DictField(
            child=serializers.FloatField(allow_null=True),
            help_text="âges et statuts en % des participants (une décimale)",
        )
    return inline_serializer(nom, champs)


class LectureStatistiques(permissions.BasePermission):
    message = "Connectez-vous pour consulter les statistiques."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


@extend_schema(
    summary="Statistiques mensuelles (instantanés calculés chaque mois)",
    parameters=[
        OpenApiParameter("du", OpenApiTypes.STR, description="premier mois, AAAA-MM"),
        OpenApiParameter("au", OpenApiTypes.STR, description="dernier mois, AAAA-MM"),
        OpenApiParameter(
            "territoire", OpenApiTypes.STR, description="code de commune, d'EPCI ou de département"
        ),
        OpenApiParameter("structure", OpenApiTypes.INT, description="identifiant de structure"),
        OpenApiParameter("conseiller", OpenApiTypes.INT, description="identifiant de conseiller"),
    ],
    responses=inline_serializer(
        "StatistiquesMensuelles",
        {
            "du": serializers.CharField(),
            "au": serializers.CharField(),
            "mois": serializers.ListField(
                child=_chiffres_serializer("ChiffresDuMois", derives=True)
            ),
            "total": _chiffres_serializer("ChiffresTotaux", derives=True),
            "moyenne_mensuelle": _chiffres_serializer("MoyenneMensuelle", derives=False),
        },
    ),
)
class StatistiquesMensuellesView(APIView):
    """``GET /api/v1/statistiques/mensuelles/?du=YYYY-MM&au=YYYY-MM[&territoire=…]…``

    Reads the stored snapshots, never the reports, within what the user may read
    (:func:`indicateurs.statistiques.calcul.statistiques_visibles`): a coordinator or an élu their
    territories, a referent its structures, an advisor its own figures, staff everything.
    ``total`` sums each count over the months; ``moyenne_mensuelle`` is that total divided
    by the number of months, rounded half up. Without ``du``/``au``: the last 12 closed
    months. 400 with a French message on a bad parameter.
    """

    permission_classes = [LectureStatistiques]

    def get(self, request):
        from .calcul import lire_filtres, serie_mensuelle

        try:
            filtres = lire_filtres(request.query_params)
        except ValueError as erreur:
            raise ValidationError({"detail": str(erreur)}) from erreur
        return Response(serie_mensuelle(request.user, filtres))
