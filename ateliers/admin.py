from django.contrib import admin

from territoires.admin import PerimetreAdminMixin

from .models import (
    Convention,
    DemandeAtelier,
    EtapeDemande,
    FicheAtelier,
    SessionAtelier,
    VersionFiche,
)


@admin.register(FicheAtelier)
class FicheAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["titre", "commune", "format", "statut", "version"]
    list_filter = ["statut", "format"]
    search_fields = ["titre"]
    autocomplete_fields = ["commune"]


@admin.register(VersionFiche)
class VersionAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["fiche", "numero", "publiee_le"]
    readonly_fields = ["fiche", "numero", "donnees", "publiee_le"]


@admin.register(Convention)
class ConventionAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["structure", "debut", "fin", "signee_le"]
    search_fields = ["structure__nom"]
    autocomplete_fields = ["structure"]


class EtapeInline(PerimetreAdminMixin, admin.TabularInline):
    model = EtapeDemande
    extra = 0
    readonly_fields = ["statut", "le", "par", "commentaire"]


@admin.register(DemandeAtelier)
class DemandeAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "version", "structure", "statut", "cree_le"]
    list_filter = ["statut"]
    inlines = [EtapeInline]
    raw_id_fields = ["structure", "convention", "version", "lieu", "cree_par"]


@admin.register(SessionAtelier)
class SessionAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["demande", "numero", "debut", "lieu", "cloturee_le"]
    raw_id_fields = ["demande", "lieu", "cloturee_par"]
