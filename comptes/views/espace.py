"""A logged-in person's own pages: the space of each role, the password change and the
API tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from territoires.models import Commune, Zone

from .. import a_faire, permissions, services
from ..enums import Role
from ..forms.espace import ChangementMotDePasseForm, JetonForm
from ..models import JetonApi, User


class ChangementMotDePasseView(auth_views.PasswordChangeView):
    template_name = "comptes/espace/changement_mot_de_passe.html"
    form_class = ChangementMotDePasseForm
    success_url = reverse_lazy("comptes:espace")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return super().form_valid(form)


@require_GET
def espace(request):
    """Send each role to its own space."""
    user = request.user
    if user.role in permissions.ESPACES:
        return redirect(permissions.ESPACES[user.role])
    if user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied("Votre compte n'a pas de rôle sur ce portail.")


def _contexte_territoire(user) -> dict:
    communes = Commune.objects.dans(user.perimetre)
    chiffres = communes.aggregate(nombre=Count("pk"), population=Sum("population"))
    return {
        "territoires": user.territoires.select_related("commune", "epci", "departement"),
        "nombre_communes": chiffres["nombre"],
        "population": chiffres["population"] or 0,
        "nombre_zones": Zone.objects.pour(user).count(),
    }


def _coordinateurs(user):
    return (
        User.objects.pour(user)
        .actifs()
        .du_role(Role.COORDINATEUR)
        .exclude(pk=user.pk)
        .only("prenom", "nom", "email", "telephone")
    )


@require_GET
def espace_coordination(request):
    permissions.exiger_espace(request.user, Role.COORDINATEUR)
    user = request.user
    comptes = (
        User.objects.pour(user)
        .actifs()
        .exclude(role="")
        .only("prenom", "nom", "email", "role", "last_login")
        .order_by("role", "nom", "prenom")
    )
    communes = (
        Commune.objects.dans(user.perimetre)
        .select_related("epci")
        .annotate(nombre_zones=Count("zones"))
        .order_by("-population")
    )
    return render(
        request,
        "comptes/espace/coordination.html",
        {
            **_contexte_territoire(user),
            "taches": a_faire.taches(user),
            "comptes": comptes,
            "communes": communes[:500],
            "roles": Role,
        },
    )


def _espace_partenaire(request, role: Role, template: str):
    """Advisors' and referents' spaces: their territory and whom to contact."""
    permissions.exiger_espace(request.user, role)
    return render(
        request,
        template,
        {**_contexte_territoire(request.user), "coordinateurs": _coordinateurs(request.user)},
    )


@require_GET
def espace_conseiller(request):
    return _espace_partenaire(request, Role.CONSEILLER, "comptes/espace/conseiller.html")


@require_GET
def espace_structure(request):
    return _espace_partenaire(request, Role.REFERENT, "comptes/espace/structure.html")


@require_GET
def espace_elu(request):
    permissions.exiger_espace(request.user, Role.ELU)
    user = request.user
    communes = Commune.objects.dans(user.perimetre).order_by("-population")
    return render(
        request,
        "comptes/espace/elu.html",
        {
            **_contexte_territoire(user),
            "communes": communes[:500],
            "coordinateurs": _coordinateurs(user),
        },
    )


@never_cache
def jetons(request):
    """The account's API tokens; a new one is shown once, in the answer to its creation."""
    permissions.exiger_jetons(request.user)
    form = JetonForm(request.POST or None)
    nouveau = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            nouveau, secret = services.creer_jeton(
                request.user, libelle=form.cleaned_data["libelle"]
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            form = JetonForm()
    return render(
        request,
        "comptes/espace/jetons.html",
        {
            "jetons": JetonApi.objects.de(request.user).order_by("-created"),
            "form": form,
            "nouveau": nouveau,
            "secret": secret,
            "duree_jours": settings.API_JETON_DUREE_JOURS,
        },
    )


@require_POST
def revoquer_jeton(request, identifiant):
    permissions.exiger_jetons(request.user)
    jeton = services.revoquer_jeton(request.user, identifiant)
    nom = jeton.libelle or "sans libellé"
    messages.success(
        request,
        f"Le jeton «\u202f{nom}\u202f» est révoqué\u00a0: les outils qui s'en servaient sont "
        "désormais refusés.",
    )
    return redirect("comptes:jetons")


@require_POST
def revoquer_jetons(request):
    permissions.exiger_jetons(request.user)
    nombre = services.revoquer_jetons(request.user)
    if nombre:
        s = "s" if nombre > 1 else ""
        texte = (
            f"{nombre} jeton{s} révoqué{s}\u00a0: aucun outil n'accède plus à l'API en votre nom."
        )
    else:
        texte = "Votre compte n'avait aucun jeton."
    messages.success(request, texte)
    return redirect("comptes:jetons")
