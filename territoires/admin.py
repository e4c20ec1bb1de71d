from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from .models import AncienneCommune, Commune, Departement, Epci, LocalitePostale, Region, Zone
from .perimetres import PerimetreQuerySet


def _restreint(queryset, user):
    if isinstance(queryset, PerimetreQuerySet):
        return queryset.pour(user)
    return queryset


class IdentifiantRestreint(ForeignKeyRawIdWidget):
    """The raw-id widget, reading the object it names through ``.pour(user)``."""

    def __init__(self, rel, admin_site, attrs=None, using=None, *, user):
        super().__init__(rel, admin_site, attrs, using)
        self.user = user

    def label_and_url_for_value(self, value):
        cle = self.rel.get_related_field().name
        lignes = _restreint(self.rel.model._default_manager.using(self.db).all(), self.user)
        try:
            objet = lignes.get(**{cle: value})
        except (ValueError, self.rel.model.DoesNotExist, ValidationError):
            return "", ""
        meta = objet._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_change",
                args=(objet.pk,),
            )
        except NoReverseMatch:
            url = ""
        return Truncator(objet).words(14), url


class PerimetreAdminMixin:
    """Admin (model or inline) of rows that belong to a territory: its lists and the
    choices of its related-object fields read through ``.pour(user)``, as every page does;
    the technical team's perimeter is national, so it sees every row. Without it a related
    dropdown reads an unscoped queryset and the page fails with ``PerimetreNonApplique``."""

    # web addresses typed without a scheme are https, as in the portal's own forms
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return _restreint(super().get_queryset(request), request.user)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return _restreint(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.raw_id_fields:
            kwargs["widget"] = IdentifiantRestreint(
                db_field.remote_field, self.admin_site, using=kwargs.get("using"), user=request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "nom", "type", "population"]
    list_filter = ["type"]
    search_fields = ["siren", "nom"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code_insee", "nom", "departement", "epci", "population"]
    list_select_related = ["departement", "epci"]
    list_filter = ["departement__region"]
    search_fields = ["code_insee", "nom_recherche", "codes_postaux"]
    autocomplete_fields = ["epci", "departement"]
    readonly_fields = ["nom_recherche"]


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "code", "commune"]
    list_filter = ["type"]
    list_select_related = ["commune"]
    search_fields = ["nom", "code", "commune__nom"]
    autocomplete_fields = ["commune"]

    def get_queryset(self, request):
        return Zone.objects.pour(request.user)


@admin.register(AncienneCommune)
class AncienneCommuneAdmin(admin.ModelAdmin):
    list_display = ["code_insee", "nom", "type", "commune", "annee"]
    list_filter = ["type", "annee"]
    list_select_related = ["commune"]
    search_fields = ["code_insee", "nom_recherche", "commune__nom"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["nom_recherche"]


@admin.register(LocalitePostale)
class LocalitePostaleAdmin(admin.ModelAdmin):
    list_display = ["code_postal", "nom", "commune"]
    list_select_related = ["commune"]
    search_fields = ["code_postal", "nom_recherche", "commune__nom"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["nom_recherche"]
