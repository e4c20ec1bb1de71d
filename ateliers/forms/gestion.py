"""Coordination forms: a sheet of the catalogue and a partnership convention."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.urls import reverse
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from structures.forms.autocompletion import commune_a_saisir, structure_a_saisir

from ..models import DUREE_MAX, DUREE_MIN, Convention, FicheAtelier
from ..services import verifier_pdf

ENTIER_INVALIDE = "Saisissez un nombre entier."


class FicheForm(FormulaireAccessibleMixin, forms.ModelForm):
    """A sheet of the catalogue; the model's checks give the French messages."""

    class Meta:
        model = FicheAtelier
        fields = [
            "titre",
            "commune",
            "thematiques",
            "niveau",
            "format",
            "nombre_seances",
            "duree_minutes",
            "participants_min",
            "participants_max",
            "public_cible",
            "objectifs",
            "contenu",
            "prerequis",
            "moyens",
        ]
        widgets = {
            "objectifs": forms.Textarea(attrs={"rows": 3}),
            "contenu": forms.Textarea(attrs={"rows": 5}),
            "prerequis": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "nombre_seances": "1 pour un atelier unique, 2 à 5 pour un parcours court, "
            "6 ou plus pour un parcours long.",
            "duree_minutes": f"Entre {DUREE_MIN} et {DUREE_MAX} minutes.",
            "moyens": "Ce que la structure d'accueil met à disposition.",
        }
        error_messages = {
            "titre": {
                "required": "Indiquez le titre de l'atelier.",
                "max_length": "200 caractères au plus.",
            },
            "commune": {
                "required": "Choisissez la commune porteuse du catalogue.",
                "invalid_choice": "Choisissez une commune de votre territoire.",
            },
            "thematiques": {
                "required": "Cochez au moins une thématique.",
                "invalid_choice": "Choisissez des thématiques de la liste.",
            },
            "objectifs": {
                "required": "Indiquez les objectifs de l'atelier.",
                "max_length": "2 000 caractères au plus.",
            },
            "contenu": {
                "required": "Résumez le contenu de l'atelier.",
                "max_length": "4 000 caractères au plus.",
            },
            "prerequis": {"max_length": "1 000 caractères au plus."},
            "public_cible": {
                "required": "Indiquez le public visé.",
                "max_length": "250 caractères au plus.",
            },
            "moyens": {"invalid_choice": "Choisissez des moyens de la liste."},
            "format": {"invalid_choice": "Choisissez un format de la liste."},
            "niveau": {"invalid_choice": "Choisissez un niveau de la liste."},
            **{
                champ: {
                    "required": "Ce nombre est obligatoire.",
                    "invalid": ENTIER_INVALIDE,
                    "min_value": "Au moins %(limit_value)s.",
                    "max_value": "Au plus %(limit_value)s.",
                }
                for champ in (
                    "nombre_seances",
                    "duree_minutes",
                    "participants_min",
                    "participants_max",
                )
            },
        }

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["commune"].empty_label = "—"
        commune_a_saisir(self)


class DocumentSigneInput(forms.ClearableFileInput):
    """The signed convention: its file name and a download link through the portal's
    checked view, never the storage path (``conventions/2026/…``)."""

    template_name = "ateliers/gestion/_document_signe.html"
    clear_checkbox_label = "Retirer le document"
    url_telechargement = ""

    def get_context(self, name, value, attrs):
        contexte = super().get_context(name, value, attrs)
        contexte["widget"]["nom_fichier"] = (
            PurePosixPath(value.name).name if self.is_initial(value) else ""
        )
        contexte["widget"]["url_telechargement"] = self.url_telechargement
        return contexte


class ConventionForm(FormulaireAccessibleMixin, forms.ModelForm):
    """A partnership convention; signed means a signature date and the signed PDF."""

    document = forms.FileField(
        label="Convention signée (PDF, 5 Mo au plus)",
        required=False,
        widget=DocumentSigneInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "invalid": "Le fichier envoyé est illisible.",
            "empty": "Le fichier est vide.",
        },
    )

    class Meta:
        model = Convention
        fields = ["structure", "debut", "fin", "signee_le", "document", "obligations"]
        widgets = {
            "debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "signee_le": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "obligations": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"signee_le": "À remplir avec l'envoi de la convention signée."}
        error_messages = {
            "structure": {
                "required": "Choisissez la structure partenaire.",
                "invalid_choice": "Choisissez une structure de votre territoire.",
            },
            "debut": {
                "required": "Indiquez la date de début.",
                "invalid": "Date invalide\u00a0: par exemple 01/01/2027.",
            },
            "fin": {
                "required": "Indiquez la date de fin.",
                "invalid": "Date invalide\u00a0: par exemple 31/12/2027.",
            },
            "signee_le": {"invalid": "Date invalide\u00a0: par exemple 15/12/2026."},
            "obligations": {
                "required": "Indiquez les obligations de la structure.",
                "max_length": "4 000 caractères au plus.",
            },
        }

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["structure"].empty_label = "—"
        structure_a_saisir(self)
        if self.instance.pk and self.instance.document:
            self.fields["document"].widget.url_telechargement = reverse(
                "ateliers:convention_document", args=[self.instance.pk]
            )
        for nom in ("debut", "fin", "signee_le"):
            self.fields[nom].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def clean_document(self):
        fichier = self.cleaned_data.get("document")
        if fichier and fichier is not self.initial.get("document"):
            verifier_pdf(fichier)
        return fichier

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin de la convention précède son début.")
        signee_le, document = donnees.get("signee_le"), donnees.get("document")
        if signee_le and not document:
            self.add_error(
                "document", "Joignez la convention signée (PDF) avec sa date de signature."
            )
        if document and not signee_le:
            self.add_error("signee_le", "Indiquez la date de signature de la convention jointe.")
        if signee_le and signee_le > timezone.localdate():
            self.add_error("signee_le", "La date de signature ne peut pas être dans le futur.")
        return donnees
