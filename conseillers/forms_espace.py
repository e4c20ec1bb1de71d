"""Forms of the advisor's own space: profile, statistics period, followed beneficiaries."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from structures.models import Lieu
from territoires.models import Commune

from .beneficiaires import MESSAGE_SANS_CONSENTEMENT
from .models import Beneficiaire, Conseiller

ANNEE_MINIMALE = 1900


class LieuxChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom} ({obj.commune.nom})"


class ProfilForm(FormulaireAccessibleMixin, forms.ModelForm):
    """What an advisor keeps up to date themselves; the contract is the coordinator's."""

    lieux = LieuxChoiceField(
        label="Mes lieux d'activité",
        queryset=Lieu.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="les lieux de votre territoire où vous accompagnez le public",
        error_messages={"invalid_choice": "Choisissez des lieux de votre territoire."},
    )

    class Meta:
        model = Conseiller
        fields = ["lieux", "competences", "thematiques_favorites", "autres_competences"]
        labels = {
            "competences": "Mes compétences",
            "thematiques_favorites": "Mes thématiques favorites",
        }
        help_texts = {
            "competences": "visibles des coordinateurs qui cherchent une compétence du réseau",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lieux"].queryset = (
            Lieu.objects.pour(user).select_related("commune").order_by("commune__nom", "nom")
        )
        for nom in ("competences", "thematiques_favorites"):
            self.fields[nom].error_messages["invalid_choice"] = (
                "Choisissez des thématiques de la liste."
            )
        self.fields["autres_competences"].error_messages["max_length"] = (
            "500 caractères au plus, s'il vous plaît."
        )

    def clean_lieux(self):
        # sites outside the territory chosen by a coordinator stay attached
        choisis = list(self.cleaned_data["lieux"])
        if self.instance.pk:
            visibles = self.fields["lieux"].queryset.values("pk")
            choisis += list(self.instance.lieux.exclude(pk__in=visibles))
        return choisis


class PeriodeForm(FormulaireAccessibleMixin, forms.Form):
    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date de début valide (jj/mm/aaaa)."},
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date de fin valide (jj/mm/aaaa)."},
    )

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and au < du:
            self.add_error("au", "La date de fin précède la date de début.")
        return donnees


def periodes_rapides(aujourd_hui: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """``(label, du, au)``: this month, last month, this year, the last 12 months."""
    debut_mois = aujourd_hui.replace(day=1)
    fin_mois_precedent = debut_mois - dt.timedelta(days=1)
    douze_mois = (debut_mois.replace(year=debut_mois.year - 1) + dt.timedelta(days=31)).replace(
        day=1
    )
    return [
        ("Ce mois-ci", debut_mois, aujourd_hui),
        ("Le mois dernier", fin_mois_precedent.replace(day=1), fin_mois_precedent),
        ("Cette année", aujourd_hui.replace(month=1, day=1), aujourd_hui),
        ("Les 12 derniers mois", douze_mois, aujourd_hui),
    ]


class RechercheBeneficiairesForm(FormulaireAccessibleMixin, forms.Form):
    q = forms.CharField(label="Prénom ou initiales", required=False, max_length=50)


class BeneficiaireForm(FormulaireAccessibleMixin, forms.ModelForm):
    """A followed beneficiary: the minimum to recognise a returning person."""

    class Meta:
        model = Beneficiaire
        fields = ["prenom", "annee_naissance", "commune", "genre"]
        error_messages = {
            "prenom": {
                "required": "Indiquez le prénom ou les initiales de la personne.",
                "max_length": "50 caractères au plus : le prénom ou les initiales suffisent.",
            },
            "annee_naissance": {"invalid": "Saisissez une année sur quatre chiffres."},
            "commune": {"invalid_choice": "Choisissez une commune de votre territoire."},
            "genre": {"invalid_choice": "Choisissez un genre de la liste."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Commune.objects.dans(user.perimetre)
        if self.instance.commune_id:
            communes = communes | Commune.objects.filter(pk=self.instance.commune_id)
        self.fields["commune"].queryset = communes.order_by("nom")
        self.fields["commune"].empty_label = "Non communiquée"
        self.fields["annee_naissance"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["prenom"].widget.attrs.update({"autocomplete": "off"})

    def clean_annee_naissance(self):
        annee = self.cleaned_data.get("annee_naissance")
        cette_annee = timezone.localdate().year
        if annee is not None and not ANNEE_MINIMALE <= annee <= cette_annee:
            raise forms.ValidationError(
                "Indiquez une année de naissance entre %(min)s et %(max)s.",
                code="annee",
                params={"min": ANNEE_MINIMALE, "max": cette_annee},
            )
        return annee


class NouveauBeneficiaireForm(BeneficiaireForm):
    consentement = forms.BooleanField(
        label="La personne a donné son accord, après lecture du texte ci-dessus",
        required=True,
        error_messages={"required": MESSAGE_SANS_CONSENTEMENT},
    )
    confirmer_doublon = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta(BeneficiaireForm.Meta):
        pass


class FusionForm(forms.Form):
    """Two of the advisor's records: the one kept and the duplicate merged into it."""

    conserve = forms.IntegerField(min_value=1)
    doublon = forms.IntegerField(min_value=1)

    def clean(self):
        donnees = super().clean()
        if donnees.get("conserve") and donnees.get("conserve") == donnees.get("doublon"):
            raise forms.ValidationError("Choisissez deux fiches différentes à fusionner.")
        return donnees
