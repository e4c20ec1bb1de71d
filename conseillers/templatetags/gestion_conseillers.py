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


@register.simple_tag
def nombre_conseillers_sans_activite(user, jours: int = 30) -> int:
    """Advisors of ``user``'s territory under contract with no report for ``jours`` days
    (the coordination space shows it; comptes may not import conseillers)."""
    from conseillers.permissions import conseillers_geres

    return conseillers_geres(user).actifs().sans_activite_depuis(jours).count()
