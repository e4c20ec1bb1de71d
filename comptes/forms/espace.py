"""The logged-in person's password change and API tokens."""

from django import forms
from django.contrib.auth import forms as auth_forms

from commun.forms import FormulaireAccessibleMixin


class ChangementMotDePasseForm(FormulaireAccessibleMixin, auth_forms.PasswordChangeForm):
    pass


class JetonForm(FormulaireAccessibleMixin, forms.Form):
    libelle = forms.CharField(
        label="Nom de l'outil",
        max_length=100,
        help_text="Par exemple\u00a0: tableur de suivi, script d'import. Il vous aidera à "
        "reconnaître ce jeton dans la liste.",
    )
