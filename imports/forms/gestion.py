"""The upload form of a back-office import: the file, and the options of the command of
its kind (``import_lieux --source``, ``import_activites --format --conseiller``,
``import_indice_publie --millesime --reference``, ``import_contours --niveau``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from conseillers.importation import FORMAT_COOP, FORMAT_CSV
from conseillers.models import Conseiller
from indicateurs.enums import Niveau
from indicateurs.indice.publication import REFERENCES

from ..enums import TypeImport

TAILLE_MAXIMALE = 50 * 1024 * 1024  # bytes
EXTENSIONS = {
    TypeImport.LIEUX: (".csv", ".json"),
    TypeImport.ACTIVITES: (".csv", ".xlsx"),
    TypeImport.INDICATEURS: (".csv",),
    TypeImport.INDICE_PUBLIE: (".csv",),
    TypeImport.CONTOURS: (".geojson", ".json"),
}
# the options each kind asks for, besides the file
CHAMPS = {
    TypeImport.LIEUX: ["source"],
    TypeImport.ACTIVITES: ["format", "conseiller"],
    TypeImport.INDICATEURS: [],
    TypeImport.INDICE_PUBLIE: ["millesime", "reference", "source"],
    TypeImport.CONTOURS: ["niveau", "source"],
}


class DepotForm(FormulaireAccessibleMixin, forms.Form):
    fichier = forms.FileField(
        label="Fichier",
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n'a pas pu être lu.",
        },
    )
    source = forms.CharField(
        label="Source",
        required=False,
        max_length=200,
        error_messages={"max_length": "La source tient en 200 caractères au plus."},
    )
    format = forms.ChoiceField(
        label="Format du fichier",
        choices=[
            (FORMAT_CSV, "CSV du portail (une colonne conseiller_email)"),
            (FORMAT_COOP, "Export XLSX de La Coop de la médiation numérique"),
        ],
        initial=FORMAT_CSV,
        widget=forms.RadioSelect,
    )
    conseiller = forms.ModelChoiceField(
        label="Conseiller dont c'est l'export (format de La Coop)",
        queryset=Conseiller.objects.none(),
        required=False,
        help_text="L'export de La Coop ne donne que le nom et le prénom du médiateur.",
        error_messages={"invalid_choice": "Choisissez un conseiller de votre territoire."},
    )
    millesime = forms.IntegerField(
        label="Millésime (année de l'indice)",
        min_value=2000,
        error_messages={
            "required": "Indiquez l'année de l'indice, par exemple 2020.",
            "invalid": "Indiquez une année en chiffres, par exemple 2020.",
            "min_value": "L'année doit être 2000 ou plus.",
        },
    )
    reference = forms.ChoiceField(
        label="Territoire de référence des scores (base 100)",
        choices=list(REFERENCES.items()),
        error_messages={"required": "Choisissez le territoire de référence des scores."},
    )
    niveau = forms.ChoiceField(
        label="Unités décrites",
        choices=Niveau.choices,
        error_messages={"required": "Choisissez le niveau des contours."},
    )

    def __init__(self, *args, type: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.type = type
        gardes = {"fichier", *CHAMPS[type]}
        for nom in list(self.fields):
            if nom not in gardes:
                del self.fields[nom]
        extensions = ", ".join(EXTENSIONS[type])
        self.fields[
            "fichier"
        ].help_text = f"Extensions acceptées\u00a0: {extensions}\u00a0; 50\u00a0Mo au plus."
        self.fields["fichier"].widget.attrs["accept"] = ",".join(EXTENSIONS[type])
        if "conseiller" in self.fields:
            self.fields["conseiller"].queryset = Conseiller.objects.pour(user).order_by(
                "nom", "prenom", "email"
            )
        if "millesime" in self.fields:
            self.fields["millesime"].validators.append(_annee_maximale)
        if "source" in self.fields:
            self.fields["source"].help_text = {
                TypeImport.LIEUX: "Pour les lignes qui n'indiquent pas leur source "
                "(colonne « source » du standard).",
                TypeImport.INDICE_PUBLIE: "Affichée avec la version de l'indice.",
                TypeImport.CONTOURS: "Par exemple\u00a0: INSEE, contours IRIS 2024.",
            }[type]

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        nom = fichier.name.lower()
        if not nom.endswith(EXTENSIONS[self.type]):
            raise forms.ValidationError(
                "Ce type de fichier n'est pas accepté ici\u00a0: choisissez un fichier "
                + " ou ".join(EXTENSIONS[self.type])
                + "."
            )
        if fichier.size > TAILLE_MAXIMALE:
            raise forms.ValidationError("Le fichier dépasse 50\u00a0Mo\u00a0: découpez-le.")
        return fichier

    def clean(self):
        donnees = super().clean()
        if self.type == TypeImport.ACTIVITES:
            coop = donnees.get("format") == FORMAT_COOP
            if coop and not donnees.get("conseiller"):
                self.add_error(
                    "conseiller", "Choisissez le conseiller dont c'est l'export de La Coop."
                )
            fichier = donnees.get("fichier")
            if fichier and coop != fichier.name.lower().endswith(".xlsx"):
                self.add_error(
                    "format",
                    "L'export de La Coop est un fichier .xlsx, le format du portail un .csv\u00a0: "
                    "choisissez le format qui correspond au fichier.",
                )
        return donnees

    def options(self) -> dict:
        d = self.cleaned_data
        options = {
            nom: d[nom] for nom in ("source", "millesime", "reference", "niveau") if nom in d
        }
        if self.type == TypeImport.ACTIVITES:
            options["format"] = d["format"]
            if d["format"] == FORMAT_COOP:
                options["conseiller_email"] = d["conseiller"].email
        return options


def _annee_maximale(valeur: int) -> None:
    if valeur > timezone.localdate().year:
        raise forms.ValidationError("L'année ne peut pas dépasser l'année en cours.")


class ConfirmationForm(FormulaireAccessibleMixin, forms.Form):
    partiel = forms.BooleanField(
        label="Garder les lignes valides",
        required=False,
        help_text="Sinon, à la moindre ligne refusée, rien n'est importé (tout ou rien).",
    )
