"""Template filters that write as ../shared/REDACTION.md says."""

from django import template

from commun.redaction import telephone_lisible

register = template.Library()


@register.filter
def telephone(numero) -> str:
    """``{{ numero|telephone }}``: ``02 43 47 47 47`` (the ``tel:`` link keeps +33…)."""
    return telephone_lisible(str(numero or ""))
