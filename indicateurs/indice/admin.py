from django.contrib import admin

from indicateurs.enums import Axe

from .models import IndiceUnite, ResultatIndice, ValeurIndicateur


class PerimetreAdminMixin:
    def get_queryset(self, request):
        return self.model.objects.pour(request.user)


@admin.register(ValeurIndicateur)
class ValeurIndicateurAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["niveau", "code", "indicateur", "valeur", "millesime", "source"]
    list_filter = ["niveau", "millesime", "indicateur"]
    search_fields = ["code"]
    raw_id_fields = ["commune", "zone"]


class IndiceUniteInline(admin.TabularInline):
    model = IndiceUnite
    extra = 0
    fields = ["code", "nom", "indice", *Axe.values, "scores"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return IndiceUnite.objects.pour(request.user).order_by("code")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ResultatIndice)
class ResultatIndiceAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "niveau", "millesime", "methode", "nombre_unites", "calcule_le", "tache"]
    list_filter = ["niveau", "millesime", "methode"]
    readonly_fields = [
        "niveau",
        "millesime",
        "methode",
        "parametres",
        "calcule_le",
        "calcule_par",
        "tache",
        "nombre_unites",
    ]
    inlines = [IndiceUniteInline]

    def has_add_permission(self, request):
        return False
