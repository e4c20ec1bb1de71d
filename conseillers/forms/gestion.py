"""Coordination forms: an advisor's profile, an assignment, the searches of the lists."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from commun.forms import FormulaireAccessibleMixin
from comptes.enums import Role
from comptes.models import User
from structures.forms.autocompletion import commune_a_saisir, structure_a_saisir
from structures.models import Lieu, Structure
from territoires.models import Commune
from territoires.text import normaliser

from .. import permissions
from ..enums import Programme, Thematique
from ..models import Conseiller, MiseADisposition

JOURS_SANS_ACTIVITE = 30

CHOIX_MESSAGES = {
    "structure": "Choisissez une structure de votre territoire.",
    "commune": "Choisissez une commune de votre territoire.",
    "lieux": "Choisissez des lieux de votre territoire.",
    "lieu": "Choisissez un lieu de votre territoire.",
    "conseillers": "Choisissez des conseillers de votre territoire.",
}


def _date(attrs=None):
    return forms.DateInput(attrs={"type": "date", **(attrs or {})}, format="%Y-%m-%d")


def _heure():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _liste_multiple(taille: int = 8):
    return forms.SelectMultiple(attrs={"size": taille})


def compte_a_lier(email: str, user, conseiller: Conseiller) -> User | None:
    """The login account (role conseiller) with this e-mail in ``user``'s territory, unless
    another advisor profile already holds it."""
    if not email:
        return None
    return (
        User.objects.pour(user)
        .actifs()
        .du_role(Role.CONSEILLER)
        .filter(email__iexact=email)
        .filter(Q(conseiller__isnull=True) | Q(conseiller__pk=conseiller.pk or 0))
        .first()
    )


class ConseillerForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = Conseiller
        fields = [
            "email",
            "prenom",
            "nom",
            "structure",
            "commune",
            "lieux",
            "competences",
            "autres_competences",
            "thematiques_favorites",
            "date_debut_contrat",
            "date_fin_contrat",
            "programme",
            "ligne_financement",
        ]
        widgets = {
            "date_debut_contrat": _date(),
            "date_fin_contrat": _date(),
            "lieux": _liste_multiple(),
        }
        labels = {
            "competences": "Compétences maîtrisées",
            "thematiques_favorites": "Thématiques favorites",
        }
        help_texts = {
            "email": "Si un compte de conseiller du territoire a cette adresse, il est relié "
            "au profil\u00a0: le conseiller retrouve alors ses lieux et ses mises à disposition.",
            "lieux": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
            "competences": "Ce que le conseiller sait animer ou accompagner\u00a0: la carte des "
            "compétences du réseau s'en sert.",
        }
        error_messages = {
            "email": {
                "required": "Indiquez l'adresse électronique du conseiller.",
                "invalid": "Saisissez une adresse électronique valide, par exemple "
                "prenom.nom@exemple.fr.",
                "unique": "Un conseiller a déjà cette adresse électronique.",
            },
            "structure": {"invalid_choice": CHOIX_MESSAGES["structure"]},
            "commune": {
                "required": "Choisissez la commune de rattachement du conseiller.",
                "invalid_choice": CHOIX_MESSAGES["commune"],
            },
            "lieux": {"invalid_choice": CHOIX_MESSAGES["lieux"]},
            "date_debut_contrat": {"invalid": "Saisissez une date valide, par exemple 01/09/2025."},
            "date_fin_contrat": {"invalid": "Saisissez une date valide, par exemple 31/08/2027."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["structure"].queryset = Structure.objects.pour(user).order_by("nom", "pk")
        self.fields["structure"].empty_label = "Aucune (à préciser)"
        self.fields["commune"].queryset = Commune.objects.dans(user.perimetre).order_by("nom")
        commune_a_saisir(self)
        structure_a_saisir(self)
        self.fields["lieux"].queryset = (
            Lieu.objects.pour(user).select_related("commune").order_by("nom", "pk")
        )
        for nom in ("competences", "thematiques_favorites"):
            self.fields[nom].error_messages["invalid_choice"] = (
                "Choisissez des thématiques de la liste."
            )

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def validate_unique(self):
        """One profile per address, over every territory; the message never says who holds
        the address nor where, when it is a profile of another territory."""
        email = self.cleaned_data.get("email")
        autres = Conseiller.objects.tous().filter(email__iexact=email)
        if self.instance.pk:
            autres = autres.exclude(pk=self.instance.pk)
        if email and autres.exists():
            du_territoire = autres.filter(pk__in=Conseiller.objects.pour(self.user).values("pk"))
            if du_territoire.exists():
                message = "Un conseiller a déjà cette adresse électronique."
            else:
                message = (
                    "Cette adresse électronique est celle d'un profil de conseiller que vous "
                    "ne gérez pas\u00a0: demandez à l'équipe technique de le rattacher à votre "
                    "territoire."
                )
            self.add_error("email", ValidationError(message, code="unique"))
        exclure = self._get_validation_exclusions()
        exclure.add("email")
        try:
            self.instance.validate_unique(exclude=exclure)
        except ValidationError as erreur:
            self._update_errors(erreur)

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut_contrat"), donnees.get("date_fin_contrat")
        if debut and fin and fin < debut:
            self.add_error(
                "date_fin_contrat",
                f"La fin du contrat ({fin:%d/%m/%Y}) précède son début ({debut:%d/%m/%Y}).",
            )
        return donnees

    def save(self, commit=True):
        conseiller = super().save(commit=False)
        conseiller.user = compte_a_lier(conseiller.email, self.user, conseiller)
        if commit:
            conseiller.save()
            self.save_m2m()
        return conseiller


class MiseADispositionForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = MiseADisposition
        fields = [
            "structure",
            "lieu",
            "conseillers",
            "convention",
            "convention_signee_le",
            "date_debut",
            "date_fin",
            "jours",
            "heure_debut",
            "heure_fin",
            "type_intervention",
            "commentaire",
        ]
        widgets = {
            "conseillers": _liste_multiple(6),
            "convention_signee_le": _date(),
            "date_debut": _date(),
            "date_fin": _date(),
            "heure_debut": _heure(),
            "heure_fin": _heure(),
            "commentaire": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        labels = {
            "date_debut": "Début de la mise à disposition",
            "date_fin": "Fin (facultative)",
            "jours": "Jours de présence",
        }
        help_texts = {
            "lieu": "Un lieu de la structure d'accueil.",
            "conseillers": "Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
        }
        error_messages = {
            "structure": {
                "required": "Choisissez la structure d'accueil.",
                "invalid_choice": CHOIX_MESSAGES["structure"],
            },
            "lieu": {
                "required": "Choisissez le lieu de présence.",
                "invalid_choice": CHOIX_MESSAGES["lieu"],
            },
            "conseillers": {
                "required": "Choisissez au moins un conseiller.",
                "invalid_choice": CHOIX_MESSAGES["conseillers"],
            },
            "convention": {"required": "Indiquez la référence ou l'intitulé de la convention."},
            "date_debut": {
                "required": "Indiquez la date de début.",
                "invalid": "Saisissez une date valide, par exemple 01/09/2025.",
            },
            "date_fin": {"invalid": "Saisissez une date valide, par exemple 30/06/2026."},
            "convention_signee_le": {"invalid": "Saisissez une date valide."},
            "jours": {"required": "Cochez au moins un jour de présence."},
            "heure_debut": {
                "required": "Indiquez l'heure d'arrivée.",
                "invalid": "Saisissez une heure au format HH:MM.",
            },
            "heure_fin": {
                "required": "Indiquez l'heure de départ.",
                "invalid": "Saisissez une heure au format HH:MM.",
            },
            "type_intervention": {"required": "Choisissez le type d'intervention."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = Structure.objects.pour(user).order_by("nom", "pk")
        structure_a_saisir(self)
        self.fields["lieu"].queryset = (
            Lieu.objects.pour(user).select_related("structure").order_by("structure__nom", "nom")
        )
        self.fields["lieu"].label_from_instance = lambda lieu: f"{lieu.nom} ({lieu.structure})"
        self.fields["conseillers"].queryset = permissions.conseillers_geres(user)
        self.fields["jours"].error_messages["required"] = "Cochez au moins un jour de présence."

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin de la mise à disposition précède son début.")
        arrivee, depart = donnees.get("heure_debut"), donnees.get("heure_fin")
        if arrivee and depart and depart <= arrivee:
            self.add_error("heure_fin", "L'heure de départ doit suivre l'heure d'arrivée.")
        return donnees


# -- searches ---------------------------------------------------------------------------


class RechercheConseillersForm(FormulaireAccessibleMixin, forms.Form):
    q = forms.CharField(label="Nom ou adresse électronique", required=False, max_length=100)
    thematique = forms.ChoiceField(
        label="Compétence ou thématique favorite",
        required=False,
        choices=[("", "Toutes"), *Thematique.choices],
        error_messages={"invalid_choice": "Choisissez une thématique de la liste."},
    )
    commune = forms.ModelChoiceField(
        label="Commune de rattachement",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Toutes les communes",
        error_messages={"invalid_choice": "Choisissez une commune de la liste."},
    )
    programme = forms.ChoiceField(
        label="Dispositif",
        required=False,
        choices=[("", "Tous"), *Programme.choices],
        error_messages={"invalid_choice": "Choisissez un dispositif de la liste."},
    )
    sous_contrat = forms.BooleanField(label="Sous contrat aujourd'hui", required=False)
    sans_activite = forms.BooleanField(
        label=f"Sans activité depuis {JOURS_SANS_ACTIVITE} jours", required=False
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        commune_a_saisir(self)

    def filtrer(self, conseillers):
        donnees = self.cleaned_data
        for mot in (donnees["q"] or "").split():
            conseillers = conseillers.filter(
                Q(nom__icontains=mot) | Q(prenom__icontains=mot) | Q(email__icontains=mot)
            )
        if donnees["thematique"]:
            conseillers = conseillers.avec_competence(donnees["thematique"])
        if donnees["commune"]:
            conseillers = conseillers.filter(commune=donnees["commune"])
        if donnees["programme"]:
            conseillers = conseillers.filter(programme=donnees["programme"])
        if donnees["sous_contrat"]:
            conseillers = conseillers.actifs()
        if donnees["sans_activite"]:
            conseillers = conseillers.sans_activite_depuis(JOURS_SANS_ACTIVITE)
        return conseillers


class RechercheCompetencesForm(FormulaireAccessibleMixin, forms.Form):
    q = forms.CharField(
        label="Thématique",
        required=False,
        max_length=100,
        help_text="Par exemple « intelligence artificielle », « démarches » ou « santé ».",
    )

    def thematiques(self) -> list[Thematique]:
        """The themes whose label or code holds every word typed (accents ignored)."""
        mots = normaliser(self.cleaned_data.get("q") or "").split()
        return [
            t for t in Thematique if all(mot in normaliser(f"{t.label} {t.value}") for mot in mots)
        ]
