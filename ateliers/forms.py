"""Forms of the workshop pages; the rules themselves live in ``services`` and the models."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from commun.rendu import RenduRapide
from conseillers.enums import Thematique
from territoires.models import Commune
from territoires.text import normaliser

from .models import DUREE_MAX, DUREE_MIN, Convention, FicheAtelier
from .services import CRENEAUX_MAX, verifier_pdf

FORMAT_DATE_HEURE = "%Y-%m-%dT%H:%M"


class DateHeureWidget(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=FORMAT_DATE_HEURE, **kwargs)


def champ_date_heure(label: str, requis: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=requis,
        input_formats=[FORMAT_DATE_HEURE, "%d/%m/%Y %H:%M"],
        widget=DateHeureWidget(),
        error_messages={
            "required": "Indiquez la date et l'heure.",
            "invalid": "Date et heure invalides : par exemple 14/03/2027 14:00.",
        },
    )


class DemandeForm(FormulaireAccessibleMixin, forms.Form):
    """A referent's request: a sheet of the catalogue, a site, one to three slots."""

    fiche = forms.ChoiceField(
        label="Atelier du catalogue",
        error_messages={
            "required": "Choisissez un atelier du catalogue.",
            "invalid_choice": "Choisissez un atelier du catalogue.",
        },
    )
    lieu = forms.ChoiceField(
        label="Lieu",
        help_text="Un lieu de votre structure, qui dispose des moyens indiqués dans la fiche.",
        error_messages={
            "required": "Choisissez le lieu de l'atelier.",
            "invalid_choice": "Choisissez un lieu de votre structure.",
        },
    )
    creneau_1 = champ_date_heure("Créneau proposé n° 1")
    creneau_2 = champ_date_heure("Créneau proposé n° 2 (facultatif)", requis=False)
    creneau_3 = champ_date_heure("Créneau proposé n° 3 (facultatif)", requis=False)
    participants_attendus = forms.IntegerField(
        label="Participants attendus",
        min_value=1,
        max_value=50,
        error_messages={
            "required": "Indiquez le nombre de participants attendus.",
            "invalid": "Saisissez un nombre entier de participants.",
            "min_value": "Au moins un participant.",
            "max_value": "Au plus 50 participants.",
        },
    )
    public = forms.CharField(
        label="Public",
        max_length=250,
        help_text="Par exemple : seniors du quartier, demandeurs d'emploi, parents d'élèves.",
        error_messages={
            "required": "Décrivez le public attendu.",
            "max_length": "250 caractères au plus.",
        },
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sans nom ni information personnelle sur les participants.",
        error_messages={"max_length": "1 000 caractères au plus."},
    )

    def __init__(self, *args, fiches, lieux, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].choices = [("", "—"), *fiches]
        self.fields["lieu"].choices = [("", "—"), *lieux]

    def creneaux(self) -> list[dt.datetime]:
        return [
            self.cleaned_data[f"creneau_{i}"]
            for i in range(1, CRENEAUX_MAX + 1)
            if self.cleaned_data.get(f"creneau_{i}")
        ]


class RefusForm(FormulaireAccessibleMixin, forms.Form):
    motif = forms.CharField(
        label="Motif du refus",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Il est envoyé à la structure.",
        error_messages={
            "required": "Indiquez le motif du refus : il est envoyé à la structure.",
            "max_length": "1 000 caractères au plus.",
        },
    )


class PlanificationForm(FormulaireAccessibleMixin, forms.Form):
    debut = champ_date_heure("Date et heure de la (première) séance")
    conseillers = forms.MultipleChoiceField(
        label="Animé par",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un conseiller pour animer l'atelier.",
            "invalid_choice": "Choisissez des conseillers de votre territoire.",
        },
    )
    intervalle_jours = forms.IntegerField(
        label="Jours entre deux séances (parcours)",
        min_value=1,
        max_value=31,
        initial=7,
        error_messages={
            "required": "Indiquez l'intervalle entre deux séances.",
            "invalid": "Saisissez un nombre de jours.",
            "min_value": "Au moins un jour entre deux séances.",
            "max_value": "Au plus 31 jours entre deux séances.",
        },
    )
    publique = forms.BooleanField(
        label="Annoncer les séances dans l'agenda public", required=False, initial=True
    )

    def __init__(self, *args, conseillers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conseillers"].choices = conseillers


class AgendaForm(FormulaireAccessibleMixin, forms.Form):
    """The public agenda's filters."""

    default_renderer = RenduRapide
    commune = forms.ChoiceField(label="Commune", required=False)
    quartier = forms.ChoiceField(label="Quartier", required=False)
    thematique = forms.ChoiceField(
        label="Thème",
        required=False,
        choices=[("", "tous les thèmes"), *Thematique.choices],
        error_messages={"invalid_choice": "Choisissez un thème de la liste."},
    )

    def __init__(self, *args, communes, quartiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "toutes les communes"), *communes]
        self.fields["commune"].error_messages["invalid_choice"] = (
            "Choisissez une commune de la liste."
        )
        self.fields["quartier"].choices = [("", "tous les quartiers"), *quartiers]
        self.fields["quartier"].error_messages["invalid_choice"] = (
            "Choisissez un quartier de la liste."
        )


class PresencesForm(FormulaireAccessibleMixin, forms.Form):
    presents = forms.IntegerField(
        label="Nombre de présents (sans liste nominative)",
        required=False,
        min_value=0,
        max_value=70,
        error_messages={
            "invalid": "Saisissez un nombre entier de présents.",
            "min_value": "Le nombre de présents ne peut pas être négatif.",
            "max_value": "Au plus 70 présents.",
        },
    )
    participants = forms.MultipleChoiceField(
        label="Présents", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inscrits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = inscrits
        self.fields["participants"].error_messages["invalid_choice"] = (
            "Seuls les inscrits peuvent être notés présents."
        )


class InscriptionForm(FormulaireAccessibleMixin, forms.Form):
    nom = forms.CharField(
        label="Prénom et initiale du nom",
        max_length=60,
        help_text="Par exemple « Martine D. » : rien de plus.",
        error_messages={
            "required": "Indiquez le prénom et l'initiale du participant.",
            "max_length": "60 caractères au plus.",
        },
    )


def debut_de_semaine(texte: str | None) -> dt.date:
    """The Monday of the week given as YYYY-MM-DD (this week by default or when invalid)."""
    try:
        jour = dt.date.fromisoformat(texte) if texte else timezone.localdate()
    except ValueError:
        jour = timezone.localdate()
    return jour - dt.timedelta(days=jour.weekday())


# -- catalogue and conventions (coordination) ---------------------------------------------

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


class ConventionForm(FormulaireAccessibleMixin, forms.ModelForm):
    """A partnership convention; signed means a signature date and the signed PDF."""

    document = forms.FileField(
        label="Convention signée (PDF, 5 Mo au plus)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
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
                "invalid": "Date invalide : par exemple 01/01/2027.",
            },
            "fin": {
                "required": "Indiquez la date de fin.",
                "invalid": "Date invalide : par exemple 31/12/2027.",
            },
            "signee_le": {"invalid": "Date invalide : par exemple 15/12/2026."},
            "obligations": {
                "required": "Indiquez les obligations de la structure.",
                "max_length": "4 000 caractères au plus.",
            },
        }

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["structure"].empty_label = "—"
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
                f"Plusieurs communes correspondent à « {texte} » : {noms}. Précisez le code INSEE."
            )
        return trouvees[0]
