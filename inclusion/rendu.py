"""A form renderer for the public pages where rendering time matters.

Django renders every option of a ``<select>`` or of a group of checkboxes through three
nested templates. The public search form holds about 130 options (the national typology
alone has 95): rendered that way they took two thirds of the search page's time. This
renderer writes selects, options and plain inputs in Python, with the same markup as
Django's templates, and leaves every other widget (textareas, files...) to them.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

SELECT = "django/forms/widgets/select.html"
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


def _attributs(attrs: dict) -> str:
    """As ``attrs.html``: in order, a true boolean as a bare name, a false one left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", nom) if valeur is True else format_html(' {}="{}"', nom, valeur),)
            for nom, valeur in attrs.items()
            if valeur is not False
        ),
    )


def _option(option: dict) -> str:
    return format_html(
        # the template file's final newline comes with each option
        '<option value="{}"{}>{}</option>\n',
        option["value"],
        _attributs(option["attrs"]),
        option["label"],
    )


def _select(widget: dict) -> str:
    morceaux = [format_html('<select name="{}"{}>', widget["name"], _attributs(widget["attrs"]))]
    for groupe, options, _index in widget["optgroups"]:
        if groupe:
            morceaux.append(format_html('\n  <optgroup label="{}">', groupe))
        morceaux.extend(format_html("\n  {}", _option(option)) for option in options)
        if groupe:
            morceaux.append("\n  </optgroup>")
    morceaux.append("\n</select>")
    return "".join(morceaux)


def _case(widget: dict) -> str:
    valeur = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    entree = format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        valeur,
        _attributs(widget["attrs"]),
    )
    if not widget.get("wrap_label"):
        return entree
    pour = format_html(' for="{}"', widget["attrs"]["id"]) if widget["attrs"].get("id") else ""
    return format_html("<label{}>{} {}</label>", pour, entree, widget["label"])


class RenduRapide(DjangoTemplates):
    """Selects, options and inputs written in Python; the other widgets by the templates."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            return _select(context["widget"])
        if template_name in OPTIONS_A_COCHER or template_name in ENTREES:
            return _case(context["widget"])
        return super().render(template_name, context, request=request)
