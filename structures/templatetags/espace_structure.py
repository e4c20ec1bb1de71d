"""Template helpers of the structure referent's space (comptes may not import structures)."""

from django import template

from structures import permissions

register = template.Library()


@register.simple_tag
def structures_representees(user) -> list:
    """The structures whose referent ``user`` is, with their commune."""
    return list(
        permissions.structures_utilisables(user).select_related("commune").order_by("nom", "pk")
    )
