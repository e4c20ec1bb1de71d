from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from rest_framework.authtoken.admin import TokenAdmin

from .models import TerritoireUtilisateur, User

TokenAdmin.raw_id_fields = ["user"]


class TerritoireUtilisateurInline(admin.TabularInline):
    model = TerritoireUtilisateur
    extra = 1
    autocomplete_fields = ["commune", "epci", "departement"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "prenom", "nom", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "prenom", "nom"]
    inlines = [TerritoireUtilisateurInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["prenom", "nom", "telephone"]}),
        ("Rôle", {"fields": ["role", "is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]
