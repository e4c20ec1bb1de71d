"""What a coordination publishes, and the share links of structures and advisors."""

from __future__ import annotations

from django import forms

from commun.forms import FormulaireAccessibleMixin
from indicateurs.territoire import territoire_de_reference

from ..models import (
    CHIFFRES_PUBLIABLES,
    MOIS_PUBLIES_MAX,
    PublicationStatistiques,
    _chiffres_par_defaut,
)


def territoires_du_compte(user) -> list[tuple[str, str]]:
    """(code, name) of the territories a coordinator holds: it publishes for those only."""
    choix = []
    for t in user.territoires.select_related("commune", "epci", "departement"):
        objet = t.commune or t.epci or t.departement
        if objet is not None:
            choix.append((str(objet.pk), str(getattr(objet, "nom", objet))))
    return choix


class PublicationForm(FormulaireAccessibleMixin, forms.ModelForm):
    territoire = forms.ChoiceField(label="Territoire")
    chiffres = forms.MultipleChoiceField(
        label="Chiffres publiés",
        choices=CHIFFRES_PUBLIABLES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un chiffre à publier."},
    )
    nombre_mois = forms.IntegerField(
        label="Mois publiés (les derniers mois clos)",
        min_value=1,
        max_value=MOIS_PUBLIES_MAX,
        initial=12,
        error_messages={
            "min_value": "Publiez au moins un mois.",
            "max_value": f"Publiez {MOIS_PUBLIES_MAX} mois au plus.",
            "invalid": "Donnez un nombre de mois, par exemple 12.",
            "required": "Donnez le nombre de mois publiés.",
        },
    )

    class Meta:
        model = PublicationStatistiques
        fields = ["territoire", "chiffres", "nombre_mois", "publiee"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.national = bool(user.is_staff or user.is_superuser)
        if self.national:
            self.fields["territoire"] = forms.CharField(
                label="Territoire",
                max_length=9,
                help_text="code INSEE de la commune, SIREN de l'EPCI ou code du département",
            )
        else:
            self.fields["territoire"].choices = territoires_du_compte(user)
            self.fields["territoire"].error_messages["invalid_choice"] = (
                "Choisissez un des territoires de votre compte."
            )
        if self.instance.pk:
            self.fields["territoire"].disabled = True
        else:
            # the declared field hides the model's default: the usual figures ticked
            self.fields["chiffres"].initial = _chiffres_par_defaut()
            self.fields["publiee"].initial = True

    def territoire_permis(self, code: str) -> bool:
        return self.national or code in dict(territoires_du_compte(self.user))

    def clean_territoire(self) -> str:
        code = self.cleaned_data["territoire"].strip()
        try:
            territoire = territoire_de_reference(code)
        except Exception as erreur:
            raise forms.ValidationError(str(erreur)) from erreur
        if not self.territoire_permis(territoire.code):
            raise forms.ValidationError("Choisissez un des territoires de votre compte.")
        self._nom = territoire.nom
        return territoire.code

    def save(self, commit=True):
        objet = super().save(commit=False)
        if getattr(self, "_nom", None):
            objet.nom = self._nom
        if commit:
            objet.save()
        return objet


class PartageForm(FormulaireAccessibleMixin, forms.Form):
    cible = forms.ChoiceField(
        label="Chiffres à partager",
        error_messages={"invalid_choice": "Choisissez une structure ou un profil de la liste."},
    )

    def __init__(self, *args, structures, conseillers, **kwargs):
        super().__init__(*args, **kwargs)
        self.objets = {f"structure:{s.pk}": ("structure", s) for s in structures}
        self.objets |= {f"conseiller:{c.pk}": ("conseiller", c) for c in conseillers}
        self.fields["cible"].choices = [
            (cle, f"{'Structure' if genre == 'structure' else 'Conseiller'}\u00a0: {objet}")
            for cle, (genre, objet) in self.objets.items()
        ]

    def objet_choisi(self) -> dict:
        genre, objet = self.objets[self.cleaned_data["cible"]]
        return {genre: objet}
