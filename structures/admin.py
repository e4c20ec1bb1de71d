from django.contrib import admin

from territoires.admin import PerimetreAdminMixin

from .models import Arret, Lieu, Signalement, Structure


@admin.register(Structure)
class StructureAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "pivot", "commune"]
    list_select_related = ["commune"]
    search_fields = ["nom", "pivot"]
    autocomplete_fields = ["commune", "parente", "referents"]


class ArretInline(PerimetreAdminMixin, admin.TabularInline):
    model = Arret
    extra = 0
    autocomplete_fields = ["commune"]


@admin.register(Lieu)
class LieuAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "commune", "structure", "source", "identifiant", "date_maj"]
    list_select_related = ["commune", "structure"]
    search_fields = ["nom", "identifiant"]
    list_filter = ["source"]
    autocomplete_fields = ["commune", "structure", "zone"]
    inlines = [ArretInline]


@admin.register(Signalement)
class SignalementAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["lieu", "statut", "cree_le", "notifie_le"]
    list_filter = ["statut"]
    readonly_fields = ["notifie_le"]
    list_select_related = ["lieu"]
    raw_id_fields = ["lieu"]
