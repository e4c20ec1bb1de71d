"""The scroll box every table of the portal sits in."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def boite_de_tableau(libelle: str, classes: str = "") -> str:
    """``{% boite_de_tableau "Lieux que vous pouvez mettre à jour" %}<table>…</table></div>``.

    The box scrolls sideways on a phone; it is a named region that takes the keyboard's
    focus, so that it can be scrolled without a mouse (axe: scrollable-region-focusable).
    Its name must differ from the heading of the section around it (two regions of the
    same name are one landmark too many)."""
    suite = f" {classes}" if classes else ""
    return format_html(
        '<div class="table-responsive{}" tabindex="0" role="region" aria-label="{}">',
        suite,
        libelle,
    )
