"""The settings every map page gives its container (see commun/templates/commun/carte.html)."""

from __future__ import annotations

from django.conf import settings


def carte(**attributs: str) -> dict:
    """The tile server, and the page's own ``data-`` attributes for its script."""
    return {
        "tuiles": settings.PORTAIL_TUILES_URL,
        "attribution": settings.PORTAIL_TUILES_ATTRIBUTION,
        "attributs": {nom: valeur for nom, valeur in attributs.items() if valeur},
    }
