from django.contrib import admin

from territoires.admin import PerimetreAdminMixin

from .models import Contact, Desinscription, Envoi, Groupe


@admin.register(Contact)
class ContactAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "prenom", "structure", "courriel", "base_legale"]
    list_select_related = ["structure"]
    search_fields = ["nom", "prenom", "courriel"]
    raw_id_fields = ["structure"]


@admin.register(Groupe)
class GroupeAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["nom", "nature"]
    raw_id_fields = ["commune", "epci", "departement"]


@admin.register(Envoi)
class EnvoiAdmin(PerimetreAdminMixin, admin.ModelAdmin):
    list_display = ["sujet", "auteur", "cree_le", "nombre_destinataires", "nombre_envoyes"]
    raw_id_fields = ["auteur", "commune", "epci", "departement"]


@admin.register(Desinscription)
class DesinscriptionAdmin(admin.ModelAdmin):
    list_display = ["courriel", "cree_le"]
    search_fields = ["courriel"]
