"""The origins allowed to embed the map and the agenda, as the CSP's frame-ancestors.

Read at each embedded page from the cache, rebuilt when the list changes (apps.py). The
rest of the portal keeps ``frame-ancestors 'none'`` (settings)."""

from __future__ import annotations

from django.core.cache import cache

CLE = "donnees:origines-integration"


def autorisees() -> list[str]:
    from .models import OrigineIntegration

    origines = cache.get(CLE)
    if origines is None:
        origines = list(
            OrigineIntegration.objects.order_by("origine").values_list("origine", flat=True)
        )
        cache.set(CLE, origines, None)
    return origines


def au_changement(sender, **kwargs) -> None:
    cache.delete(CLE)


def frame_ancestors() -> list[str]:
    """The portal itself (the embed builder's preview) and the listed partners."""
    return ["'self'", *autorisees()]


def autoriser_l_integration(reponse):
    """Let the listed origins frame this response (and only this one)."""
    reponse._csp_replace = {"frame-ancestors": frame_ancestors()}
    reponse.xframe_options_exempt = True
    return reponse
