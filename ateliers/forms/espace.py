"""Forms of a request's page (new request, refusal, scheduling) and of a session's page
(registration, attendance); the rules themselves live in ``services`` and the models.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin

from ..services import CRENEAUX_MAX

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
            "invalid": "Date et heure invalides\u00a0: par exemple 14/03/2027 14:00.",
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
        help_text="Par exemple\u00a0: seniors du quartier, demandeurs d'emploi, parents d'élèves.",
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
            "required": "Indiquez le motif du refus\u00a0: il est envoyé à la structure.",
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
        help_text="Par exemple « Martine D. »\u00a0: rien de plus.",
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
