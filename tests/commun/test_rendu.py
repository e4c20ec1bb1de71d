"""The fast renderer of the public forms writes exactly what Django's templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict

from commun.rendu import RenduRapide
from structures.forms.public import RechercheLieuxForm


class Exemple(forms.Form):
    choix = forms.ChoiceField(
        choices=[("", "aucun"), ("a", "A & <b>"), ("Groupe", [("g1", "Un"), ("g2", "Deux")])],
        required=False,
    )
    plusieurs = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y « i »"), (3, "Trois")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    un = forms.ChoiceField(choices=[("1", "Un"), ("2", "Deux")], widget=forms.RadioSelect)
    liste = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q")], required=False)
    oui = forms.BooleanField(required=False, help_text="Aide")
    texte = forms.CharField(required=False, max_length=5)
    courriel = forms.EmailField(required=False)
    nombre = forms.IntegerField(required=False, min_value=0)
    cache = forms.CharField(required=False, widget=forms.HiddenInput)
    jour = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _rendus(classe, donnees: str):
    rapide = classe(QueryDict(donnees), renderer=RenduRapide())
    lent = classe(QueryDict(donnees), renderer=DjangoTemplates())
    rapide.is_valid(), lent.is_valid()
    return rapide, lent


@pytest.mark.parametrize(
    "donnees",
    [
        "",
        "choix=a&plusieurs=y&plusieurs=3&un=2&liste=q&oui=on",
        'choix=g2&texte=<trop long>&courriel=x&nombre=-1&cache="a"&jour=2026-13-01',
        "un=9",
    ],
)
def test_memes_balises_que_les_gabarits_de_django(donnees):
    rapide, lent = _rendus(Exemple, donnees)
    for nom in rapide.fields:
        assert str(rapide[nom]) == str(lent[nom]), nom
        for option_rapide, option_lente in zip(rapide[nom], lent[nom], strict=True):
            assert option_rapide.tag() == option_lente.tag(), nom
    assert str(rapide) == str(lent)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "donnees",
    [
        "",
        "commune=Le+Mans&services=demarches&typologie=MEDIATH&gratuit=on",
        "publics=inconnu&tri=x",
    ],
)
def test_formulaire_de_recherche_inchange(donnees):
    rapide, lent = _rendus(RechercheLieuxForm, donnees)
    assert isinstance(RechercheLieuxForm().renderer, RenduRapide)
    for nom in rapide.fields:
        assert str(rapide[nom]) == str(lent[nom]), nom
        for option_rapide, option_lente in zip(rapide[nom], lent[nom], strict=True):
            assert option_rapide.tag() == option_lente.tag(), nom


def test_les_entrees_ecrites_en_python_n_incluent_que_input_html():
    """A Django upgrade that changes one of these templates must be seen here."""
    from commun.rendu import ENTREES

    moteur = DjangoTemplates().engine
    for nom in ENTREES:
        source = moteur.get_template(nom).template.source
        assert source.strip() == '{% include "django/forms/widgets/input.html" %}', nom


def test_une_option_a_gabarit_propre_reste_aux_gabarits():
    class Choix(forms.Select):
        option_template_name = "django/forms/widgets/input.html"

    class Formulaire(forms.Form):
        choix = forms.ChoiceField(choices=[("a", "A")], widget=Choix)

    rapide, lent = _rendus(Formulaire, "choix=a")
    assert str(rapide["choix"]) == str(lent["choix"])
    assert "<input" in str(rapide["choix"])
