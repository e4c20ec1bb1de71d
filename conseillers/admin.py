from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from territoires.admin import PerimetreAdminMixin

from .models import Activite, Beneficiaire, Conseiller, MiseADisposition


@admin.register(Conseiller)
class ConseillerAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "email", "commune", "structure", "programme", "date_fin_contrat"]
    list_select_related = ["commune", "structure"]
    list_filter = ["programme"]
    search_fields = ["nom", "prenom", "email"]
    autocomplete_fields = ["user", "commune", "structure", "lieux"]


@admin.register(MiseADisposition)
class MiseADispositionAdmin(PerimetreAdminMixin, SimpleHistoryAdmin):
    list_display = ["structure", "lieu", "convention", "date_debut", "date_fin"]
    list_select_related = ["structure", "lieu"]
    search_fields = ["convention", "structure__nom"]
    autocomplete_fields = ["structure", "lieu", "conseillers"]


@admin.register(Activite)
class ActiviteAdmin(PerimetreAdminMixin, SimpleHistoryAdmin):
    list_display = ["date", "conseiller", "type", "canal", "nb_participants", "supprime_le"]
    list_select_related = ["conseiller"]
    list_filter = ["type", "canal", "source"]
    date_hierarchy = "date"
    raw_id_fields = ["conseiller", "lieu", "arret", "commune", "zone", "cree_par"]
    filter_horizontal = ["beneficiaires"]


@admin.register(Beneficiaire)
class BeneficiaireAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["prenom", "annee_naissance", "commune", "conseiller", "derniere_activite"]
    list_select_related = ["commune", "conseiller"]
    raw_id_fields = ["conseiller", "commune"]
