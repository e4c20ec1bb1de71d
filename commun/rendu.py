"""A form renderer for the public pages where rendering time matters.

Django renders every option of a ``<select>`` or of a group of checkboxes through three
nested templates. The public search form holds about 130 options (the national typology
alone has 95): rendered that way they took two thirds of the search page's time. This
renderer writes selects, options and plain inputs in Python, with the same markup as
Django's templates, and leaves every other widget (textareas, files...) to them.
"""

from __future__ import annotations

import functools
from html import escape

from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
OPTIONS_A_COCHER = {
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
}
# the widget templates that only include input.html (checked by the tests)
ENTREES = {
    f"django/forms/widgets/{nom}.html"
    for nom in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}


def _e(valeur) -> str:
    """``conditional_escape`` without its lazy wrappers: a hundred calls a page."""
    return valeur.__html__() if hasattr(valeur, "__html__") else escape(str(valeur))


def _attributs(attrs: dict) -> str:
    """As ``attrs.html``: in order, a true boolean as a bare name, a false one left out."""
    return "".join(
        f" {_e(nom)}" if valeur is True else f' {_e(nom)}="{_e(valeur)}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def _option(option: dict) -> str:
    # the template file's final newline comes with each option
    return (
        f'<option value="{_e(option["value"])}"{_attributs(option["attrs"])}>'
        f"{_e(option['label'])}</option>\n"
    )


def _select(widget: dict) -> str:
    morceaux = [f'<select name="{_e(widget["name"])}"{_attributs(widget["attrs"])}>']
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            morceaux.append(f'\n  <optgroup label="{_e(groupe)}">')
        morceaux.extend(f"\n  {_option(option)}" for option in options)
        if groupe:
            morceaux.append("\n  </optgroup>")
    morceaux.append("\n</select>")
    return mark_safe("".join(morceaux))  # noqa: S308 (every value escaped by _e)


def _case(widget: dict) -> str:
    valeur = "" if widget["value"] is None else f' value="{_e(widget["value"])}"'
    entree = (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{valeur}'
        f"{_attributs(widget['attrs'])}>"
    )
    if widget.get("wrap_label"):
        identifiant = widget["attrs"].get("id")
        pour = f' for="{_e(identifiant)}"' if identifiant else ""
        entree = f"<label{pour}>{entree} {_e(widget['label'])}</label>"
    return mark_safe(entree)  # noqa: S308 (every value escaped by _e)


class RenduRapide(DjangoTemplates):
    """Selects, options and inputs written in Python; the other widgets by the templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _groupe, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return _select(context["widget"])
        if template_name in OPTIONS_A_COCHER or template_name in ENTREES:
            return _case(context["widget"])
        return super().render(template_name, context, request=request)


@functools.lru_cache(maxsize=1024)
def _champ_memorise(classe, gabarit: str, nom: str, valeur: tuple[str, ...]) -> str:
    """``nom`` of a fresh ``classe`` form holding only ``valeur``: the same HTML as in any
    form where this field holds it without error (its markup depends on nothing else)."""
    donnees = QueryDict(mutable=True)
    if valeur:
        donnees.setlist(nom, list(valeur))
    return render_to_string(gabarit, {"champ": classe(donnees)[nom]})


class ChampsRendus:
    """``formulaire.rendus.services`` in a template: the field rendered by ``gabarit``.

    The fields named in ``reutilises`` (lists of choices and checkboxes: a search form's
    hundred options were a third of its page's time) are rendered once per process for each
    value they hold, then reused by every form holding the same; a field in error or holding
    a value outside its choices is rendered each time. Only a field whose markup depends on
    its own value alone may be named (not one that the form's ``clean()`` may put in error).
    """

    def __init__(self, formulaire, gabarit: str, reutilises: tuple[str, ...]):
        self.formulaire, self.gabarit, self.reutilises = formulaire, gabarit, reutilises

    def __getitem__(self, nom: str) -> str:
        champ = self.formulaire[nom]
        if (
            nom in self.reutilises
            and self.formulaire.is_bound
            and nom not in self.formulaire.errors
        ):
            valeur = champ.field.widget.value_from_datadict(
                self.formulaire.data, self.formulaire.files, champ.html_name
            )
            if isinstance(valeur, bool):  # a checkbox: ticked or not
                valeur = ("on",) if valeur else ()
            elif valeur is None or isinstance(valeur, str):
                valeur = () if valeur is None else (valeur,)
            else:
                valeur = tuple(valeur)
            choix = getattr(champ.field, "choices", None)
            if choix is None or set(valeur) <= {str(code) for code, _libelle in choix}:
                return _champ_memorise(type(self.formulaire), self.gabarit, nom, valeur)
        return render_to_string(self.gabarit, {"champ": champ})
