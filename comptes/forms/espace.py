"""The logged-in person's password change."""

from django.contrib.auth import forms as auth_forms

from commun.forms import FormulaireAccessibleMixin


class ChangementMotDePasseForm(FormulaireAccessibleMixin, auth_forms.PasswordChangeForm):
    pass
