"""Cache of the public pages' costly parts: the search's results, a site's page, the map
(and the printable guide, and with a generation of its own the workshops' programme).

Everyone asking the same search in the same minute gets the same results, so their HTML
(and the map's markers) is computed once a minute at most. A key holds:

* the *generation* of the public sites, a number that every change of a site, of its
  stops, of its structure or of its slots moves on (``invalider``), so that a coordinator's
  edit or an import shows at once;
* the query string, its parameters in a stable order;
* the local minute when the content follows the clock (a search of the sites open now),
  the date for a site's page (its next seven days).

What changes with the hour inside a cached part ("open now" badges) is a marker that the
view replaces at each request, from one light query. The nonce of the content security
policy and the CSRF token are never inside a cached part either: the views render them
around it, for each request.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

# what follows the clock is keyed by the minute; the rest lives this long, unless a change
# of the public sites moves the generation on first
DUREE = 600
DUREE_A_LA_MINUTE = 60
CLE_GENERATION = "lieux-publics:generation"


def generation(nom: str = CLE_GENERATION) -> str:
    """The current generation ``nom``: the public sites' unless another is named (the
    workshops' programme keeps one of its own, moved on by its own changes)."""
    valeur = cache.get(nom)
    if valeur is None:
        # a start that never repeats: a generation lost with the cache cannot bring back
        # the parts cached under an older one
        cache.add(nom, time.time_ns(), None)
        valeur = cache.get(nom)
    return str(valeur)


def _avancer(nom: str = CLE_GENERATION) -> None:
    # no generation yet (ValueError): nothing is cached under one
    with contextlib.suppress(ValueError):
        cache.incr(nom)


def invalider(nom: str = CLE_GENERATION) -> None:
    """The public sites (or what generation ``nom`` follows) changed: now, and again once
    the transaction is committed (a request served in between could have cached what it
    read before the commit)."""
    _avancer(nom)
    transaction.on_commit(lambda: _avancer(nom))


def canonique(parametres, *, sauf: tuple[str, ...] = ()) -> str:
    """The parsed query string, encoded again with its parameters in a stable order: a
    value holding ``&`` or ``=`` (``?commune=72181%26services%3Ddemarches``) cannot pass for
    two parameters and share another search's entry."""
    return urlencode(
        [
            (cle, valeur)
            for cle in sorted(parametres)
            if cle not in sauf
            for valeur in sorted(parametres.getlist(cle))
        ]
    )


def cle(
    prefixe: str, *parties: str, moment: str = "", generations: tuple[str, ...] = (CLE_GENERATION,)
) -> str:
    """``moment``: ``"minute"`` or ``"jour"`` when the content follows the clock;
    ``generations``: what the content follows (the public sites by default)."""
    formats = {"": "", "minute": "%Y%m%d%H%M", "jour": "%Y%m%d"}
    horodatage = timezone.localtime().strftime(formats[moment])
    empreinte = hashlib.sha256("\x1f".join(parties).encode()).hexdigest()
    suivies = "-".join(generation(nom) for nom in generations)
    return f"{prefixe}:{suivies}:{horodatage}:{empreinte}"


def duree(moment: str = "") -> int:
    return DUREE_A_LA_MINUTE if moment == "minute" else DUREE


def au_changement(sender, **kwargs) -> None:
    """Receiver of the saves and deletions of sites, stops and structures (apps.py)."""
    invalider()
