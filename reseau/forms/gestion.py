"""Forms of the network's back office: contacts, groups, a mailing."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from structures.enums import Programme, Typologie
from structures.validators import normaliser_telephone

from ..enums import Audience, BaseLegale, NatureGroupe
from ..models import Contact, Groupe


class ContactForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "structure",
            "prenom",
            "nom",
            "fonction",
            "courriel",
            "telephone",
            "base_legale",
            "base_legale_le",
            "groupes",
        ]
        labels = {
            "prenom": "Prénom",
            "nom": "Nom",
            "fonction": "Fonction",
            "courriel": "Adresse électronique",
            "telephone": "Téléphone",
            "base_legale": "Base légale",
            "base_legale_le": "Date du consentement ou de l'enregistrement",
            "groupes": "Réseau et groupes de travail",
            "structure": "Structure",
        }
        help_texts = {
            "telephone": "par exemple 02 43 47 47 47",
            "base_legale": "pourquoi le portail peut garder ce contact et lui écrire",
        }
        widgets = {
            "base_legale": forms.RadioSelect,
            "base_legale_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "groupes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, structures, groupes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures.order_by("nom")
        self.fields["structure"].empty_label = "Choisissez la structure"
        self.fields["groupes"].queryset = groupes.order_by("nom")
        self.fields["groupes"].required = False
        self.fields["base_legale"].choices = [
            (valeur, libelle[0].upper() + libelle[1:]) for valeur, libelle in BaseLegale.choices
        ]
        if not self.instance.pk:
            self.initial.setdefault("base_legale_le", timezone.localdate())

    def clean_telephone(self):
        return normaliser_telephone(self.cleaned_data.get("telephone", ""))

    def clean(self):
        donnees = super().clean()
        jour = donnees.get("base_legale_le")
        if jour and jour > timezone.localdate():
            self.add_error("base_legale_le", "La date ne peut pas être dans le futur.")
        return donnees


class RechercheContactsForm(forms.Form):
    q = forms.CharField(label="Nom, fonction ou structure", required=False, max_length=100)
    groupe = forms.ModelChoiceField(
        label="Réseau ou groupe", queryset=None, required=False, empty_label="Tous les contacts"
    )

    def __init__(self, *args, groupes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groupe"].queryset = groupes.order_by("nom")


class GroupeForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = Groupe
        fields = ["nom", "nature", "description"]
        labels = {"nom": "Nom", "nature": "Nature", "description": "Description"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nature"].choices = [
            (valeur, libelle[0].upper() + libelle[1:]) for valeur, libelle in NatureGroupe.choices
        ]


class MembresForm(FormulaireAccessibleMixin, forms.Form):
    membres = forms.ModelMultipleChoiceField(
        label="Membres", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membres"].queryset = contacts
        self.fields["membres"].label_from_instance = lambda c: (
            f"{c.prenom} {c.nom} — {c.structure.nom}"
        )


def _choix(enum) -> list[tuple[str, str]]:
    return [("", "Choisissez")] + [
        (v, libelle[0].upper() + libelle[1:]) for v, libelle in enum.choices
    ]


class EcrireForm(FormulaireAccessibleMixin, forms.Form):
    audience = forms.ChoiceField(label="Destinataires", widget=forms.RadioSelect)
    typologie = forms.ChoiceField(label="Typologie des structures", required=False)
    programme = forms.ChoiceField(label="Dispositif national", required=False)
    groupe = forms.ModelChoiceField(
        label="Réseau ou groupe de travail", queryset=None, required=False, empty_label="Choisissez"
    )
    sujet = forms.CharField(label="Objet", max_length=200)
    texte = forms.CharField(
        label="Message", max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, groupes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            (v, libelle[0].upper() + libelle[1:]) for v, libelle in Audience.choices
        ]
        self.fields["typologie"].choices = _choix(Typologie)
        self.fields["programme"].choices = _choix(Programme)
        self.fields["groupe"].queryset = groupes.order_by("nom")

    def clean_sujet(self):
        sujet = self.cleaned_data["sujet"].strip()
        if "\n" in sujet or "\r" in sujet:
            raise forms.ValidationError("Écrivez l'objet sur une seule ligne.")
        return sujet

    def clean(self):
        donnees = super().clean()
        audience = donnees.get("audience")
        requis = {
            Audience.TYPOLOGIE: ("typologie", "Choisissez la typologie des structures."),
            Audience.PROGRAMME: ("programme", "Choisissez le dispositif national."),
            Audience.GROUPE: ("groupe", "Choisissez le réseau ou le groupe de travail."),
        }
        if audience in requis:
            champ, message = requis[audience]
            if not donnees.get(champ):
                self.add_error(champ, message)
        return donnees
