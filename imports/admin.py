from django.contrib import admin

from .models import Import


@admin.register(Import)
class ImportAdmin(admin.ModelAdmin):
    list_display = ["nom_fichier", "type", "etat", "cree_par", "cree_le", "crees", "refusees"]
    list_filter = ["type", "etat"]
    readonly_fields = [f.name for f in Import._meta.fields]

    def get_queryset(self, request):
        return Import.objects.tous()
