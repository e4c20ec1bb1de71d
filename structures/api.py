"""``/api/v1/lieux/``: public reading with the filters of the search page, scoped writing.

Anybody reads (list, retrieve; JSON or GeoJSON with ``?format=geojson`` or
``Accept: application/geo+json``). Writing is for coordinators (their territory), structure
referents (their structures' sites) and staff: the rows come from
``structures.permissions.lieux_modifiables``, so another site answers 404; the model
validates the data (``full_clean``, French messages) and the week's slots are recomputed.
"""

from __future__ import annotations

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer

from commun.api import CleTexteField
from territoires.models import Commune

from . import permissions as regles
from .fields import ListeChoixField
from .forms.public import RechercheLieuxForm
from .models import Arret, Lieu, Structure
from .services import recalculer_creneaux
from .validators import normaliser_telephones

MESSAGE_ECRITURE = (
    "Votre compte ne permet pas de modifier des lieux\u00a0: seuls les coordinateurs, les "
    "référents de structure et l'équipe du portail le peuvent."
)


class ChoixMultiplesField(serializers.MultipleChoiceField):
    """A ``ListeChoixField``: a JSON array of codes, kept in the vocabulary's order."""

    def to_representation(self, value):
        return list(ListeChoixField.en_liste(value))

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data]
        codes = super().to_internal_value(data)
        return [code for code in self.choices if code in codes]


class ArretSerializer(serializers.ModelSerializer):
    commune_nom = serializers.CharField(source="commune.nom", read_only=True)

    class Meta:
        model = Arret
        fields = [
            "id",
            "nom",
            "adresse",
            "commune",
            "commune_nom",
            "latitude",
            "longitude",
            "horaires",
        ]
        read_only_fields = fields


class LieuSerializer(serializers.ModelSerializer):
    commune = CleTexteField(queryset=Commune.objects.none(), help_text="code INSEE de la commune")
    structure = serializers.PrimaryKeyRelatedField(queryset=Structure.objects.tous().none())
    commune_nom = serializers.CharField(source="commune.nom", read_only=True)
    structure_nom = serializers.CharField(source="structure.nom", read_only=True)
    arrets = ArretSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="adresse de la fiche publique du lieu")

    class Meta:
        model = Lieu
        fields = [
            "id",
            "url",
            "structure",
            "structure_nom",
            "source",
            "identifiant",
            "nom",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "commune_nom",
            "latitude",
            "longitude",
            "typologies",
            "telephone",
            "courriels",
            "site_web",
            "horaires",
            "presentation_resume",
            "presentation_detail",
            "itinerance",
            "structure_parente",
            "services",
            "publics",
            "prise_en_charge",
            "frais",
            "programmes",
            "formations_labels",
            "autres_formations_labels",
            "modalites_acces",
            "modalites_accompagnement",
            "fiche_acces_libre",
            "prise_rdv",
            "wifi_public",
            "materiel_libre_acces",
            "mediateur_present",
            "arrets",
            "date_maj",
            "modifie_le",
        ]
        read_only_fields = ["date_maj", "modifie_le"]
        # uniqueness is checked by the model (full_clean), over every territory
        validators = []
        # the number is written in the standard's format first (validate_telephone), then
        # the model checks it in validate()
        extra_kwargs = {"telephone": {"validators": []}}

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, ListeChoixField):
            return ChoixMultiplesField, {
                "choices": model_field.choix.choices,
                "required": not model_field.blank,
                "allow_empty": model_field.blank,
                "label": model_field.verbose_name,
            }
        return super().build_standard_field(field_name, model_field)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        requete = self.context.get("request")
        user = getattr(requete, "user", None)
        if user is not None and regles.peut_gerer_lieux(user):
            self.fields["structure"].queryset = regles.structures_utilisables(user)
            self.fields["commune"].queryset = regles.communes_utilisables(user)

    def validate_telephone(self, valeur: str) -> str:
        """``02 43 47 47 47`` is written +33243474747, as the form does; the model checks."""
        return normaliser_telephones(valeur)

    def get_url(self, lieu) -> str:
        chemin = reverse("structures:lieu", args=[lieu.pk])
        requete = self.context.get("request")
        return requete.build_absolute_uri(chemin) if requete else chemin

    def validate(self, attrs):
        """The model's own validation, with its French messages."""
        candidat = copy.copy(self.instance) if self.instance is not None else Lieu()
        for champ, valeur in attrs.items():
            setattr(candidat, champ, valeur)
        try:
            candidat.full_clean()
        except DjangoValidationError as erreur:
            erreurs = erreur.message_dict
            if NON_FIELD_ERRORS in erreurs:
                erreurs["non_field_errors"] = erreurs.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(erreurs) from erreur
        return attrs


# LieuSerializer's fields read from a values() row: field -> column (or lookup)
SOURCES_DE_LA_LISTE = {
    "structure": "structure_id",
    "structure_nom": "nom_de_la_structure",
    "commune": "commune_id",
    "commune_nom": "nom_de_la_commune",
}
CALCULES = ("url", "arrets")
COLONNES_DE_LA_LISTE = [
    SOURCES_DE_LA_LISTE.get(champ, champ)
    for champ in LieuSerializer.Meta.fields
    if champ not in CALCULES
]
COLONNES_DES_ARRETS = [
    "lieu_id",
    "id",
    "nom",
    "adresse",
    "commune_id",
    "commune__nom",
    "latitude",
    "longitude",
    "horaires",
]


class LignesDeLieux:
    """What the paginator reads: the count of the sites found, and a page of their rows as
    ``values_list(*COLONNES_DE_LA_LISTE)``. The structure's and commune's names are read
    by subqueries that PostgreSQL evaluates for the page's rows only (after the sort and
    the limit): a join would hash the 35,000 communes at each request."""

    ordered = True  # the search's order (name, or distance to the commune)

    def __init__(self, lieux):
        self.lieux = lieux

    def count(self) -> int:
        return self.lieux.count()

    def __getitem__(self, tranche):
        noms = self.lieux.annotate(
            nom_de_la_structure=Subquery(
                Structure.objects.tous()
                .filter(pk=OuterRef("structure_id"))
                .order_by()
                .values("nom")
            ),
            nom_de_la_commune=Subquery(
                Commune.objects.filter(pk=OuterRef("commune_id")).order_by().values("nom")
            ),
        )
        return list(noms.values_list(*COLONNES_DE_LA_LISTE)[tranche])


def _representer(champs, noms, valeurs) -> dict:
    """As ``Serializer.to_representation``: None stays None, the rest goes through the
    field's ``to_representation``."""
    return {
        nom: None if valeur is None else champ.to_representation(valeur)
        for nom, champ, valeur in zip(noms, champs, valeurs, strict=True)
    }


def representer_lieux(lignes, serializer: LieuSerializer) -> list[dict]:
    """What ``LieuSerializer(many=True)`` writes for these rows of ``values_list(
    *COLONNES_DE_LA_LISTE)``, their stops read in one query."""
    champs = serializer.fields
    lus = [nom for nom in LieuSerializer.Meta.fields if nom not in CALCULES]
    a_lire = [_champ_de_valeur(champs[nom]) for nom in lus]
    arrets_champs = ArretSerializer().fields
    noms_arret = list(ArretSerializer.Meta.fields)
    champs_arret = [_champ_de_valeur(arrets_champs[nom]) for nom in noms_arret]
    arrets: dict[int, list[dict]] = {}
    identifiants = [ligne[0] for ligne in lignes]
    if identifiants:
        for lieu_id, *valeurs in (
            Arret.objects.filter(lieu_id__in=identifiants)
            .order_by("lieu_id", "nom", "pk")
            .values_list(*COLONNES_DES_ARRETS)
        ):
            arrets.setdefault(lieu_id, []).append(_representer(champs_arret, noms_arret, valeurs))
    requete = serializer.context.get("request")
    modele = reverse("structures:lieu", args=[0])[: -len("0/")]
    base = requete.build_absolute_uri(modele) if requete else modele
    resultats = []
    for ligne in lignes:
        lu = _representer(a_lire, lus, ligne)
        donnees = {}
        for nom in LieuSerializer.Meta.fields:
            if nom == "url":
                donnees[nom] = f"{base}{ligne[0]}/"
            elif nom == "arrets":
                donnees[nom] = arrets.get(ligne[0], [])
            else:
                donnees[nom] = lu[nom]
        resultats.append(donnees)
    return resultats


class _Valeur:
    """A related field read from its key's value (``commune_id``, ``structure_id``)."""

    def to_representation(self, valeur):
        return valeur


def _champ_de_valeur(champ):
    return _Valeur() if isinstance(champ, serializers.RelatedField) else champ


class GeoJSONRenderer(JSONRenderer):
    """A FeatureCollection (list) or a Feature (one site); paging in foreign members."""

    media_type = "application/geo+json"
    format = "geojson"

    @staticmethod
    def feature(lieu: dict) -> dict:
        proprietes = {k: v for k, v in lieu.items() if k not in ("latitude", "longitude")}
        geometrie = None
        if lieu.get("latitude") is not None and lieu.get("longitude") is not None:
            geometrie = {"type": "Point", "coordinates": [lieu["longitude"], lieu["latitude"]]}
        return {
            "type": "Feature",
            "id": lieu.get("id"),
            "geometry": geometrie,
            "properties": proprietes,
        }

    def render(self, data, accepted_media_type=None, renderer_context=None):
        reponse = (renderer_context or {}).get("response")
        if (reponse is not None and reponse.status_code >= 400) or not isinstance(data, dict):
            return super().render(data, accepted_media_type, renderer_context)
        if "results" in data:
            data = {
                "type": "FeatureCollection",
                "features": [self.feature(lieu) for lieu in data["results"]],
                "count": data.get("count"),
                "next": data.get("next"),
                "previous": data.get("previous"),
            }
        elif "id" in data:
            data = self.feature(data)
        return super().render(data, accepted_media_type, renderer_context)


class LectureOuEcritureAutorisee(permissions.BasePermission):
    """Reading for everybody; writing for the roles that keep sites up to date."""

    message = MESSAGE_ECRITURE

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False  # 401 with DRF's message
        return regles.peut_gerer_lieux(request.user)


def _parametres_de_recherche() -> list[OpenApiParameter]:
    formulaire = RechercheLieuxForm()
    parametres = []
    for nom, champ in formulaire.fields.items():
        choix = [code for code, _ in getattr(champ, "choices", []) if code]
        multiple = getattr(champ.widget, "allow_multiple_selected", False)
        parametres.append(
            OpenApiParameter(
                nom,
                OpenApiTypes.BOOL if champ.__class__.__name__ == "BooleanField" else str,
                description=str(champ.help_text or champ.label),
                enum=choix or None,
                many=multiple,
                explode=True if multiple else None,
            )
        )
    return parametres


@extend_schema_view(
    list=extend_schema(
        summary="Lieux de médiation numérique",
        description="Mêmes filtres que la page publique /lieux/ ; `?format=geojson` ou "
        "`Accept: application/geo+json` pour une FeatureCollection.",
        parameters=_parametres_de_recherche(),
        tags=["lieux"],
    ),
    retrieve=extend_schema(summary="Un lieu", tags=["lieux"]),
    create=extend_schema(summary="Créer un lieu (coordinateurs, référents)", tags=["lieux"]),
    update=extend_schema(summary="Modifier un lieu", tags=["lieux"]),
    partial_update=extend_schema(summary="Modifier une partie d'un lieu", tags=["lieux"]),
    destroy=extend_schema(summary="Supprimer un lieu", tags=["lieux"]),
)
class LieuViewSet(viewsets.ModelViewSet):
    serializer_class = LieuSerializer
    permission_classes = [LectureOuEcritureAutorisee]
    renderer_classes = [*viewsets.ModelViewSet.renderer_classes, GeoJSONRenderer]
    filter_backends = []
    throttle_scope = "lieux"  # per account, or per client address (commun.limites)

    def get_queryset(self):
        if self.request.method in permissions.SAFE_METHODS:
            lieux = Lieu.objects.publics()
        else:
            lieux = regles.lieux_modifiables(self.request.user)
        if self.action == "list":
            # read as values (see ``list``): no model instance to build per row
            formulaire = RechercheLieuxForm(self.request.query_params)
            if not formulaire.is_valid():
                raise serializers.ValidationError(formulaire.erreurs_en_texte())
            return formulaire.filtrer(lieux)
        return lieux.select_related("commune", "structure").prefetch_related(
            Prefetch("arrets", queryset=Arret.objects.select_related("commune"))
        )

    def list(self, request, *args, **kwargs):
        """The page of sites written from their columns' values (three queries: count,
        page, stops), each value through the serializer's own field, so that the JSON is
        the one ``LieuSerializer`` writes for a site; building a model instance and
        walking DRF's attribute lookup for each of a page's 100 rows cost most of the
        request's time."""
        page = self.paginate_queryset(LignesDeLieux(self.get_queryset()))
        return self.get_paginated_response(representer_lieux(page, self.get_serializer()))

    def _verifier_portee(self, lieu: Lieu) -> None:
        if not regles.lieux_modifiables(self.request.user).filter(pk=lieu.pk).exists():
            raise PermissionDenied(
                "Ce lieu sortirait de votre périmètre\u00a0: vous ne pourriez plus le modifier."
            )

    def _enregistrer(self, serializer):
        with transaction.atomic():
            lieu = serializer.save(date_maj=timezone.localdate())
            self._verifier_portee(lieu)
            recalculer_creneaux(lieux=[lieu])

    perform_create = perform_update = _enregistrer
