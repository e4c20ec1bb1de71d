"""``/api/v1/activites/`` (activity reports) and ``/api/v1/conseillers/`` (advisors).

Reports: an advisor reads and writes their own (always for their own profile: the
``conseiller`` field is never read from the payload), a coordinator reads those of their
territory, staff reads all and may correct or delete any; the other roles see none. The
rows come from ``Activite.objects.consultables_par(user).visibles()``, so another
advisor's or territory's report answers 404. Every write goes through
``services.enregistrer_activite`` (the model's rules and French messages, audit trail);
deleting is soft (``services.supprimer_activite``).

Advisors: read-only, for coordinators (their territory) and staff.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from commun.api import CleTexteField
from comptes.enums import Role
from structures.api import ChoixMultiplesField
from structures.fields import ListeChoixField
from structures.models import Arret, Lieu
from territoires.models import Commune

from . import permissions as regles
from .enums import Canal, SourceActivite, Thematique, TypeActivite
from .models import Activite, Beneficiaire, Conseiller
from .services import enregistrer_activite, supprimer_activite

MESSAGE_LECTURE_SEULE = (
    "Votre compte permet de consulter des activités, pas d'en saisir ni d'en modifier\u00a0: "
    "seuls les conseillers numériques enregistrent leurs propres activités."
)
MESSAGE_CREATION_RESERVEE = (
    "Seuls les conseillers numériques créent des activités, pour leur propre profil."
)
MESSAGE_GESTION = (
    "La liste des conseillers est réservée à la coordination du territoire et à l'équipe du "
    "portail."
)


def erreurs_drf(erreur: DjangoValidationError) -> dict:
    """The model's French messages, per field, as DRF writes a 400."""
    if not hasattr(erreur, "error_dict"):
        return {"non_field_errors": erreur.messages}
    erreurs = erreur.message_dict
    if NON_FIELD_ERRORS in erreurs:
        erreurs["non_field_errors"] = erreurs.pop(NON_FIELD_ERRORS)
    return erreurs


class ChampsListeChoixMixin:
    """``ListeChoixField`` model fields as JSON arrays of codes."""

    def build_standard_field(self, field_name, model_field):
        if isinstance(model_field, ListeChoixField):
            return ChoixMultiplesField, {
                "choices": model_field.choix.choices,
                "required": not model_field.blank,
                "allow_empty": model_field.blank,
                "label": model_field.verbose_name,
            }
        return super().build_standard_field(field_name, model_field)


# -- activity reports -------------------------------------------------------------------


class CommuneDuTerritoireField(CleTexteField):
    """A commune by its INSEE code, in the territory of the account that writes."""

    def to_internal_value(self, data):
        commune = super().to_internal_value(data)
        requete = self.context.get("request")
        if requete is not None and not self._permise(commune, requete.user):
            self.fail("hors_territoire", pk_value=commune.pk)
        return commune

    def _permise(self, commune, user) -> bool:
        # as the form: a commune of the account's territory, or the one already recorded
        deja = getattr(self.parent.instance, "commune_id", None)
        return (
            commune.pk == deja
            or Commune.objects.dans(user.perimetre).filter(pk=commune.pk).exists()
        )


class ActiviteSerializer(ChampsListeChoixMixin, serializers.ModelSerializer):
    conseiller = serializers.PrimaryKeyRelatedField(read_only=True)
    lieu = serializers.PrimaryKeyRelatedField(
        queryset=Lieu.objects.tous().none(),
        required=False,
        allow_null=True,
        help_text="identifiant d'un des lieux d'activité du conseiller (canal lieu_activite "
        "ou itinerant)",
        error_messages={
            "does_not_exist": "Le lieu « {pk_value} » ne fait pas partie de vos lieux d'activité.",
            "incorrect_type": "Indiquez l'identifiant numérique du lieu.",
        },
    )
    arret = serializers.PrimaryKeyRelatedField(
        queryset=Arret.objects.none(),
        required=False,
        allow_null=True,
        help_text="arrêt d'un lieu itinérant du conseiller",
        error_messages={
            "does_not_exist": "L'arrêt « {pk_value} » n'appartient à aucun de vos lieux "
            "d'activité.",
            "incorrect_type": "Indiquez l'identifiant numérique de l'arrêt.",
        },
    )
    commune = CommuneDuTerritoireField(
        queryset=Commune.objects.all(),
        required=False,
        allow_null=True,
        help_text="code INSEE, dans le territoire du compte ; déduit du lieu ou de l'arrêt "
        "quand il y en a un",
        error_messages={
            "does_not_exist": "Aucune commune n'a le code INSEE « {pk_value} ».",
            "hors_territoire": "La commune « {pk_value} » n'est pas dans votre territoire.",
        },
    )
    zone = serializers.PrimaryKeyRelatedField(read_only=True, help_text="déduit du lieu")
    beneficiaires = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Beneficiaire.objects.tous().none(),
        help_text="bénéficiaires suivis (avec consentement) du conseiller",
        error_messages={
            "does_not_exist": "Le bénéficiaire « {pk_value} » ne fait pas partie des "
            "personnes que vous suivez.",
            "incorrect_type": "Indiquez l'identifiant numérique du bénéficiaire.",
        },
    )

    class Meta:
        model = Activite
        fields = [
            "id",
            "conseiller",
            "date",
            "duree_minutes",
            "type",
            "canal",
            "lieu",
            "arret",
            "commune",
            "zone",
            "nb_participants",
            "nb_participants_recurrents",
            "age_moins_12",
            "age_12_17",
            "age_18_24",
            "age_25_39",
            "age_40_59",
            "age_60_69",
            "age_70_plus",
            "statut_scolarise",
            "statut_sans_emploi",
            "statut_en_emploi",
            "statut_retraite",
            "statut_non_communique",
            "thematiques",
            "materiel",
            "autonomie",
            "a_poursuivre",
            "orientation",
            "oriente_par_travailleur_social",
            "titre_atelier",
            "niveau_atelier",
            "notes",
            "beneficiaires",
            "source",
            "cree_le",
            "modifie_le",
        ]
        read_only_fields = ["source", "cree_le", "modifie_le"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conseiller = self.context.get("conseiller")
        if conseiller is not None:
            lieux = conseiller.lieux_d_activite()
            self.fields["lieu"].queryset = lieux
            self.fields["arret"].queryset = Arret.objects.filter(lieu__in=lieux.values("pk"))
            self.fields[
                "beneficiaires"
            ].child_relation.queryset = regles.beneficiaires_du_conseiller(conseiller)

    def to_representation(self, instance):
        """The free-text notes are the advisor's own working notes: read by their author
        only, never by the coordination nor the technical team (docs/securite.md)."""
        donnees = super().to_representation(instance)
        requete = self.context.get("request")
        # an advisor reads its own reports only (Activite.objects.consultables_par): every
        # row it receives is its own; the other roles read no notes
        if requete is None or requete.user.is_staff or requete.user.role != Role.CONSEILLER:
            donnees.pop("notes", None)
        return donnees

    def _enregistrer(self, activite: Activite, donnees: dict, source=None) -> Activite:
        beneficiaires = donnees.pop("beneficiaires", None)
        for champ, valeur in donnees.items():
            setattr(activite, champ, valeur)
        try:
            return enregistrer_activite(
                activite=activite,
                user=self.context["request"].user,
                beneficiaires=beneficiaires,
                source=source,
            )
        except DjangoValidationError as erreur:
            raise serializers.ValidationError(erreurs_drf(erreur)) from erreur

    def create(self, validated_data):
        activite = Activite(conseiller=self.context["conseiller"])
        return self._enregistrer(activite, validated_data, source=SourceActivite.API)

    def update(self, instance, validated_data):
        return self._enregistrer(instance, validated_data)


class ActiviteFilter(django_filters.FilterSet):
    du = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="depuis le (AAAA-MM-JJ, inclus)"
    )
    au = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="jusqu'au (AAAA-MM-JJ, inclus)"
    )
    type = django_filters.ChoiceFilter(choices=TypeActivite.choices, label="type d'activité")
    canal = django_filters.ChoiceFilter(choices=Canal.choices, label="canal")
    thematique = django_filters.ChoiceFilter(
        choices=Thematique.choices, method="filtrer_thematique", label="thématique"
    )
    commune = django_filters.CharFilter(field_name="commune", label="code INSEE de la commune")
    conseiller = django_filters.NumberFilter(
        field_name="conseiller", label="identifiant du conseiller (coordination)"
    )

    class Meta:
        model = Activite
        fields = ["du", "au", "type", "canal", "thematique", "commune", "conseiller"]

    def filtrer_thematique(self, queryset, name, value):
        return queryset.avec_thematique(value)


class EcritureActivites(permissions.BasePermission):
    """Reading for every account (the queryset scopes it); writing for advisors and staff."""

    message = MESSAGE_LECTURE_SEULE

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False  # 401
        if request.method in permissions.SAFE_METHODS:
            return True
        return regles.peut_ecrire_activites(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Activités (comptes rendus d'activité)",
        description="Un conseiller voit ses propres activités, un coordinateur celles de son "
        "territoire, l'équipe du portail toutes ; les autres comptes n'en voient aucune.",
        tags=["activités"],
    ),
    retrieve=extend_schema(summary="Une activité", tags=["activités"]),
    create=extend_schema(
        summary="Enregistrer une activité (conseillers, pour leur propre profil)",
        tags=["activités"],
    ),
    update=extend_schema(summary="Modifier une activité", tags=["activités"]),
    partial_update=extend_schema(summary="Modifier une partie d'une activité", tags=["activités"]),
    destroy=extend_schema(
        summary="Supprimer une activité (elle sort des chiffres, l'historique la garde)",
        tags=["activités"],
    ),
)
class ActiviteViewSet(viewsets.ModelViewSet):
    serializer_class = ActiviteSerializer
    permission_classes = [EcritureActivites]
    filterset_class = ActiviteFilter

    def get_queryset(self):
        user = self.request.user
        if self.request.method in permissions.SAFE_METHODS:
            activites = Activite.objects.consultables_par(user)
        else:
            activites = regles.activites_modifiables(user).select_related("conseiller")
        return activites.visibles().prefetch_related(
            Prefetch("beneficiaires", queryset=Beneficiaire.objects.tous().only("pk"))
        )

    def get_serializer_context(self):
        contexte = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return contexte
        if self.action == "create":
            contexte["conseiller"] = self._profil_pour_creer()
        elif self.action in ("update", "partial_update"):
            contexte["conseiller"] = getattr(self, "conseiller_de_l_activite", None)
        return contexte

    def get_object(self):
        activite = super().get_object()
        self.conseiller_de_l_activite = activite.conseiller
        return activite

    def _profil_pour_creer(self) -> Conseiller:
        user = self.request.user
        if not regles.peut_saisir_activites(user):
            raise PermissionDenied(MESSAGE_CREATION_RESERVEE)
        return regles.exiger_conseiller(user)

    def perform_destroy(self, instance):
        supprimer_activite(activite=instance, user=self.request.user)


# -- advisors ---------------------------------------------------------------------------

# The themes' codes are described once, by the reports' ``thematiques`` (ThematiquesEnum):
# the advisors' skills refer to it rather than naming the same vocabulary twice.
REFERENCE_THEMATIQUES = {
    "type": "array",
    "items": {"$ref": "#/components/schemas/ThematiquesEnum"},
    "readOnly": True,
}


@extend_schema_field(REFERENCE_THEMATIQUES)
class ThematiquesLectureField(ChoixMultiplesField):
    pass


class ConseillerSerializer(ChampsListeChoixMixin, serializers.ModelSerializer):
    structure_nom = serializers.CharField(source="structure.nom", read_only=True, default=None)
    commune = serializers.PrimaryKeyRelatedField(read_only=True, help_text="code INSEE")
    commune_nom = serializers.CharField(source="commune.nom", read_only=True)
    a_un_compte = serializers.SerializerMethodField(help_text="le conseiller peut se connecter")
    derniere_activite = serializers.DateField(
        read_only=True, allow_null=True, help_text="date de sa dernière activité enregistrée"
    )

    class Meta:
        model = Conseiller
        fields = [
            "id",
            "email",
            "prenom",
            "nom",
            "structure",
            "structure_nom",
            "commune",
            "commune_nom",
            "lieux",
            "competences",
            "autres_competences",
            "thematiques_favorites",
            "date_debut_contrat",
            "date_fin_contrat",
            "programme",
            "ligne_financement",
            "a_un_compte",
            "derniere_activite",
        ]
        read_only_fields = fields

    def build_standard_field(self, field_name, model_field):
        if field_name in ("competences", "thematiques_favorites"):
            return ThematiquesLectureField, {
                "choices": Thematique.choices,
                "read_only": True,
                "label": model_field.verbose_name,
            }
        return super().build_standard_field(field_name, model_field)

    @extend_schema_field(bool)
    def get_a_un_compte(self, conseiller) -> bool:
        return conseiller.user_id is not None


class ConseillerFilter(django_filters.FilterSet):
    competence = django_filters.ChoiceFilter(
        choices=Thematique.choices,
        method="filtrer_competence",
        label="compétence ou thématique favorite",
    )
    inactifs = django_filters.NumberFilter(
        method="filtrer_inactifs",
        min_value=1,
        max_value=3650,
        label="sans activité depuis ce nombre de jours (par exemple 30)",
    )

    class Meta:
        model = Conseiller
        fields = ["competence", "inactifs"]

    def filtrer_competence(self, queryset, name, value):
        return queryset.avec_competence(value)

    def filtrer_inactifs(self, queryset, name, value):
        return queryset.sans_activite_depuis(int(value))


class GestionConseillers(permissions.BasePermission):
    message = MESSAGE_GESTION

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False  # 401
        return regles.peut_gerer_conseillers(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="Conseillers numériques du territoire (coordination)", tags=["conseillers"]
    ),
    retrieve=extend_schema(summary="Un conseiller numérique", tags=["conseillers"]),
)
class ConseillerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConseillerSerializer
    permission_classes = [GestionConseillers]
    filterset_class = ConseillerFilter

    def get_queryset(self):
        return (
            regles.conseillers_geres(self.request.user)
            .avec_derniere_activite()
            .select_related("commune", "structure")
            .order_by("nom", "prenom", "pk")
            .prefetch_related(Prefetch("lieux", queryset=Lieu.objects.tous().only("pk")))
        )
