"""The settings of a coverage analysis (a GET form: every analysis has its own address)."""

from __future__ import annotations

from django import forms

from commun.forms import FormulaireAccessibleMixin
from indicateurs.champs import champ_niveau, champ_territoire
from indicateurs.enums import Niveau
from structures.enums import Service

RAYON_PAR_DEFAUT = 5.0
RAYON_MIN, RAYON_MAX = 0.5, 50.0
K_PAR_DEFAUT = 3
K_MAX = 20

# column -> label, for the server-side sort of the per-unit table
COLONNES_TRI = {
    "nom": "unité",
    "population": "population",
    "indice": "indice",
    "lieux": "lieux",
    "lieux_pour_10000": "lieux pour 10 000 habitants",
    "heures": "heures de conseillers par semaine",
    "heures_pour_10000": "heures pour 10 000 habitants",
    "distance_km": "distance à l'offre la plus proche",
}
TRI_PAR_DEFAUT = "indice"


class CouvertureForm(FormulaireAccessibleMixin, forms.Form):
    territoire = champ_territoire()
    niveau = champ_niveau(
        "Unités analysées",
        help_text="Quartiers et IRIS\u00a0: les zones qui ont un indice ou un contour à ce niveau.",
    )
    service = forms.ChoiceField(
        label="Service recherché",
        choices=[("", "Tous les services"), *Service.choices],
        required=False,
        error_messages={"invalid_choice": "Choisissez un service de la liste."},
    )
    rayon = forms.FloatField(
        label="Distance maximale à une offre (km)",
        min_value=RAYON_MIN,
        max_value=RAYON_MAX,
        localize=True,
        help_text="À vol d'oiseau, de 0,5 à 50\u00a0km\u00a0; par exemple 5 ou 2,5.",
        error_messages={
            "required": "Indiquez une distance en kilomètres.",
            "invalid": "Saisissez une distance en kilomètres, par exemple 5 ou 2,5.",
            "min_value": "La distance doit être d'au moins 0,5\u00a0km.",
            "max_value": "La distance ne peut pas dépasser 50\u00a0km.",
        },
    )
    seuil = forms.FloatField(
        label="Seuil de fragilité (indice supérieur ou égal à)",
        required=False,
        localize=True,
        help_text="Vide\u00a0: le troisième quartile des indices du territoire (le quart le plus "
        "fragile).",
        error_messages={"invalid": "Saisissez un nombre pour le seuil, par exemple 3 ou 2,5."},
    )
    k = forms.IntegerField(
        label="Nombre d'emplacements à suggérer",
        min_value=0,
        max_value=K_MAX,
        help_text=f"De 0 à {K_MAX}.",
        error_messages={
            "required": "Indiquez le nombre d'emplacements à suggérer.",
            "invalid": "Saisissez un nombre entier d'emplacements, par exemple 3.",
            "min_value": "Le nombre d'emplacements ne peut pas être négatif.",
            "max_value": f"Au plus {K_MAX} emplacements.",
        },
    )
    tri = forms.ChoiceField(
        label="Trier par",
        choices=list(COLONNES_TRI.items()),
        required=False,
        error_messages={"invalid_choice": "Colonne de tri inconnue."},
    )
    ordre = forms.ChoiceField(
        label="Ordre",
        choices=[("desc", "décroissant"), ("asc", "croissant")],
        required=False,
        error_messages={"invalid_choice": "Ordre inconnu\u00a0: croissant ou décroissant."},
    )

    def __init__(self, donnees, *, territoires: list[tuple[str, str]], **kwargs):
        """``donnees``: the query string; missing settings take their default values."""
        valeurs = {
            "territoire": territoires[0][0] if territoires else "",
            "niveau": Niveau.COMMUNE.value,
            "service": "",
            "rayon": f"{RAYON_PAR_DEFAUT:g}",
            "seuil": "",
            "k": str(K_PAR_DEFAUT),
            "tri": TRI_PAR_DEFAUT,
            "ordre": "desc",
        }
        valeurs.update({cle: donnees[cle] for cle in valeurs if cle in donnees})
        super().__init__(valeurs, **kwargs)
        self.fields["territoire"].choices = territoires
        for nom in ("rayon", "seuil"):
            self.fields[nom].widget.attrs["inputmode"] = "decimal"
