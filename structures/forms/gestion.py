"""Back-office forms: a site as the national standard checks it, its stops, its hours."""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import pairwise

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from commun.formats import telephone_lisible
from commun.forms import FormulaireAccessibleMixin
from territoires.models import Commune, Zone

from .. import horaires as horaires_osm
from .. import permissions
from ..enums import FAMILLES_TYPOLOGIES, Itinerance, Typologie
from ..fields import ListeChoixField
from ..models import Arret, Lieu, Structure
from ..validators import (
    SEPARATEUR,
    normaliser_telephones,
    valeurs_multiples,
    valider_courriels,
    valider_pivot,
    valider_sites_web,
    valider_telephones,
)
from .autocompletion import commune_a_saisir, libelle_structure, structure_a_saisir

CRENEAUX_PAR_JOUR = 3
MINUIT = 24 * 60


def valider_latitude_longitude(cleaned_data: dict, ajouter_erreur) -> None:
    """Both or none, and each within range; errors in French on the right field."""
    latitude, longitude = cleaned_data.get("latitude"), cleaned_data.get("longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        ajouter_erreur("latitude", "La latitude doit être comprise entre -90 et 90.")
    if longitude is not None and not -180 <= longitude <= 180:
        ajouter_erreur("longitude", "La longitude doit être comprise entre -180 et 180.")
    if (latitude is None) != (longitude is None):
        champ = "longitude" if longitude is None else "latitude"
        ajouter_erreur(champ, "Indiquez la latitude et la longitude, ou ni l'une ni l'autre.")


# -- the per-day hours editor ----------------------------------------------------------


def _minutes(heure: dt.time | None, *, fin: bool = False) -> int | None:
    if heure is None:
        return None
    minutes = heure.hour * 60 + heure.minute
    return MINUIT if fin and minutes == 0 else minutes  # an end at 00:00 means midnight


def _heure(minutes: int) -> str:
    return "00:00" if minutes >= MINUIT else f"{minutes // 60:02d}:{minutes % 60:02d}"


class HorairesJourForm(FormulaireAccessibleMixin, forms.Form):
    """Up to three opening slots of one day of the week."""

    def __init__(self, *args, jour: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.jour = jour
        self.nom_jour = horaires_osm.JOURS[jour]
        for rang in range(1, CRENEAUX_PAR_JOUR + 1):
            for borne, libelle in (("debut", "début"), ("fin", "fin")):
                champ = forms.TimeField(
                    label=f"{self.nom_jour}, {libelle} du créneau {rang}",
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": "Saisissez une heure au format HH:MM."},
                )
                champ.widget.attrs.update(
                    {"class": "form-control", "data-jour": jour, "data-borne": f"{borne}_{rang}"}
                )
                self.fields[f"{borne}_{rang}"] = champ

    def paires(self):
        """``[(bound début, bound fin), ...]`` for the template."""
        return [
            (self[f"debut_{rang}"], self[f"fin_{rang}"]) for rang in range(1, CRENEAUX_PAR_JOUR + 1)
        ]

    def clean(self):
        donnees = super().clean()
        creneaux = []
        for rang in range(1, CRENEAUX_PAR_JOUR + 1):
            if f"debut_{rang}" in self.errors or f"fin_{rang}" in self.errors:
                continue
            debut = _minutes(donnees.get(f"debut_{rang}"))
            fin = _minutes(donnees.get(f"fin_{rang}"), fin=True)
            if debut is None and fin is None:
                continue
            if debut is None or fin is None:
                raise ValidationError(
                    "%(jour)s, créneau %(rang)s\u00a0: indiquez l'heure de début et l'heure de "
                    "fin.",
                    code="creneau_incomplet",
                    params={"jour": self.nom_jour.capitalize(), "rang": rang},
                )
            if fin <= debut:
                raise ValidationError(
                    "%(jour)s, créneau %(rang)s\u00a0: l'heure de fin (%(fin)s) doit être après "
                    "l'heure de début (%(debut)s).",
                    code="fin_avant_debut",
                    params={
                        "jour": self.nom_jour.capitalize(),
                        "rang": rang,
                        "debut": _heure(debut),
                        "fin": _heure(fin),
                    },
                )
            creneaux.append((debut, fin, rang))
        creneaux.sort()
        for (_debut_a, fin_a, rang_a), (debut_b, _fin_b, rang_b) in pairwise(creneaux):
            if debut_b < fin_a:
                premier, second = sorted((rang_a, rang_b))
                raise ValidationError(
                    "%(jour)s\u00a0: les créneaux %(premier)s et %(second)s se chevauchent.",
                    code="chevauchement",
                    params={
                        "jour": self.nom_jour.capitalize(),
                        "premier": premier,
                        "second": second,
                    },
                )
        self.plages = [
            horaires_osm.Plage(jour=self.jour, debut=debut, fin=fin) for debut, fin, _ in creneaux
        ]
        return donnees


class BaseHorairesSemaineFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "jour": index}

    def clean(self):
        super().clean()
        if self.total_form_count() != 7:
            raise ValidationError(
                "Le formulaire des horaires doit compter les sept jours de la semaine\u00a0: "
                "rechargez la page.",
                code="semaine_incomplete",
            )

    def plages(self) -> list[horaires_osm.Plage]:
        return [plage for form in self.forms for plage in getattr(form, "plages", [])]

    def vers_osm(self) -> str:
        return horaires_osm.depuis_plages(self.plages())


HorairesSemaineFormSet = forms.formset_factory(
    HorairesJourForm,
    formset=BaseHorairesSemaineFormSet,
    extra=0,
    min_num=7,
    max_num=7,
    validate_max=True,
    absolute_max=7,  # a tampered TOTAL_FORMS builds no eighth day (refused, not a crash)
)


def _lundi(jour: dt.date) -> dt.date:
    return jour - dt.timedelta(days=jour.weekday())


def plages_hebdomadaires(horaires: str, semaines: int = 53) -> list[horaires_osm.Plage] | None:
    """The week's slots when ``horaires`` is the same every week of the coming year and
    fits the editor (three slots a day at most); ``None`` when it cannot be shown per day
    (public holidays, date ranges, unreadable string...)."""
    if not (horaires or "").strip():
        return []
    try:
        lundi = _lundi(timezone.localdate())
        reference = horaires_osm.plages_de_la_semaine(horaires, lundi)
        for semaine in range(1, semaines):
            debut = lundi + dt.timedelta(weeks=semaine)
            if horaires_osm.plages_de_la_semaine(horaires, debut) != reference:
                return None
    except ValidationError:
        return None
    for jour in range(7):
        if sum(1 for plage in reference if plage.jour == jour) > CRENEAUX_PAR_JOUR:
            return None
    return reference


def initial_horaires(plages: list[horaires_osm.Plage]) -> list[dict]:
    initial = [{} for _ in range(7)]
    rangs = [0] * 7
    for plage in sorted(plages, key=lambda p: (p.jour, p.debut)):
        rangs[plage.jour] += 1
        rang = rangs[plage.jour]
        initial[plage.jour][f"debut_{rang}"] = _heure(plage.debut)
        initial[plage.jour][f"fin_{rang}"] = _heure(plage.fin)
    return initial


# -- the site ------------------------------------------------------------------------

SAISIE_PAR_JOUR = "par_jour"
SAISIE_AVANCEE = "avancee"


def _champ_de_formulaire(champ, **kwargs):
    """Web addresses typed without a scheme are taken as https (Django 6 behaviour)."""
    if isinstance(champ, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return champ.formfield(**kwargs)


class LieuForm(FormulaireAccessibleMixin, forms.ModelForm):
    """A site, checked as the national standard checks it, with French messages."""

    saisie_horaires = forms.ChoiceField(
        label="Mode de saisie des horaires",
        choices=[
            (SAISIE_PAR_JOUR, "Saisie par jour (créneaux de début et de fin)"),
            (SAISIE_AVANCEE, "Saisie avancée au format OpenStreetMap"),
        ],
        widget=forms.RadioSelect,
        initial=SAISIE_PAR_JOUR,
    )

    class Meta:
        model = Lieu
        formfield_callback = _champ_de_formulaire
        fields = [
            "structure",
            "nom",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "zone",
            "latitude",
            "longitude",
            "telephone",
            "courriels",
            "site_web",
            "prise_rdv",
            "fiche_acces_libre",
            "horaires",
            "presentation_resume",
            "presentation_detail",
            "structure_parente",
            "typologies",
            "itinerance",
            "services",
            "publics",
            "prise_en_charge",
            "frais",
            "modalites_acces",
            "modalites_accompagnement",
            "programmes",
            "formations_labels",
            "autres_formations_labels",
            "wifi_public",
            "materiel_libre_acces",
            "mediateur_present",
        ]
        widgets = {
            "presentation_resume": forms.Textarea(attrs={"rows": 3, "maxlength": 280}),
            "presentation_detail": forms.Textarea(attrs={"rows": 5}),
            "horaires": forms.TextInput(attrs={"spellcheck": "false"}),
        }
        labels = {"horaires": "Horaires au format OpenStreetMap"}
        help_texts = {
            "horaires": "Pour les jours fériés, les périodes datées ou les semaines "
            "alternées, par exemple « Mo-Fr 09:00-12:00; PH off ».",
            "telephone": "Plusieurs numéros séparés par « | », par exemple 02 43 47 47 47.",
            "presentation_resume": "280 caractères au plus.",
            "latitude": "Entre -90 et 90, par exemple 48.0061.",
            "longitude": "Entre -180 et 180, par exemple 0.1996.",
        }
        error_messages = {
            "nom": {"required": "Indiquez le nom du lieu."},
            "adresse": {"required": "Indiquez l'adresse du lieu."},
            "code_postal": {
                "required": "Indiquez le code postal.",
                "max_length": "Le code postal doit compter 5 chiffres (par exemple 72000).",
            },
            "commune": {
                "required": "Choisissez la commune du lieu.",
                "invalid_choice": "Choisissez une commune de votre territoire.",
            },
            "structure": {
                "required": "Choisissez la structure qui porte le lieu.",
                "invalid_choice": "Choisissez une structure que vous pouvez gérer.",
            },
            "zone": {"invalid_choice": "Choisissez un quartier de la commune du lieu."},
            "services": {"required": "Cochez au moins un service proposé."},
            "presentation_resume": {
                "max_length": "La présentation résumée doit tenir en 280 caractères "
                "(elle en compte %(show_value)d)."
            },
            "latitude": {
                "invalid": "Saisissez une latitude en degrés décimaux, par exemple 48.0061."
            },
            "longitude": {
                "invalid": "Saisissez une longitude en degrés décimaux, par exemple 0.1996."
            },
            "prise_rdv": {
                "invalid": "Saisissez une adresse web complète, commençant par https://."
            },
            "fiche_acces_libre": {
                "invalid": "Saisissez une adresse web complète, commençant par https://."
            },
        }

    def typologies_par_famille(self) -> list[tuple[str, list]]:
        """The typologies' boxes grouped by family (a fieldset each in the form)."""
        cases = {case.data["value"]: case for case in self["typologies"]}
        return [
            (famille, [cases[t] for t in typologies if t in cases])
            for famille, typologies in FAMILLES_TYPOLOGIES
        ]

    def __init__(self, *args, user, editeur: BaseHorairesSemaineFormSet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.editeur = editeur
        communes = permissions.communes_utilisables(user)
        if self.instance.pk and self.instance.commune_id:
            communes = communes | Commune.objects.filter(pk=self.instance.commune_id)
        self.fields["commune"].queryset = communes.order_by("nom")
        self.fields["structure"].queryset = permissions.structures_utilisables(user).select_related(
            "commune"
        )
        self.fields["zone"].queryset = (
            Zone.objects.tous().filter(commune__in=communes).select_related("commune")
        )
        commune_a_saisir(self)
        structure_a_saisir(self)
        self.fields["zone"].label = "Quartier ou IRIS (facultatif)"
        self.fields["zone"].help_text = "Sert à regrouper les lieux dans le guide imprimable."
        self.fields["code_postal"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 5}
        )
        self.fields["presentation_resume"].max_length = 280
        self.fields["horaires"].required = False

    # -- one field at a time -----------------------------------------------------------
    def clean_code_postal(self):
        valeur = (self.cleaned_data.get("code_postal") or "").strip()
        if not valeur.isdigit() or len(valeur) != 5:
            raise ValidationError(
                "Le code postal doit compter 5 chiffres (par exemple 72000).", code="code_postal"
            )
        return valeur

    # the values, trimmed and joined with « | », checked by the model's own validators
    # (structures/validators.py), as the API and the import are
    def clean_telephone(self):
        numeros = normaliser_telephones(self.cleaned_data.get("telephone"))
        valider_telephones(numeros)
        return numeros

    def clean_courriels(self):
        courriels = SEPARATEUR.join(valeurs_multiples(self.cleaned_data.get("courriels")))
        valider_courriels(courriels)
        return courriels

    def clean_site_web(self):
        sites = SEPARATEUR.join(valeurs_multiples(self.cleaned_data.get("site_web")))
        valider_sites_web(sites)
        return sites

    def clean_horaires(self):
        valeur = (self.cleaned_data.get("horaires") or "").strip()
        if self.data.get(self.add_prefix("saisie_horaires")) == SAISIE_AVANCEE:
            horaires_osm.valider_horaires(valeur)
        return valeur

    # -- the whole site ----------------------------------------------------------------
    def clean(self):
        donnees = super().clean()
        valider_latitude_longitude(donnees, self.add_error)
        structure = donnees.get("structure")
        if structure is not None:
            try:
                valider_pivot(structure.pivot)
            except ValidationError:
                self.add_error(
                    "structure",
                    ValidationError(
                        "La structure « %(nom)s » n'a pas de SIRET ou de numéro RNA valide, "
                        "que le standard national exige\u00a0: faites-la compléter par la "
                        "coordination.",
                        code="pivot",
                        params={"nom": structure.nom},
                    ),
                )
        zone, commune = donnees.get("zone"), donnees.get("commune")
        if zone is not None and commune is not None and zone.commune_id != commune.pk:
            self.add_error(
                "zone",
                ValidationError(
                    "Le quartier « %(zone)s » n'est pas dans la commune %(commune)s.",
                    code="zone",
                    params={"zone": zone.nom, "commune": commune.nom},
                ),
            )
        if donnees.get("saisie_horaires") == SAISIE_PAR_JOUR and self.editeur is not None:
            if self.editeur.is_valid():
                donnees["horaires"] = self.editeur.vers_osm()
            else:
                self.add_error(
                    None,
                    "Les horaires saisis par jour contiennent des erreurs\u00a0: corrigez-les "
                    "ci-dessous.",
                )
        return donnees

    def save(self, commit=True):
        lieu = super().save(commit=False)
        if not lieu.identifiant:
            lieu.identifiant = str(uuid.uuid4())
            lieu.source = settings.PORTAIL_NOM[:150]
        if commit:
            lieu.save()
        return lieu


# -- the stops of an itinerant site --------------------------------------------------


class ArretForm(FormulaireAccessibleMixin, forms.ModelForm):
    class Meta:
        model = Arret
        fields = ["nom", "adresse", "commune", "latitude", "longitude", "horaires"]
        labels = {"horaires": "Horaires de l'arrêt (format OpenStreetMap)"}
        error_messages = {
            "nom": {"required": "Indiquez le nom de l'arrêt."},
            "commune": {
                "required": "Choisissez la commune de l'arrêt.",
                "invalid_choice": "Choisissez une commune de votre territoire.",
            },
            "latitude": {
                "invalid": "Saisissez une latitude en degrés décimaux, par exemple 48.0061."
            },
            "longitude": {
                "invalid": "Saisissez une longitude en degrés décimaux, par exemple 0.1996."
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = permissions.communes_utilisables(user)
        if self.instance.pk and self.instance.commune_id:
            communes = communes | Commune.objects.filter(pk=self.instance.commune_id)
        self.fields["commune"].queryset = communes.order_by("nom")
        commune_a_saisir(self)

    def clean(self):
        donnees = super().clean()
        valider_latitude_longitude(donnees, self.add_error)
        return donnees


class BaseArretFormSet(forms.BaseInlineFormSet):
    def verifier_itinerance(self, itinerance: list[str]) -> None:
        """Stops only make sense for an itinerant site; call once the formset is valid."""
        if Itinerance.ITINERANT in itinerance:
            return
        gardes = [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]
        if gardes:
            self._non_form_errors.append(
                "Seul un lieu itinérant a des arrêts\u00a0: cochez « Itinérant » dans "
                "l'itinérance, "
                "ou supprimez les arrêts."
            )


ArretFormSet = forms.inlineformset_factory(
    Lieu,
    Arret,
    form=ArretForm,
    formset=BaseArretFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


# -- the directory of structures ----------------------------------------------------------


class RechercheStructuresForm(FormulaireAccessibleMixin, forms.Form):
    """The directory's filters; the same query string gives the page and its CSV."""

    ETATS = [("", "Actives"), ("archivees", "Archivées"), ("toutes", "Toutes")]

    q = forms.CharField(label="Nom de la structure", required=False, max_length=100)
    typologie = forms.ChoiceField(
        label="Typologie",
        required=False,
        choices=[("", "Toutes les typologies"), *Typologie.choices],
        error_messages={"invalid_choice": "Choisissez une typologie de la liste."},
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Toutes les communes",
        error_messages={"invalid_choice": "Choisissez une commune de la liste."},
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=ETATS,
        error_messages={"invalid_choice": "Choisissez un état de la liste."},
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        commune_a_saisir(self)

    def filtrer(self, structures):
        """``structures`` narrowed by valid filters (active ones when none is valid)."""
        d = self.cleaned_data if self.is_valid() else {}
        etat = d.get("etat", "")
        if etat == "archivees":
            structures = structures.archivees()
        elif etat != "toutes":
            structures = structures.actives()
        if d.get("q"):
            structures = structures.recherche(d["q"])
        if d.get("typologie"):
            structures = structures.filter(ListeChoixField.contient("typologies", d["typologie"]))
        if d.get("commune"):
            structures = structures.filter(commune=d["commune"])
        return structures


class _ContactsMixin:
    """Phone numbers typed as people write them (``02 43 47 47 47``), stored in the
    international form, shown again as they were typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.telephone:
            self.initial["telephone"] = telephone_lisible(self.instance.telephone)

    def clean_telephone(self):
        numeros = normaliser_telephones(self.cleaned_data.get("telephone"))
        valider_telephones(numeros)
        return numeros

    def clean_code_postal(self):
        valeur = (self.cleaned_data.get("code_postal") or "").strip()
        if valeur and (not valeur.isdigit() or len(valeur) != 5):
            raise ValidationError(
                "Le code postal doit compter 5 chiffres (par exemple 72000).", code="code_postal"
            )
        return valeur


# labels in sentence case (the model's verbose names are lower-case)
LIBELLES_STRUCTURE = {
    "typologies": "Typologies",
    "parente": "Structure parente",
    "programmes": "Dispositifs et programmes nationaux",
    "labels": "Formations et labels",
    "autres_labels": "Autres formations et labels",
}
AIDES_STRUCTURE = {
    "telephone": "Par exemple 02\u00a043\u00a047\u00a047\u00a047.",
    "presentation": "Ce que fait la structure, en quelques phrases "
    "(2\u202f000 caractères au plus).",
}
MESSAGES_STRUCTURE = {
    "nom": {"required": "Indiquez le nom de la structure."},
    "commune": {
        "required": "Choisissez la commune de la structure.",
        "invalid_choice": "Choisissez une commune de votre territoire.",
    },
    "parente": {"invalid_choice": "Choisissez une structure active de votre territoire."},
    "courriel": {"invalid": "Saisissez une adresse électronique valide, comme nom@exemple.fr."},
    "site_web": {"invalid": "Saisissez une adresse web valide, comme https://exemple.fr."},
}


class StructureForm(_ContactsMixin, FormulaireAccessibleMixin, forms.ModelForm):
    """A structure of the directory, as a coordinator keeps it."""

    class Meta:
        model = Structure
        formfield_callback = _champ_de_formulaire
        fields = [
            "nom",
            "pivot",
            "typologies",
            "adresse",
            "code_postal",
            "commune",
            "telephone",
            "courriel",
            "site_web",
            "presentation",
            "parente",
            "programmes",
            "labels",
            "autres_labels",
        ]
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        labels = LIBELLES_STRUCTURE
        help_texts = {
            **AIDES_STRUCTURE,
            "pivot": "SIRET (14 chiffres) ou, pour une association sans SIRET, numéro RNA "
            "(W suivi de 9 caractères).",
        }
        error_messages = MESSAGES_STRUCTURE

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = permissions.communes_de_l_annuaire(user).order_by("nom")
        parentes = permissions.structures_de_l_annuaire(user).actives()
        if self.instance.pk:
            parentes = parentes.exclude(pk=self.instance.pk)
        self.fields["parente"].queryset = parentes.select_related("commune").order_by("nom", "pk")
        self.fields["parente"].empty_label = "Aucune"
        commune_a_saisir(self)
        structure_a_saisir(self, "parente")


class StructureReferentForm(_ContactsMixin, FormulaireAccessibleMixin, forms.ModelForm):
    """What a referent corrects of its own structure: its public fields, not its SIRET,
    typology, commune or labels (the coordination's)."""

    class Meta:
        model = Structure
        formfield_callback = _champ_de_formulaire
        fields = ["nom", "adresse", "code_postal", "telephone", "courriel", "site_web"]
        fields += ["presentation"]
        widgets = {"presentation": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}
        labels = LIBELLES_STRUCTURE
        help_texts = AIDES_STRUCTURE
        error_messages = MESSAGES_STRUCTURE


class FusionForm(FormulaireAccessibleMixin, forms.Form):
    """The duplicate that a structure takes over."""

    doublon = forms.ModelChoiceField(
        label="Structure en double, à fusionner dans celle-ci",
        queryset=Structure.objects.none(),
        help_text="Ses lieux, référents, conseillers, mises à disposition, conventions, "
        "demandes d'atelier et contacts seront rattachés à la structure gardée\u202f; elle sera "
        "archivée.",
        error_messages={
            "required": "Choisissez la structure en double.",
            "invalid_choice": "Choisissez une autre structure active de votre territoire.",
        },
    )

    def __init__(self, *args, user, garder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doublon"].queryset = (
            permissions.structures_de_l_annuaire(user)
            .actives()
            .exclude(pk=garder.pk)
            .select_related("commune")
            .order_by("nom", "pk")
        )
        self.fields["doublon"].label_from_instance = libelle_structure
        structure_a_saisir(self, "doublon")


class RechercheLieuxForm(FormulaireAccessibleMixin, forms.Form):
    q = forms.CharField(label="Nom du lieu", required=False, max_length=100)
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Toutes les communes",
        error_messages={"invalid_choice": "Choisissez une commune de la liste."},
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        commune_a_saisir(self)
