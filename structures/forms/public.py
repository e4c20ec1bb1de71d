"""Public forms: the search of sites (page, map data and API share it) and the error report."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.functional import cached_property

from commun.forms import ChoixFixe, ChoixMultiplesFixes, FormulaireAccessibleMixin
from commun.rendu import ChampsRendus, RenduRapide
from territoires.models import Commune, Departement
from territoires.resolution import Referentiel

from ..enums import PriseEnCharge, Programme, Public, Service, Typologie
from ..models import Arret

TRI_NOM = "nom"
TRI_DISTANCE = "distance"
# how far the nearest sites of a commune without any are looked for
RAYON_DES_PLUS_PROCHES_KM = 30

# multi-valued filters: form field -> model field
FILTRES_MULTIPLES = {
    "services": "services",
    "publics": "publics",
    "prise_en_charge": "prise_en_charge",
    "programmes": "programmes",
}


def commune_saisie(texte: str) -> Commune:
    """The commune a visitor typed: its name, a postal code or an INSEE code (a municipal
    district's or a former commune's code gives today's commune, resolved as the imports
    do); a French ValidationError when none matches."""
    commune = Commune.objects.recherche(texte).first()
    if commune is None and len(texte) == 5 and texte[:2].isalnum() and texte[2:].isdigit():
        code = Referentiel.autour(code_insee=texte).resoudre(code_insee=texte).code
        commune = Commune.objects.filter(pk=code).first() if code else None
    if commune is None:
        raise forms.ValidationError(
            "Aucune commune ne correspond à « %(texte)s »\u00a0: vérifiez l'orthographe ou "
            "saisissez un code postal.",
            code="commune_inconnue",
            params={"texte": texte},
        )
    return commune


class RechercheLieuxForm(FormulaireAccessibleMixin, forms.Form):
    """Every filter of the public search; all of them live in the query string."""

    default_renderer = RenduRapide

    q = forms.CharField(
        label="Nom du lieu ou mot-clé",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    commune = forms.CharField(
        label="Commune ou code postal",
        required=False,
        max_length=100,
        help_text="Nom de la commune, code postal ou code INSEE, par exemple « Le Mans » ou 72000.",
    )
    departement = forms.CharField(
        label="Département",
        required=False,
        max_length=3,
        help_text="Code du département, par exemple 72 ou 2A.",
    )
    services = ChoixMultiplesFixes(
        label="Besoins",
        required=False,
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    publics = ChoixMultiplesFixes(
        label="Publics accueillis",
        required=False,
        choices=Public.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    prise_en_charge = ChoixMultiplesFixes(
        label="Prise en charge spécifique",
        required=False,
        choices=PriseEnCharge.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    programmes = ChoixMultiplesFixes(
        label="Dispositifs et programmes",
        required=False,
        choices=Programme.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    typologie = ChoixFixe(
        label="Type de structure",
        required=False,
        choices=[("", "Tous les types"), *Typologie.choices],
    )
    gratuit = forms.BooleanField(label="Gratuit", required=False)
    ouvert = forms.BooleanField(label="Ouvert maintenant", required=False)
    weekend = forms.BooleanField(label="Ouvert le week-end", required=False)
    itinerant = forms.BooleanField(label="Itinérant (se déplace près de chez vous)", required=False)
    tri = ChoixFixe(
        label="Trier par",
        required=False,
        choices=[
            ("", "Distance à la commune choisie, sinon nom"),
            (TRI_NOM, "nom"),
            (TRI_DISTANCE, "distance à la commune choisie"),
        ],
    )

    groupes_multiples = ["services", "publics", "prise_en_charge", "programmes"]
    options = ["gratuit", "ouvert", "weekend", "itinerant"]

    @cached_property
    def rendus(self) -> ChampsRendus:
        """Each field's HTML for the page (``_recherche.html``); the lists of choices are
        rendered once per value and reused by the searches asking the same."""
        return ChampsRendus(
            self,
            "structures/public/_champ.html",
            (*self.groupes_multiples, "typologie", *self.options),
        )

    def clean_commune(self) -> Commune | None:
        texte = self.cleaned_data.get("commune", "").strip()
        return commune_saisie(texte) if texte else None

    def clean_departement(self) -> Departement | None:
        code = self.cleaned_data.get("departement", "").strip().upper()
        if not code:
            return None
        departement = Departement.objects.filter(pk=code).first()
        if departement is None:
            raise forms.ValidationError(
                "Aucun département n'a le code «\u202f%(code)s\u202f»\u00a0: saisissez un "
                "code comme 72, 2A ou 974.",
                code="departement_inconnu",
                params={"code": code},
            )
        return departement

    def clean(self):
        donnees = super().clean()
        if donnees.get("tri") == TRI_DISTANCE:
            commune = donnees.get("commune")
            if commune is None and "commune" not in self.errors:
                self.add_error("tri", "Choisissez une commune pour trier les lieux par distance.")
            elif commune is not None and commune.latitude is None:
                self.add_error(
                    "tri",
                    "La position de cette commune n'est pas connue\u00a0: le tri par distance "
                    "est impossible.",
                )
        return donnees

    # -- the query ---------------------------------------------------------------------
    def _valeur(self, nom: str):
        """The cleaned value of a field, or its empty value when it is invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(nom) if nom not in self.errors else None

    @property
    def commune_choisie(self) -> Commune | None:
        return self._valeur("commune")

    @property
    def tri_par_distance(self) -> bool:
        """Asked for, or by default when a commune with a known position is given (« near
        a commune »); « nom » asked for sorts by name."""
        commune = self.commune_choisie
        if commune is None or commune.latitude is None:
            return False
        return self._valeur("tri") in (TRI_DISTANCE, "", None)

    def filtrer(self, lieux, *, trier: bool = True, dans_la_commune: bool = True):
        """``lieux`` narrowed by every valid filter; an invalid one is left out. Without
        ``dans_la_commune``, the commune only sorts (the nearest sites of a commune that has
        none)."""
        texte = self._valeur("q")
        if texte:
            lieux = lieux.recherche(texte)
        commune = self.commune_choisie
        if commune is not None and dans_la_commune:
            # its own sites and the itinerant sites stopping there, without DISTINCT; the
            # few sites with a stop there are read first, so that both conditions use an
            # index (a subquery in the OR made PostgreSQL read every site)
            arretant = list(
                Arret.objects.filter(commune=commune).order_by().values_list("lieu_id", flat=True)
            )
            lieux = lieux.filter(Q(commune=commune) | Q(pk__in=arretant))
        departement = self._valeur("departement")
        if departement is not None:
            lieux = lieux.filter(commune__departement=departement)
        for champ_formulaire, champ_modele in FILTRES_MULTIPLES.items():
            codes = self._valeur(champ_formulaire)
            if codes:
                lieux = lieux.avec(champ_modele, codes)
        typologie = self._valeur("typologie")
        if typologie:
            lieux = lieux.avec("typologies", [typologie])
        if self._valeur("gratuit"):
            lieux = lieux.gratuits()
        if self._valeur("ouvert"):
            lieux = lieux.ouverts_le()
        if self._valeur("weekend"):
            lieux = lieux.ouverts_le_weekend()
        if self._valeur("itinerant"):
            lieux = lieux.itinerants()
        if trier and self.tri_par_distance:
            lieux = lieux.par_distance(commune.latitude, commune.longitude)
        return lieux

    @property
    def peut_chercher_autour(self) -> bool:
        commune = self.commune_choisie
        return commune is not None and commune.latitude is not None

    def les_plus_proches(self, lieux, *, trier: bool = True):
        """For a commune where no site matches the other filters: the sites within
        RAYON_DES_PLUS_PROCHES_KM of it, nearest first (« near a commune » never answers
        nothing when there is help nearby). The views ask only when ``filtrer`` found none."""
        commune = self.commune_choisie
        proches = self.filtrer(lieux, trier=False, dans_la_commune=False).autour(
            commune.latitude, commune.longitude, RAYON_DES_PLUS_PROCHES_KM
        )
        if trier:
            proches = proches.par_distance(commune.latitude, commune.longitude)
        return proches

    @property
    def est_filtree(self) -> bool:
        return any(self._valeur(nom) for nom in self.fields if nom != "tri")

    def erreurs_en_texte(self) -> dict[str, list[str]]:
        return {nom: list(erreurs) for nom, erreurs in self.errors.items()}


class SignalementForm(FormulaireAccessibleMixin, forms.Form):
    """What the public may say about an error on a site's page."""

    message = forms.CharField(
        label="Quelle information est erronée ou manquante\u202f?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Entre 10 et 2 000 caractères. N'indiquez pas de données personnelles.",
        error_messages={
            "required": "Décrivez l'erreur constatée.",
            "min_length": "Décrivez l'erreur en au moins 10 caractères (actuellement "
            "%(show_value)d).",
            "max_length": "Votre message ne peut pas dépasser 2 000 caractères (actuellement "
            "%(show_value)d).",
        },
    )
    courriel = forms.EmailField(
        label="Votre adresse électronique",
        required=False,
        help_text="Facultative, pour que l'équipe de coordination puisse vous répondre.",
        error_messages={
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@exemple.fr."
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # left empty by people (the field is not displayed); bots fill every field
    site_internet = forms.CharField(
        label="Ne pas remplir ce champ",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def est_un_robot(self) -> bool:
        return bool(self.cleaned_data.get("site_internet"))
