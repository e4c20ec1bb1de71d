"""Public forms: the agenda's filters and the quarterly programme's choice."""

from __future__ import annotations

from django import forms

from commun.forms import FormulaireAccessibleMixin
from commun.rendu import RenduRapide
from conseillers.enums import Thematique
from territoires.models import Commune
from territoires.text import normaliser


class AgendaForm(FormulaireAccessibleMixin, forms.Form):
    """The public agenda's filters."""

    default_renderer = RenduRapide
    commune = forms.ChoiceField(label="Commune", required=False)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    thematique = forms.ChoiceField(
        label="Thème",
        required=False,
        choices=[("", "Tous les thèmes"), *Thematique.choices],
        error_messages={"invalid_choice": "Choisissez un thème de la liste."},
    )

    def __init__(self, *args, communes, quartiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "Toutes les communes"), *communes]
        self.fields["commune"].error_messages["invalid_choice"] = (
            "Choisissez une commune de la liste."
        )
        self.fields["quartier"].choices = [("", "Tous les quartiers"), *quartiers]
        self.fields["quartier"].error_messages["invalid_choice"] = (
            "Choisissez un quartier de la liste."
        )


class ProgrammeForm(FormulaireAccessibleMixin, forms.Form):
    """The quarterly programme of a commune, or of its whole intercommunality."""

    commune = forms.CharField(
        label="Commune",
        max_length=100,
        help_text="Nom, code postal ou code INSEE, par exemple « Le Mans » ou 72000.",
        error_messages={
            "required": "Indiquez la commune du programme.",
            "max_length": "100 caractères au plus.",
        },
    )
    intercommunalite = forms.BooleanField(
        label="Avec toutes les communes de l'intercommunalité", required=False
    )
    trimestre = forms.ChoiceField(
        label="Trimestre",
        error_messages={
            "required": "Choisissez le trimestre.",
            "invalid_choice": "Choisissez un trimestre de la liste.",
        },
    )

    def __init__(self, *args, trimestres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trimestre"].choices = trimestres
        self.fields["trimestre"].initial = trimestres[0][0]

    def clean_commune(self):
        texte = self.cleaned_data["commune"].strip()
        trouvees = list(Commune.objects.recherche(texte)[:6])
        cle = normaliser(texte)
        exactes = [c for c in trouvees if cle == c.nom_recherche or texte == c.code_insee]
        if len(exactes) == 1:
            return exactes[0]
        if not trouvees:
            raise forms.ValidationError(f"Aucune commune ne correspond à « {texte} ».")
        if len(trouvees) > 1:
            noms = ", ".join(f"{c.nom} ({c.code_insee})" for c in trouvees[:5])
            raise forms.ValidationError(
                f"Plusieurs communes correspondent à « {texte} »\u00a0: {noms}. Précisez le "
                "code INSEE."
            )
        return trouvees[0]
