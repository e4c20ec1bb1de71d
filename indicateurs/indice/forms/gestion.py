"""Forms of the index's back office: which index to compute, which outlines to load (POST)."""

from __future__ import annotations

import math

from django import forms

from commun.forms import FormulaireAccessibleMixin
from indicateurs.champs import champ_niveau, champ_territoire
from indicateurs.enums import Methode

from ..calcul import ECHELLE_PAR_DEFAUT
from ..models import MILLESIME_MAX, MILLESIME_MIN

ECHELLE_MAX = 1000.0


class CalculIndiceForm(FormulaireAccessibleMixin, forms.Form):
    """Compute a new version of the index from the imported indicator values."""

    reference = champ_territoire(
        "Territoire de référence",
        "Choisissez le territoire de référence.",
        help_text="Les rangs et les moyennes sont pris parmi les unités de ce territoire.",
    )
    niveau = champ_niveau("Unités")
    millesime = forms.IntegerField(
        label="Millésime des indicateurs",
        min_value=MILLESIME_MIN,
        max_value=MILLESIME_MAX,
        help_text="L'année des valeurs importées, par exemple 2021.",
        error_messages={
            "required": "Indiquez le millésime des indicateurs, par exemple 2021.",
            "invalid": "Le millésime est une année, par exemple 2021.",
            "min_value": f"Le millésime doit être postérieur à {MILLESIME_MIN}.",
            "max_value": f"Le millésime doit être antérieur à {MILLESIME_MAX}.",
        },
    )
    methode = forms.ChoiceField(
        label="Méthode",
        choices=[
            (Methode.RANGS.value, Methode.RANGS.label),
            (Methode.RATIO.value, Methode.RATIO.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une méthode.",
            "invalid_choice": "Choisissez la méthode des rangs ou du ratio.",
        },
    )
    echelle = forms.FloatField(
        label="Échelle (méthode des rangs)",
        required=False,
        localize=True,
        help_text=f"L'indice va de −E à +E\u00a0; {ECHELLE_PAR_DEFAUT:g} par défaut.",
        error_messages={"invalid": "Saisissez un nombre pour l'échelle, par exemple 10 ou 100."},
    )

    def __init__(self, *args, territoires: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = territoires
        self.fields["echelle"].widget.attrs["inputmode"] = "decimal"

    def clean_echelle(self):
        echelle = self.cleaned_data.get("echelle")
        if echelle is None:
            return ECHELLE_PAR_DEFAUT
        if not math.isfinite(echelle) or echelle <= 0:
            raise forms.ValidationError("L'échelle doit être un nombre strictement positif.")
        if echelle > ECHELLE_MAX:
            raise forms.ValidationError(f"L'échelle ne peut pas dépasser {ECHELLE_MAX:g}.")
        return echelle


class ContoursForm(FormulaireAccessibleMixin, forms.Form):
    """A GeoJSON file of outlines (IRIS, districts or communes); its content is checked by
    :func:`indicateurs.indice.contours.lire_geojson`."""

    niveau = champ_niveau("Unités décrites", "Choisissez le niveau des contours.")
    fichier = forms.FileField(
        label="Fichier GeoJSON",
        help_text="FeatureCollection en WGS84 (EPSG:4326), 5\u00a0Mo au plus. Propriétés\u00a0: "
        "« code_insee » pour une commune, « code_iris » et « nom » pour un IRIS, « commune » "
        "(code INSEE) et « nom » pour un quartier\u00a0; « population » facultative.",
        error_messages={
            "required": "Choisissez un fichier GeoJSON.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n'a pas pu être lu.",
        },
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=200,
        help_text="Par exemple\u00a0: INSEE, contours IRIS 2024.",
        error_messages={"max_length": "La source tient en 200 caractères au plus."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].widget.attrs["accept"] = ".geojson,.json,application/geo+json"

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        nom = (fichier.name or "").lower()
        if not nom.endswith((".geojson", ".json")):
            raise forms.ValidationError(
                "Le fichier doit être au format GeoJSON (extension .geojson ou .json)."
            )
        return fichier
