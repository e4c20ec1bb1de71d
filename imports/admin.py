from django.contrib import admin

from .models import Import


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["nom_fichier", "type", "etat", "cree_par", "cree_le", "crees", "refusees"]
    list_filter = ["type", "etat"]
    readonly_fields = [f.name for f in Import._meta.fields]

    def has_add_permission(self, request):
        return False  # uploaded from /gestion/imports/, where the preview is computed

    def get_queryset(self, request):
        return Import.objects.tous()
