"""Pages without an account: login, logout, forgotten password, accepted invitation."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commun import limites

from .. import services
from ..forms.public import ConnexionForm, NouveauMotDePasseForm, ReinitialisationForm


@method_decorator(login_not_required, name="dispatch")
class ConnexionView(auth_views.LoginView):
    template_name = "comptes/public/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True


@method_decorator(login_not_required, name="dispatch")
class DeconnexionView(auth_views.LogoutView):
    pass


@method_decorator(login_not_required, name="dispatch")
@method_decorator(limites.reinitialisation, name="post")
class ReinitialisationView(auth_views.PasswordResetView):
    template_name = "comptes/public/reinitialisation.html"
    email_template_name = "comptes/courriels/reinitialisation.txt"
    subject_template_name = "comptes/courriels/reinitialisation_sujet.txt"
    form_class = ReinitialisationForm
    success_url = reverse_lazy("comptes:reinitialisation_envoyee")


@method_decorator(login_not_required, name="dispatch")
class ReinitialisationEnvoyeeView(auth_views.PasswordResetDoneView):
    template_name = "comptes/public/reinitialisation_envoyee.html"


@method_decorator(login_not_required, name="dispatch")
class NouveauMotDePasseView(auth_views.PasswordResetConfirmView):
    template_name = "comptes/public/nouveau_mot_de_passe.html"
    form_class = NouveauMotDePasseForm
    success_url = reverse_lazy("comptes:mot_de_passe_modifie")


@method_decorator(login_not_required, name="dispatch")
class MotDePasseModifieView(auth_views.PasswordResetCompleteView):
    template_name = "comptes/public/mot_de_passe_modifie.html"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, signe: str):
    """The link of an invitation: the invitee chooses its password, then logs in."""
    invitation = services.invitation_du_lien(signe)
    if invitation is None:
        return render(request, "comptes/public/invitation.html", {"valide": False})
    form = NouveauMotDePasseForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accepter_invitation(
                invitation=invitation, mot_de_passe=form.cleaned_data["new_password1"]
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                "Votre mot de passe est enregistré\u00a0: connectez-vous avec votre adresse "
                "électronique et ce mot de passe.",
            )
            return redirect("comptes:connexion")
    return render(
        request,
        "comptes/public/invitation.html",
        {"valide": True, "form": form, "invitation": invitation},
    )
