"""``{{ n|entier }}``: an integer with the French thousands separator (no-break space), as
``floatformat:"0g"`` prints it, without the localisation machinery (the dashboard prints
about two thousand numbers)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def entier(valeur):
    if valeur is None or valeur == "":
        return ""
    if not isinstance(valeur, int):
        try:
            valeur = int(Decimal(str(valeur)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        except (InvalidOperation, ValueError):
            return valeur
    return f"{valeur:,}".replace(",", "\u00a0")
