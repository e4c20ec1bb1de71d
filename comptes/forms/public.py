"""Forms without an account: login, password reset request, new password."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.template import loader

from commun.forms import FormulaireAccessibleMixin

from ..tasks import envoyer_courriel_sans_attendre
from ..verrouillage import minutes_de_verrouillage, normaliser_identifiant


class ConnexionForm(FormulaireAccessibleMixin, auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label="Adresse électronique",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {"inactive": "Ce compte est désactivé."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": "Adresse électronique ou mot de passe incorrect. Après "
            f"{settings.AXES_FAILURE_LIMIT} essais infructueux, le compte est bloqué pendant "
            f"{minutes_de_verrouillage()} minutes.",
        }

    def clean_username(self):
        # authenticated and counted by the lockout under the spelling accounts store
        return normaliser_identifiant(self.cleaned_data.get("username"))


class ReinitialisationForm(FormulaireAccessibleMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self):
        return normaliser_identifiant(self.cleaned_data.get("email"))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Render here, send from a Celery worker."""
        sujet = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        texte = loader.render_to_string(email_template_name, context)
        envoyer_courriel_sans_attendre(sujet=sujet, texte=texte, destinataires=[to_email])


class NouveauMotDePasseForm(FormulaireAccessibleMixin, auth_forms.SetPasswordForm):
    pass
