"""The coordinators' list of the partners' websites allowed to embed the portal."""

from django import forms

from commun.forms import FormulaireAccessibleMixin

from ..models import OrigineIntegration, normaliser_origine


class OrigineForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = OrigineIntegration
        fields = ["origine", "partenaire"]
        error_messages = {
            "partenaire": {"required": "Nommez le partenaire qui tient ce site."},
            "origine": {"required": "Donnez l'adresse du site partenaire."},
        }

    def clean_origine(self) -> str:
        origine = normaliser_origine(self.cleaned_data.get("origine", ""))
        if OrigineIntegration.objects.filter(origine=origine).exists():
            raise forms.ValidationError("Ce site est déjà autorisé.")
        return origine
