"""Form of the index's ranking: which territory, level and version to read (GET)."""

from __future__ import annotations

from django import forms

from commun.forms import FormulaireAccessibleMixin
from indicateurs.champs import NIVEAUX, champ_niveau, champ_territoire


class ClassementForm(FormulaireAccessibleMixin, forms.Form):
    """A ranking has its own address: territory, level and the version of the index."""

    territoire = champ_territoire()
    niveau = champ_niveau("Unités")
    resultat = forms.ChoiceField(
        label="Version de l'indice",
        required=False,
        help_text="Vide\u00a0: la plus récente pour ce territoire et ce niveau.",
        error_messages={"invalid_choice": "Choisissez une version de l'indice de la liste."},
    )

    def __init__(self, donnees, *, territoires: list[tuple[str, str]], **kwargs):
        valeurs = {
            "territoire": territoires[0][0] if territoires else "",
            "niveau": NIVEAUX[0][0],
            "resultat": "",
        }
        valeurs.update({cle: donnees[cle] for cle in valeurs if cle in donnees})
        super().__init__(valeurs, **kwargs)
        self.fields["territoire"].choices = territoires

    def proposer_resultats(self, resultats: list[tuple[str, str]]) -> None:
        """The versions of the chosen territory and level (known once both are valid)."""
        self.fields["resultat"].choices = [("", "La plus récente"), *resultats]
