"""A form renderer for the public pages where rendering time matters.

Django renders every option of a ``<select>`` or of a group of checkboxes through three
nested templates. The public search form holds about 130 options (the national typology
alone has 95): rendered that way they took two thirds of the search page's time. This
renderer writes selects, options and plain inputs in Python, with the same markup as
Django's templates, and leaves every other widget (textareas, files...) to them.
"""

from __future__ import annotations

from html import escape

from django.forms.renderers import DjangoTemplates
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
