"""Forms of the advisor's own space: the activity report and the history filters,
the profile, the statistics period, the followed beneficiaries.

Rules between fields of a report live in ``Activite.clean()``: the form runs them (as every
ModelForm does) and ``services.enregistrer_activite`` runs them again inside its
transaction. The form only adds what belongs to the screen: the duration presets, the two
groups of themes, the "already came" box of an individual report, and the advisor's own
sites and territory.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from commun.forms import FormulaireAccessibleMixin
from structures.forms.autocompletion import commune_a_saisir
from structures.models import Arret, Lieu
from territoires.models import Commune

from .. import saisie
from ..beneficiaires import MESSAGE_SANS_CONSENTEMENT
from ..enums import (
    CHAMPS_AGE,
    CHAMPS_STATUT,
    DUREES_PROPOSEES,
    THEMATIQUES_ADMINISTRATIVES,
    THEMATIQUES_PRINCIPALES,
    Autonomie,
    Canal,
    Materiel,
    NiveauAtelier,
    Orientation,
    Thematique,
    TypeActivite,
)
from ..models import (
    DUREE_MAXIMALE,
    PARTICIPANTS_MAXIMUM,
    PREMIERE_DATE,
    Activite,
    Beneficiaire,
    Conseiller,
)
from ..permissions import beneficiaires_du_conseiller

AUTRE_DUREE = "autre"
ETIQUETTES_DUREES = {15: "15 min", 30: "30 min", 45: "45 min", 60: "1 h", 90: "1 h 30", 120: "2 h"}


def libelle_duree(minutes: int) -> str:
    heures, reste = divmod(minutes, 60)
    if not heures:
        return f"{reste} min"
    return f"{heures} h {reste:02d}" if reste else f"{heures} h"


class LieuChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lieu):
        return f"{lieu.nom} ({lieu.commune.nom})"


class ArretSelect(forms.Select):
    """Each stop says its site (``data-lieu``): the script lists the chosen site's stops."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-lieu"] = instance.lieu_id
        return option


class ArretChoiceField(forms.ModelChoiceField):
    widget = ArretSelect

    def label_from_instance(self, arret):
        return f"{arret.lieu.nom} — {arret.nom} ({arret.commune.nom})"


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, commune):
        return commune.nom


def _cases(choix, libelle, **options):
    return forms.MultipleChoiceField(
        label=libelle, choices=choix, widget=forms.CheckboxSelectMultiple, **options
    )


class ActiviteForm(FormulaireAccessibleMixin, forms.ModelForm):
    """One report; build it with ``conseiller=`` (whose sites and habits it proposes)."""

    type = forms.ChoiceField(
        label="Type d'activité", choices=TypeActivite.choices, widget=forms.RadioSelect
    )
    duree = forms.ChoiceField(
        label="Durée",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez la durée de l'activité."},
    )
    canal = forms.ChoiceField(
        label="Où s'est déroulée l'activité\u202f?", choices=Canal.choices, widget=forms.RadioSelect
    )
    deja_accompagnee = forms.BooleanField(
        label="La personne a déjà été accompagnée", required=False
    )
    thematiques = _cases(
        [],
        "Thématiques",
        required=False,
    )
    thematiques_administratives = _cases(
        [(t.value, t.label) for t in Thematique if t in THEMATIQUES_ADMINISTRATIVES],
        "Démarches administratives\u00a0: précisez le domaine",
        required=False,
    )
    materiel = _cases(Materiel.choices, "Matériel utilisé", required=False)
    autonomie = forms.ChoiceField(
        label="Autonomie de la personne",
        choices=[("", "Non précisée"), *Autonomie.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    orientation = forms.ChoiceField(
        label="Orientée vers",
        choices=[("", "Pas d'orientation"), *Orientation.choices],
        required=False,
    )
    niveau_atelier = forms.ChoiceField(
        label="Niveau de l'atelier",
        choices=[("", "Non précisé"), *NiveauAtelier.choices],
        required=False,
    )

    class Meta:
        model = Activite
        fields = [
            "date",
            "type",
            "duree_minutes",
            "canal",
            "lieu",
            "arret",
            "commune",
            "nb_participants",
            "nb_participants_recurrents",
            *CHAMPS_AGE,
            *CHAMPS_STATUT,
            "thematiques",
            "materiel",
            "autonomie",
            "a_poursuivre",
            "orientation",
            "oriente_par_travailleur_social",
            "titre_atelier",
            "niveau_atelier",
            "beneficiaires",
            "notes",
        ]
        field_classes = {
            "lieu": LieuChoiceField,
            "arret": ArretChoiceField,
            "commune": CommuneChoiceField,
        }
        labels = {
            "duree_minutes": "Autre durée (en minutes)",
            "lieu": "Lieu",
            "arret": "Arrêt du lieu itinérant",
            "commune": "Commune",
            "nb_participants": "Nombre de participants",
            "nb_participants_recurrents": "Dont personnes déjà accompagnées",
            "a_poursuivre": "Accompagnement à poursuivre",
            "oriente_par_travailleur_social": "Orientée vers moi par un travailleur social",
            "beneficiaires": "Bénéficiaires suivis",
            "notes": "Notes",
        }
        help_texts = {
            "notes": "",
            "nb_participants_recurrents": "",
            "beneficiaires": "Seulement les personnes qui ont accepté d'être suivies. "
            "Une personne suivie déjà venue est comptée comme déjà accompagnée.",
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
            "beneficiaires": forms.SelectMultiple(attrs={"size": 4}),
        }
        error_messages = {
            "date": {"invalid": "Saisissez une date valide (jj/mm/aaaa)."},
            "lieu": {"invalid_choice": "Ce lieu ne fait pas partie de vos lieux d'activité."},
            "arret": {"invalid_choice": "Cet arrêt n'appartient à aucun de vos lieux."},
            "commune": {"invalid_choice": "Cette commune n'est pas dans votre territoire."},
            "beneficiaires": {
                "invalid_choice": "Cette personne ne fait pas partie de vos bénéficiaires suivis."
            },
        }

    def __init__(self, *args, conseiller: Conseiller, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.conseiller = conseiller
        activite = self.instance
        self.durees = saisie.durees_ordonnees(conseiller)
        self.fields["duree"].choices = [
            *((str(d), ETIQUETTES_DUREES[d]) for d in self.durees),
            (AUTRE_DUREE, "autre durée"),
        ]
        favorites = [
            t for t in conseiller.thematiques_favorites if t not in THEMATIQUES_ADMINISTRATIVES
        ]
        ordre = [*favorites, *(t for t in THEMATIQUES_PRINCIPALES if t not in favorites)]
        etiquettes = dict(Thematique.choices)
        self.fields["thematiques"].choices = [(t, etiquettes[t]) for t in ordre]
        self.nombre_favorites = len(favorites)

        lieux = conseiller.lieux_d_activite().values("pk")
        self.fields["lieu"].queryset = (
            Lieu.objects.tous()
            .filter(Q(pk__in=lieux) | Q(pk=activite.lieu_id))
            .select_related("commune")
            .order_by("nom", "pk")
        )
        self.fields["arret"].queryset = (
            Arret.objects.filter(Q(lieu__in=lieux) | Q(pk=activite.arret_id))
            .select_related("lieu", "commune")
            .order_by("lieu__nom", "nom", "pk")
        )
        self.fields["commune"].queryset = Commune.objects.filter(
            Q(pk__in=Commune.objects.dans(user.perimetre).values("pk")) | Q(pk=activite.commune_id)
        ).order_by("nom", "pk")
        self.fields["commune"].empty_label = "Choisissez une commune"
        self.fields["lieu"].empty_label = "Choisissez un lieu"
        # a territory of hundreds of communes: typed with suggestions (its own communes)
        commune_a_saisir(self)
        self.fields["arret"].empty_label = "Choisissez un arrêt"
        self.fields["beneficiaires"].queryset = beneficiaires_du_conseiller(
            conseiller
        ).select_related("commune")
        self.fields["beneficiaires"].required = False

        aujourd_hui = timezone.localdate()
        self.fields["date"].widget.attrs.update(
            min=PREMIERE_DATE.isoformat(), max=aujourd_hui.isoformat()
        )
        duree_autre = self.fields["duree_minutes"]
        duree_autre.required = False
        duree_autre.widget.attrs.update(min=1, max=DUREE_MAXIMALE, inputmode="numeric")
        participants = self.fields["nb_participants"]
        participants.widget.attrs.update(min=1, max=PARTICIPANTS_MAXIMUM, inputmode="numeric")
        self.fields["nb_participants_recurrents"].required = False
        self.fields["nb_participants_recurrents"].widget.attrs.update(
            min=0, max=PARTICIPANTS_MAXIMUM, inputmode="numeric"
        )
        for champ in (*CHAMPS_AGE, *CHAMPS_STATUT):
            self.fields[champ].required = False
            self.fields[champ].widget.attrs.update(
                min=0, max=PARTICIPANTS_MAXIMUM, inputmode="numeric"
            )

        if not self.is_bound:
            self._preparer_initiales()

    def _preparer_initiales(self):
        initiales = self.initial
        minutes = initiales.get("duree_minutes")
        if minutes in DUREES_PROPOSEES:
            initiales["duree"] = str(minutes)
            initiales["duree_minutes"] = None
        elif minutes:
            initiales["duree"] = AUTRE_DUREE
        toutes = list(initiales.get("thematiques") or [])
        initiales["thematiques"] = [t for t in toutes if t not in THEMATIQUES_ADMINISTRATIVES]
        initiales["thematiques_administratives"] = [
            t for t in toutes if t in THEMATIQUES_ADMINISTRATIVES
        ]
        if initiales.get("type") != TypeActivite.COLLECTIF:
            initiales["deja_accompagnee"] = bool(initiales.get("nb_participants_recurrents"))
        for champ in (*CHAMPS_AGE, *CHAMPS_STATUT):
            if not initiales.get(champ):
                initiales[champ] = None

    # -- groups the template lays out ---------------------------------------------------
    def champs_age(self):
        return [self[c] for c in CHAMPS_AGE]

    def champs_statut(self):
        return [self[c] for c in CHAMPS_STATUT]

    def comptages_renseignes(self) -> bool:
        """Open the optional counts when some are given or wrong."""
        noms = (*CHAMPS_AGE, *CHAMPS_STATUT)
        return any(self[c].value() not in (None, "", 0, "0") for c in noms) or any(
            c in self.errors for c in noms
        )

    def details_renseignes(self) -> bool:
        noms = (
            "materiel",
            "orientation",
            "a_poursuivre",
            "oriente_par_travailleur_social",
            "beneficiaires",
            "notes",
        )
        return any(self[c].value() not in (None, "", [], False) for c in noms) or any(
            c in self.errors for c in noms
        )

    # -- validation ---------------------------------------------------------------------
    def clean(self):
        donnees = super().clean()
        self._clean_duree(donnees)
        if "thematiques" in donnees:
            choisies = [*donnees["thematiques"], *donnees.get("thematiques_administratives", [])]
            donnees["thematiques"] = choisies
            if not choisies:
                self.add_error("thematiques", "Choisissez au moins une thématique.")
        for champ in ("nb_participants_recurrents", *CHAMPS_AGE, *CHAMPS_STATUT):
            if champ in donnees and donnees[champ] is None:
                donnees[champ] = 0
        type_ = donnees.get("type")
        if type_ in (TypeActivite.INDIVIDUEL, TypeActivite.PONCTUEL):
            deja = donnees.get("deja_accompagnee") or (
                type_ == TypeActivite.INDIVIDUEL
                and saisie.beneficiaire_deja_accompagne(
                    donnees.get("beneficiaires"), sauf_activite=self.instance.pk
                )
            )
            donnees["nb_participants_recurrents"] = 1 if deja else 0
        return donnees

    def _clean_duree(self, donnees):
        choix = donnees.get("duree")
        autre = donnees.get("duree_minutes")
        if choix == AUTRE_DUREE:
            if autre is None and "duree_minutes" not in self.errors:
                self.add_error("duree_minutes", "Indiquez la durée en minutes.")
        elif choix:
            if autre is not None and autre != int(choix):
                self.add_error(
                    "duree",
                    "Choisissez une durée proposée ou « autre durée », pas les deux\u00a0: "
                    f"{libelle_duree(int(choix))} ou {autre} minutes ?",
                )
            else:
                donnees["duree_minutes"] = int(choix)

    def _post_clean(self):
        # A field the form already refused was not applied to the report: what
        # Activite.clean() says about it (from the old value) would only add noise.
        refuses = {nom: erreurs.as_data() for nom, erreurs in self._errors.items()}
        super()._post_clean()
        for nom, erreurs in refuses.items():
            self._errors[nom].data[:] = erreurs

    def ajouter_erreurs(self, exception) -> None:
        """Put a ``ValidationError`` raised by the service next to the fields it names."""
        if not hasattr(exception, "error_dict"):
            self.add_error(None, exception)
            return
        for champ, erreurs in exception.error_dict.items():
            self.add_error(champ if champ in self.fields else None, erreurs)


class FiltresHistoriqueForm(FormulaireAccessibleMixin, forms.Form):
    """The history's filters (query string): period, type, theme, channel, commune."""

    du = forms.DateField(
        label="Du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide."},
    )
    au = forms.DateField(
        label="Au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Saisissez une date valide."},
    )
    type = forms.ChoiceField(
        label="Type", choices=[("", "Tous les types"), *TypeActivite.choices], required=False
    )
    thematique = forms.ChoiceField(
        label="Thématique",
        choices=[("", "Toutes les thématiques"), *Thematique.choices],
        required=False,
    )
    canal = forms.ChoiceField(
        label="Lieu de l'activité", choices=[("", "Tous"), *Canal.choices], required=False
    )
    commune = CommuneChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Toutes les communes",
        error_messages={"invalid_choice": "Cette commune n'est pas dans votre territoire."},
    )
    supprimees = forms.BooleanField(label="Afficher les activités supprimées", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.dans(user.perimetre).order_by("nom", "pk")
        commune_a_saisir(self)

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and au < du:
            self.add_error("au", "La fin de la période précède son début.")
        return donnees

    def filtrer(self, activites):
        """``activites`` restricted to the valid filters (invalid ones are ignored)."""
        donnees = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        activites = activites.entre(donnees.get("du"), donnees.get("au"))
        if donnees.get("type"):
            activites = activites.filter(type=donnees["type"])
        if donnees.get("thematique"):
            activites = activites.avec_thematique(donnees["thematique"])
        if donnees.get("canal"):
            activites = activites.filter(canal=donnees["canal"])
        if donnees.get("commune"):
            activites = activites.filter(commune=donnees["commune"])
        return activites


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
                "max_length": "50 caractères au plus\u00a0: le prénom ou les initiales suffisent.",
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
        commune_a_saisir(self)
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
