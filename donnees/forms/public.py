"""The embed builder's form (``/integrer/``) and the filters of the embedded pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from commun.forms import FormulaireAccessibleMixin
from conseillers.enums import Thematique
from structures.enums import Public, Service
from structures.forms.public import commune_saisie
from structures.models import Lieu
from territoires.models import Commune, Epci

CONTENUS = [
    ("lieux", "la carte et la liste des lieux d'aide au numérique"),
    ("agenda", "l'agenda des ateliers numériques"),
]
APPARENCES = [
    ("marque", "aux couleurs du portail"),
    ("neutre", "en couleurs neutres, pour se fondre dans le site partenaire"),
]
HAUTEUR_MIN, HAUTEUR_MAX = 300, 1500


def epcis_avec_des_lieux() -> list[tuple[str, str]]:
    """The intercommunalities where the portal has public sites (a short list)."""
    codes = Lieu.objects.publics().values_list("commune__epci_id", flat=True).distinct()
    return list(Epci.objects.filter(pk__in=list(codes)).order_by("nom").values_list("siren", "nom"))


# the commune typed as in the public search (a district's or former commune's code too)
trouver_commune = commune_saisie


class IntegrationForm(FormulaireAccessibleMixin, forms.Form):
    contenu = forms.ChoiceField(
        label="Que voulez-vous intégrer\u202f?",
        choices=CONTENUS,
        initial="lieux",
        widget=forms.RadioSelect,
    )
    commune = forms.CharField(
        label="Commune",
        required=False,
        max_length=100,
        help_text="Nom, code postal ou code INSEE\u202f; laissez vide pour tout le territoire.",
    )
    epci = forms.ChoiceField(label="Intercommunalité", required=False)
    services = forms.MultipleChoiceField(
        label="Services (lieux)",
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    publics = forms.MultipleChoiceField(
        label="Publics (lieux)",
        required=False,
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    thematique = forms.ChoiceField(
        label="Thème (agenda)",
        required=False,
        choices=[("", "tous les thèmes"), *Thematique.choices],
        error_messages={"invalid_choice": "Choisissez un thème de la liste."},
    )
    apparence = forms.ChoiceField(
        label="Apparence", choices=APPARENCES, initial="marque", widget=forms.RadioSelect
    )
    hauteur = forms.IntegerField(
        label="Hauteur (en pixels)",
        min_value=HAUTEUR_MIN,
        max_value=HAUTEUR_MAX,
        initial=600,
        error_messages={
            "min_value": f"Donnez une hauteur d'au moins {HAUTEUR_MIN} pixels.",
            "max_value": f"Donnez une hauteur d'au plus {HAUTEUR_MAX} pixels.",
            "invalid": "Donnez la hauteur en nombre de pixels, par exemple 600.",
            "required": "Donnez la hauteur en pixels.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epci"].choices = [("", "toutes"), *epcis_avec_des_lieux()]
        self.fields["epci"].error_messages["invalid_choice"] = (
            "Choisissez une intercommunalité de la liste."
        )

    def clean_commune(self) -> Commune | None:
        texte = self.cleaned_data.get("commune", "").strip()
        return trouver_commune(texte) if texte else None

    def chemin(self) -> str:
        """The embedded page's path and query string."""
        d = self.cleaned_data
        parametres: list[tuple[str, str]] = []
        if d["commune"]:
            parametres.append(("commune", d["commune"].code_insee))
        if d["epci"]:
            parametres.append(("epci", d["epci"]))
        if d["contenu"] == "lieux":
            parametres += [("services", s) for s in d["services"]]
            parametres += [("publics", p) for p in d["publics"]]
        elif d["thematique"]:
            parametres.append(("thematique", d["thematique"]))
        if d["apparence"] == "neutre":
            parametres.append(("apparence", "neutre"))
        adresse = reverse(f"donnees:integrer_{d['contenu']}")
        return adresse + ("?" + urlencode(parametres) if parametres else "")

    def titre(self, territoire: str) -> str:
        d = self.cleaned_data
        quoi = "Lieux d'aide au numérique" if d["contenu"] == "lieux" else "Ateliers numériques"
        ou = d["commune"].nom if d["commune"] else territoire
        return f"{quoi} — {ou}"


class FiltresIntegresForm(forms.Form):
    """The filters an embedded page reads from its address (written by the builder)."""

    commune = forms.CharField(required=False, max_length=100)
    epci = forms.CharField(required=False, max_length=9)
    thematique = forms.ChoiceField(
        required=False,
        choices=[("", ""), *Thematique.choices],
        error_messages={"invalid_choice": "Thème «\u202f%(value)s\u202f» inconnu."},
    )
    apparence = forms.ChoiceField(
        required=False,
        choices=[("", ""), *APPARENCES],
        error_messages={"invalid_choice": "Apparence «\u202f%(value)s\u202f» inconnue."},
    )

    def clean_commune(self) -> Commune | None:
        texte = self.cleaned_data.get("commune", "").strip()
        return trouver_commune(texte) if texte else None

    def clean_epci(self) -> str:
        siren = self.cleaned_data.get("epci", "").strip()
        if siren and not Epci.objects.filter(pk=siren).exists():
            raise forms.ValidationError(
                "Intercommunalité «\u202f%(siren)s\u202f» inconnue.", params={"siren": siren}
            )
        return siren
