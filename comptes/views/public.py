"""Pages without an account: login, logout, forgotten password."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator

from commun import limites

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
