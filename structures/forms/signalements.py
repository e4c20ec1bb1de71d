"""The follow-up of a public error report: state, assignee, note and the answer."""

from __future__ import annotations

from django import forms

from commun.forms import FormulaireAccessibleMixin

from ..enums import StatutSignalement


def reponse_proposee(lieu) -> str:
    """The answer offered for the coordinator to edit before it is sent."""
    return (
        f"Merci de nous avoir signalé une erreur sur la page du lieu «\u202f{lieu.nom}\u202f». "
        "Nous avons vérifié ses informations et les avons corrigées."
    )


class SuiviSignalementForm(FormulaireAccessibleMixin, forms.Form):
    statut = forms.ChoiceField(label="Statut", choices=StatutSignalement.choices)
    assigne_a = forms.ModelChoiceField(
        label="Suivi par",
        queryset=None,
        required=False,
        empty_label="Personne",
        help_text="un coordinateur ou une coordinatrice du territoire du lieu",
    )
    note = forms.CharField(
        label="Note interne",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="lue par la coordination seulement, jamais envoyée",
    )
    repondre = forms.BooleanField(
        label="Envoyer la réponse par courriel à la personne qui a signalé l'erreur",
        required=False,
    )
    reponse = forms.CharField(
        label="Réponse",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="envoyée quand le signalement passe à «\u202fcorrigé\u202f» ou "
        "«\u202frejeté\u202f», une seule fois",
    )

    def __init__(self, *args, signalement, coordinateurs, **kwargs):
        self.signalement = signalement
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [
            (valeur, libelle.capitalize()) for valeur, libelle in StatutSignalement.choices
        ]
        self.fields["assigne_a"].queryset = coordinateurs
        self.fields["assigne_a"].label_from_instance = lambda u: (
            f"{u.nom_complet} ({u.email})" if u.nom_complet else u.email
        )
        if not signalement.courriel or signalement.repondu_le:
            # nobody to answer, or already answered: the answer is not offered again
            del self.fields["repondre"]
            del self.fields["reponse"]

    def clean(self):
        donnees = super().clean()
        # the box stays ticked while the report is open: the answer leaves on closing
        fermeture = donnees.get("statut") in StatutSignalement.clos()
        if donnees.get("repondre") and fermeture and not (donnees.get("reponse") or "").strip():
            self.add_error(
                "reponse", "Écrivez la réponse à envoyer, ou décochez l'envoi par courriel."
            )
        return donnees
