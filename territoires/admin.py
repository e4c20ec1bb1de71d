from django.contrib import admin

from .models import Commune, Departement, Epci, Region, Zone


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
