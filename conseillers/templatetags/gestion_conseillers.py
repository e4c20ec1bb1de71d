"""Template helpers of the coordination pages."""

from django import template

from conseillers.enums import Jour, Programme, Thematique

register = template.Library()

_VOCABULAIRES = {"thematiques": Thematique, "jours": Jour, "programme": Programme}


@register.filter
def libelles(codes, vocabulaire: str = "thematiques") -> str:
    """``competences|libelles`` → "courriels, intelligence artificielle"."""
    etiquettes = dict(_VOCABULAIRES[vocabulaire].choices)
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(str(etiquettes.get(code, code)) for code in codes or [])
