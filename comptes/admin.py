from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Invitation, JetonApi, TerritoireUtilisateur, User


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


@admin.register(JetonApi)
class JetonApiAdmin(admin.ModelAdmin):
    """Tokens are created by their owner (space or API), where the secret is shown once;
    here they are read and revoked (deleted)."""

    list_display = ["libelle", "user", "created", "expiry", "dernier_usage"]
    list_select_related = ["user"]
    search_fields = ["libelle", "user__email"]
    fields = ["user", "libelle", "created", "expiry", "dernier_usage"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read only: invitations are sent, resent and cancelled from /gestion/comptes/."""

    list_display = ["user", "invite_par", "envoyee_le", "envois", "expire_le", "acceptee_le"]
    list_filter = ["acceptee_le", "annulee_le"]
    search_fields = ["user__email"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
